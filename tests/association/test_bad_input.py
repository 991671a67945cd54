"""Bad input gets a clear message and never a 500; nothing half-saved."""

import pytest
from django.core.exceptions import ValidationError

from association.models import Association
from association.services import ConcurrentEditError, update_association
from association.tenancy import scopes_disabled
from association.validators import contrast_ratio, normalise_organisation_number
from tests import factories


@pytest.mark.parametrize(
    ("value", "expected"),
    [("222000-0653", "222000-0653"), ("2220000653", "222000-0653"), ("202100-2841", "202100-2841")],
)
def test_valid_organisation_numbers(value, expected):
    assert normalise_organisation_number(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("222000-0654", "checksum"),
        ("202100-2842", "checksum"),
        ("12345", "format"),
        ("abcdef-ghij", "format"),
        # A personal identity number passes Luhn but must never be stored.
        ("811218-9876", "personal_number"),
    ],
)
def test_invalid_organisation_numbers_say_why(value, code):
    with pytest.raises(ValidationError) as error:
        normalise_organisation_number(value)
    assert error.value.code == code


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def settings_form_data(association, **changes):
    data = {
        "name": association.name, "short_name": association.short_name,
        "organisation_number": association.organisation_number,
        "legal_form": "", "vision": "", "mission": "", "business_idea": "",
        "street_address": "", "postal_code": "", "city": "", "phone": "", "email": "",
        "website": "", "primary_colour": "#1f4e79", "accent_colour": "#7a3e00",
        "version": association.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_invalid_organisation_number_in_settings_shows_the_reason(client, association):
    client.force_login(factories.make_staff(association, "administrator"))
    response = client.post(
        "/norrbotten/installningar/",
        settings_form_data(association, organisation_number="222000-0654"),
    )
    assert response.status_code == 200
    error = response.context["form"].errors.as_data()["organisation_number"][0]
    assert error.code == "checksum"
    assert str(error.message) in response.text  # shown to the person, in their language
    association.refresh_from_db()
    assert association.organisation_number == ""


def test_low_contrast_colour_is_refused(client, association):
    client.force_login(factories.make_staff(association, "administrator"))
    response = client.post(
        "/norrbotten/installningar/", settings_form_data(association, primary_colour="#ffff00")
    )
    assert response.status_code == 200
    association.refresh_from_db()
    assert association.primary_colour == "#1f4e79"


def test_settings_save_and_history(client, association):
    admin = factories.make_staff(association, "administrator")
    client.force_login(admin)
    response = client.post(
        "/norrbotten/installningar/",
        settings_form_data(association, organisation_number="2220000653", city="Luleå"),
    )
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.organisation_number == "222000-0653"
    assert association.version == 2
    history = client.get("/norrbotten/historik/")
    assert "Luleå" in history.text


def test_concurrent_edit_is_detected_not_overwritten(client, association):
    admin = factories.make_staff(association, "administrator")
    client.force_login(admin)
    stale = settings_form_data(association, city="Boden")
    with scopes_disabled():
        update_association(
            association=association, actor=admin, expected_version=association.version,
            data={"city": "Kiruna"},
        )  # fmt: skip
    response = client.post("/norrbotten/installningar/", stale)
    assert response.status_code == 200
    assert "Kiruna" in response.text  # the current value is shown next to the form
    association.refresh_from_db()
    assert association.city == "Kiruna"
    with scopes_disabled(), pytest.raises(ConcurrentEditError):
        update_association(association=association, actor=admin, expected_version=1, data={})


def test_too_long_and_reserved_slugs_are_refused(client, db):
    client.force_login(factories.make_platform_admin())
    response = client.post("/konto/nytt-forbund/", {"name": "Nytt förbund", "slug": "x" * 41})
    assert response.status_code == 200
    assert "40" in response.text
    response = client.post("/konto/nytt-forbund/", {"name": "Nytt förbund", "slug": "admin"})
    assert response.status_code == 200
    assert not Association.objects.filter(slug="admin").exists()
    response = client.post(
        "/konto/nytt-forbund/", {"name": "Nytt förbund", "slug": "nytt", "organisation_number": "1"}
    )
    assert response.status_code == 200
    assert not Association.objects.filter(slug="nytt").exists()
    response = client.post("/konto/nytt-forbund/", {"name": "Nytt förbund", "slug": "nytt"})
    assert response.status_code == 302
    assert Association.objects.filter(slug="nytt").exists()


def test_bad_login_gets_a_message(client, db):
    factories.make_user("person@example.org")
    response = client.post(
        "/accounts/login/", {"login": "person@example.org", "password": "wrong password"}
    )
    assert response.status_code == 200
    assert "person@example.org" in response.text  # the form comes back filled in
    assert response.context["form"].errors


def test_disabled_account_cannot_log_in(client, db):
    user = factories.make_user("disabled@example.org")
    user.is_active = False
    user.save()
    response = client.post(
        "/accounts/login/", {"login": "disabled@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in client.session
    if response.status_code == 302:
        assert "inactive" in response["Location"]


def test_garbage_everywhere_never_500s(client, association):
    client.force_login(factories.make_staff(association, "administrator"))
    for url in ["/norrbotten/installningar/", "/norrbotten/roller/", "/konto/nytt-forbund/"]:
        response = client.post(url, {"version": "not a number", "email": "x" * 500, "role": "god"})
        assert response.status_code in (200, 403), url


GARBAGE = {
    "year": "tjugohundra",
    "page": "-1",
    "version": "x",
    "pk": "'; DROP TABLE x; --",
    "email": "inte-en-adress",
    "name": "x" * 5000,
    "slug": "../../etc",
    "joined_on": "2024-13-45",
    "left_on": "igår",
    "first_year": "9999999999999",
    "rate": "NaN",
    "kind": "nonsense",
    "role": "kung",
    "municipality": "99999999",
    "organisation_number": "000000-0000",
    "primary_colour": "red",
}


def test_every_page_survives_garbage(client, db):
    """GET with nonsense query strings and POST nonsense forms to every page: never a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from association.models import Association
    from tests.association.test_permissions import values_for
    from tests.urlwalk import project_pages

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = Association.objects.get(slug="norrbotten")
    client.force_login(factories.make_platform_admin())
    for page in project_pages():
        url = page.url(**values_for(page, home)) if page.params else page.url()
        if not page.post_only:
            response = client.get(url, {"year": "abc", "page": "zzz", "format": "<script>"})
            assert response.status_code < 500, f"GET {url}"
        upload = SimpleUploadedFile("data.csv", b"\x00\xff\xfe binary \x00", "text/csv")
        response = client.post(url, {**GARBAGE, "file": upload})
        assert response.status_code < 500, f"POST {url}"


def _png_bytes(size=(40, 20)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 80, 122)).save(buffer, "PNG")
    return buffer.getvalue()


def test_logo_must_really_be_an_image_of_sensible_size(client, association, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(factories.make_staff(association, "administrator"))
    url = "/norrbotten/installningar/"
    fake = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = client.post(url, settings_form_data(association, logo=fake))
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    huge = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1), "image/png")
    response = client.post(url, settings_form_data(association, logo=huge))
    assert response.context["form"].errors["logo"]
    svg = SimpleUploadedFile(
        "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
    )
    response = client.post(url, settings_form_data(association, logo=svg))
    assert response.context["form"].errors["logo"]
    association.refresh_from_db()
    assert not association.logo

    real = SimpleUploadedFile("logo.png", _png_bytes(), "image/png")
    response = client.post(url, settings_form_data(association, logo=real))
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.logo.name.startswith("logos/")
    page = client.get("/norrbotten/")
    assert f'src="/norrbotten/logotyp?v={association.version}"' in page.text
    served = client.get("/norrbotten/logotyp")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    import io

    from PIL import Image

    # Stored re-encoded (see test_logo.py), with the same pixels.
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert (image.format, image.size) == ("PNG", (40, 20))
        assert image.getpixel((0, 0)) == (0, 80, 122)


def test_slugs_are_stored_in_lower_case_so_every_association_is_reachable(client, db):
    client.force_login(factories.make_platform_admin())
    response = client.post("/konto/nytt-forbund/", {"name": "Nytt förbund", "slug": "NyttForbund"})
    assert response.status_code == 302
    assert response["Location"] == "/nyttforbund/installningar/"
    assert client.get("/nyttforbund/").status_code == 200
    # An upper-case spelling of a reserved address is still reserved.
    response = client.post("/konto/nytt-forbund/", {"name": "Annat förbund", "slug": "Admin"})
    assert response.status_code == 200
    assert not Association.objects.filter(slug__iexact="admin").exists()
    # The model normalises too, and the database refuses what slips past both.
    from django.db import IntegrityError, transaction

    from association.services import create_association

    with scopes_disabled():
        assert create_association(actor=None, name="Tredje", slug="TREDJE").slug == "tredje"
    with pytest.raises(IntegrityError), transaction.atomic():
        Association.objects.create(name="Fjärde", slug="Fjarde")


def test_an_organisation_number_belongs_to_one_association(client, association):
    admin = factories.make_platform_admin()
    client.force_login(admin)
    association.organisation_number = "222000-0653"
    association.save()
    response = client.post(
        "/konto/nytt-forbund/",
        {"name": "Kopia", "slug": "kopia", "organisation_number": "2220000653"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["organisation_number"][0].code == "unique"
    assert not Association.objects.filter(slug="kopia").exists()
    # Blank numbers may repeat; the association's own number is no conflict with itself.
    other = factories.make_association("utan-nummer")
    assert other.organisation_number == ""
    response = client.post(
        "/norrbotten/installningar/",
        settings_form_data(association, organisation_number="222000-0653", city="Luleå"),
    )
    assert response.status_code == 302
    response = client.post(
        "/utan-nummer/installningar/", settings_form_data(other, organisation_number="222000-0653")
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["organisation_number"][0].code == "unique"
    other.refresh_from_db()
    assert other.organisation_number == ""
