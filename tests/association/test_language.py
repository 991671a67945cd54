def test_swedish_is_the_default_whatever_the_browser_says(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in response.text
    assert response["Content-Language"] == "sv"


def test_the_language_switch_chooses_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert '<html lang="en">' in page.text
    assert page["Content-Language"] == "en"


def test_an_unknown_language_falls_back_to_swedish(client, db):
    client.cookies["django_language"] = "xx"
    assert '<html lang="sv">' in client.get("/").text


def test_a_persons_choice_follows_them_to_another_device(client, db):
    from django.test import Client

    from tests import factories

    person = factories.make_user("resenar@example.org")
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "en"
    other_device = Client()
    other_device.force_login(person)
    assert '<html lang="en">' in other_device.get("/").text
