"""The person's list and choices, and the staff's log, lead times and resend."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from association.notifications import services
from association.notifications.kinds import Occasion
from association.notifications.models import Delivery, LeadTime, Notification, Status
from association.tenancy import scopes_disabled, tenant_scope
from tests import factories


def _notify(association, users, key):
    """Notifications of the absence kind (staff are its recipients) for ``users``."""
    from association.notifications import kinds

    kind = kinds.get("meetings.absence")
    rows = [
        Notification(association=association, kind=kind.key, occasion_key=key,
                     recipient_key=f"u:{u.pk}", recipient=u, email=u.email,
                     subject=f"Frånvaro {key}", body="Frånvaro", link="/")
        for u in users
    ]  # fmt: skip
    with scopes_disabled():
        made = Notification.objects.bulk_create(rows)
        Delivery.objects.bulk_create(
            Delivery(association=association, notification=n, channel="email",
                     status=Status.FAILED, last_error="SMTPDataError: 451 try later")
            for n in made
        )  # fmt: skip
    services._unread_changed([u.pk for u in users])
    return made


def test_my_list_the_unread_count_in_the_header_and_mark_read(
    client, association, other_association
):
    user = factories.make_staff(association, "viewer")
    _notify(association, [user], "a")
    _notify(association, [user], "b")
    _notify(other_association, [user], "c")  # the list is the person's, across associations
    someone = factories.make_user()
    _notify(association, [someone], "d")
    client.force_login(user)
    page = client.get(reverse("my_notifications"))
    assert "Frånvaro a" in page.text and "Frånvaro c" in page.text
    assert "Frånvaro d" not in page.text
    assert "3 olästa" in page.text  # the header
    with scopes_disabled():
        one = Notification.objects.get(recipient=user, occasion_key="a")
    client.post(reverse("my_notifications_read"), {"notification": one.pk})
    assert "2 olästa" in client.get(reverse("my_notifications")).text
    client.post(reverse("my_notifications_read"), {"notification": "x" * 30})  # no 500
    client.post(reverse("my_notifications_read"))
    assert "olästa" not in client.get(reverse("my_notifications")).text
    with scopes_disabled():
        assert Notification.objects.get(recipient=someone).read_at is None


def test_my_choices_page_refuses_nothing_it_offers(client, association):
    user = factories.make_user()
    client.force_login(user)
    page = client.get(reverse("my_notification_choices"))
    assert 'name="meetings.notice" value="portal"' not in page.text
    assert 'name="meetings.absence" value="portal"' in page.text
    data = {"meetings.notice": "digest", "meetings.absence": "portal"}
    response = client.post(reverse("my_notification_choices"), data)
    assert response.status_code == 302
    choices = services.choices_of(user)
    assert choices["meetings.notice"] == "digest" and choices["meetings.absence"] == "portal"
    refused = client.post(reverse("my_notification_choices"), {"meetings.notice": "portal"})
    assert refused.status_code == 200 and services.choices_of(user)["meetings.notice"] == "digest"


def test_the_delivery_log_filters_and_its_queries_do_not_grow(client, association):
    viewer = factories.make_staff(association, "viewer")
    people = [factories.make_user() for _ in range(50)]
    _notify(association, people[:2], "liten")
    client.force_login(viewer)
    url = reverse("notifications:log", kwargs={"association": association.slug})
    client.get(url)
    counts = []
    for more in (False, True):
        if more:
            _notify(association, people[2:], "stor")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "451 try later" in page.text
    assert "Skicka igen" not in page.text  # viewers may not resend
    filtered = client.get(url, {"search": people[0].email, "status": "failed"})
    assert people[0].email in filtered.text and people[1].email not in filtered.text
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200


def test_an_editor_resends_a_failed_delivery(
    client, association, other_association, eager_tasks, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    editor = factories.make_staff(association, "editor")
    (made,) = _notify(association, [factories.make_user("mottagare@example.org")], "x")
    (theirs,) = _notify(other_association, [factories.make_user()], "y")
    client.force_login(editor)
    with scopes_disabled():
        delivery = Delivery.objects.get(notification=made)
        other = Delivery.objects.get(notification=theirs)
    resend = reverse("notifications:resend", kwargs={"association": association.slug,
                                                     "pk": delivery.pk})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend).status_code == 302
    assert [m["To"] for m in smtp_server.messages] == ["mottagare@example.org"]
    with scopes_disabled():
        delivery.refresh_from_db()
        assert delivery.status == Status.SENT
    # Sent already: refused with a message, not sent twice.
    assert client.post(resend, follow=True).status_code == 200
    assert len(smtp_server.messages) == 1
    other_url = reverse("notifications:resend", kwargs={"association": association.slug,
                                                        "pk": other.pk})  # fmt: skip
    assert client.post(other_url).status_code == 404


def test_lead_times_page(client, association):
    editor = factories.make_staff(association, "editor")
    client.force_login(editor)
    url = reverse("notifications:lead_times", kwargs={"association": association.slug})
    assert "60" in client.get(url).text
    bad = client.post(url, {"governance-term_ending-kind": "governance.term_ending",
                            "governance-term_ending-days": "9999"})  # fmt: skip
    assert bad.status_code == 400
    good = client.post(url, {"governance-term_ending-kind": "governance.term_ending",
                             "governance-term_ending-days": "90"})  # fmt: skip
    assert good.status_code == 302
    with scopes_disabled():
        assert LeadTime.objects.get(association=association).days == 90
    assert client.post(url, {"x": "y"}).status_code == 302  # nothing to save: a message


def test_a_scan_makes_nothing_in_another_association(association, other_association):
    factories.make_staff(other_association, "editor", "annan@example.org")
    factories.make_term(association, "2027")
    from datetime import date

    from association.notifications.kinds import local_moment

    with tenant_scope(association):
        services.scan(association, local_moment(date(2026, 11, 1)))
    with scopes_disabled():
        assert not Notification.objects.filter(email="annan@example.org").exists()
    assert Occasion(key="k").data == {}
