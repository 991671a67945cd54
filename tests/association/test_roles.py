import pytest

from association.models import AssociationUserObjectPermission, RoleAssignment
from association.services import LAST_ADMINISTRATOR, RoleError, assign_role, revoke_role
from association.tenancy import scopes_disabled
from tests import factories


def test_roles_live_in_the_direct_foreign_key_tables(association):
    """guardian's generic table (a text object id) is slow at scale; ours key on the object."""
    from guardian.models import UserObjectPermission

    editor = factories.make_staff(association, "editor")
    assert set(
        AssociationUserObjectPermission.objects.filter(user=editor).values_list(
            "permission__codename", flat=True
        )
    ) == {"view_internal", "change_content"}
    assert not UserObjectPermission.objects.exists()


def test_changing_and_revoking_a_role_changes_the_rights(client, association):
    factories.make_staff(association, "administrator")  # the association keeps one
    person = factories.make_staff(association, "administrator")
    client.force_login(person)
    assert client.get("/norrbotten/installningar/").status_code == 200
    with scopes_disabled():
        assignment = assign_role(association=association, user=person, role="viewer", actor=None)
    assert client.get("/norrbotten/installningar/").status_code == 403
    assert client.get("/norrbotten/medlemmar/avgifter/").status_code == 200
    with scopes_disabled():
        revoke_role(assignment=assignment, actor=None)
    assert client.get("/norrbotten/medlemmar/avgifter/").status_code == 403


def test_an_administrator_cannot_remove_their_own_role(client, association):
    admin = factories.make_staff(association, "administrator")
    client.force_login(admin)
    with scopes_disabled():
        from association.models import RoleAssignment

        own = RoleAssignment.objects.get(user=admin)
    response = client.post(f"/norrbotten/roller/{own.pk}/ta-bort/", follow=True)
    assert response.status_code == 200
    with scopes_disabled():
        assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_a_new_person_is_invited_by_mail_to_choose_a_password(
    client, association, smtp_server, django_capture_on_commit_callbacks
):
    admin = factories.make_staff(association, "administrator")
    client.force_login(admin)
    # The mail leaves only once the role is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/norrbotten/roller/",
            {"email": "Ny.Person@Example.org", "first_name": "Ny", "last_name": "Person",
             "role": "editor"},
        )  # fmt: skip
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "ny.person@example.org"
    assert "Norrbottens Kommuner" in mail["Subject"]
    body = mail.get_content()
    assert "handläggare" in body.lower()  # in Swedish, the default language
    assert "Välj ditt lösenord" in body
    link = next(word for word in body.split() if "/accounts/password/reset/key/" in word)
    client.logout()
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    assert "password1" in page.text  # the form to choose a password


def test_an_existing_person_gets_a_notice_instead_of_a_new_invitation(
    client, association, smtp_server, django_capture_on_commit_callbacks
):
    admin = factories.make_staff(association, "administrator")
    factories.make_user("finns@example.org")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/norrbotten/roller/", {"email": "finns@example.org", "role": "viewer"})
    assert len(smtp_server.messages) == 1
    body = smtp_server.messages[0].get_content()
    assert "/accounts/password/reset/key/" not in body
    assert "http://testserver/norrbotten/" in body
    # Saving the same role again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/norrbotten/roller/", {"email": "finns@example.org", "role": "viewer"})
    assert len(smtp_server.messages) == 1


def test_granting_a_role_never_shows_what_another_association_knows(
    client, association, other_association, smtp_server, django_capture_on_commit_callbacks
):
    """The account's name may have been typed by another association; neither the page nor
    the history nor the notice shows it, nor the other association."""
    person = factories.make_user("finns@example.org", first_name="Hemliga", last_name="Namnsson")
    person.preferred_language = "en"
    person.save()
    with scopes_disabled():
        assign_role(association=other_association, user=person, role="editor", actor=None,
                    first_name="Hemliga", last_name="Namnsson")  # fmt: skip
    admin = factories.make_staff(association, "administrator")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/norrbotten/roller/", {"email": "Finns@Example.org", "role": "viewer"}, follow=True
        )
    assert response.status_code == 200
    for page in [response.text, client.get("/norrbotten/historik/").text]:
        assert "finns@example.org" in page
        assert "Hemliga" not in page and "Namnsson" not in page
        assert other_association.name not in page
    (mail,) = smtp_server.messages
    text = mail["Subject"] + mail.get_content()
    assert "Norrbottens Kommuner" in text
    assert "Read-only staff" in text  # in the person's own language
    assert "Hemliga" not in text and other_association.name not in text
    # The name this association enters is its own; the account keeps its name.
    client.post("/norrbotten/roller/", {"email": "finns@example.org", "first_name": "Kalle",
                                        "last_name": "Anka", "role": "viewer"})  # fmt: skip
    page = client.get("/norrbotten/roller/").text
    assert "Kalle Anka" in page and "Hemliga" not in page
    person.refresh_from_db()
    assert person.get_full_name() == "Hemliga Namnsson"
    with scopes_disabled():
        other = RoleAssignment.objects.get(association=other_association, user=person)
    assert other.name == "Hemliga Namnsson"


def test_the_last_administrator_cannot_be_demoted_or_removed(client, association):
    admin = factories.make_staff(association, "administrator")
    client.force_login(admin)
    # Demoting oneself through the form: refused with the reason, the typed values kept.
    response = client.post("/norrbotten/roller/", {"email": admin.email, "role": "viewer"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(LAST_ADMINISTRATOR)]
    assert response.context["form"]["email"].value() == admin.email
    # Removing the role (a platform admin may remove others' roles; they do not count).
    platform_admin = factories.make_platform_admin()
    with scopes_disabled():
        assign_role(association=association, user=platform_admin, role="administrator",
                    actor=None)  # fmt: skip
        own = RoleAssignment.objects.get(association=association, user=admin)
    client.force_login(platform_admin)
    response = client.post(f"/norrbotten/roller/{own.pk}/ta-bort/", follow=True)
    assert str(LAST_ADMINISTRATOR) in [str(m) for m in response.context["messages"]]
    with scopes_disabled():
        assert RoleAssignment.objects.get(pk=own.pk).role == "administrator"
        with pytest.raises(RoleError):
            assign_role(association=association, user=admin, role="editor", actor=None)
        # With a second administrator, either may step down, but not both.
        second = factories.make_staff(association, "administrator")
        assign_role(association=association, user=admin, role="editor", actor=None)
        with pytest.raises(RoleError):
            revoke_role(
                assignment=RoleAssignment.objects.get(user=second, association=association),
                actor=None,
            )
        # The platform admin's own administrator role may go: it never counted.
        revoke_role(
            assignment=RoleAssignment.objects.get(user=platform_admin, association=association),
            actor=None,
        )


@pytest.mark.django_db(transaction=True)
def test_two_administrators_demoting_each_other_at_once_leave_one():
    """The second demotion waits for the first one's lock and then sees its result."""
    import threading
    import time

    from django.db import connection, transaction

    association = factories.make_association("samtidigt")
    first = factories.make_staff(association, "administrator", totp=False)
    second = factories.make_staff(association, "administrator", totp=False)
    outcome = {}

    def demote_first():
        try:
            with scopes_disabled():
                assign_role(association=association, user=first, role="viewer", actor=None)
            outcome["second_demotion"] = "done"
        except RoleError:
            outcome["second_demotion"] = "refused"
        finally:
            connection.close()

    thread = threading.Thread(target=demote_first)
    with transaction.atomic(), scopes_disabled():
        assign_role(association=association, user=second, role="viewer", actor=None)
        thread.start()
        # Hold the first transaction open until the other one waits for its lock (or,
        # without locking, has finished); never longer than a minute, so a server that
        # does not report the wait cannot hang the suite.
        deadline = time.monotonic() + 60
        while thread.is_alive() and not _someone_waits_for_a_lock():
            if time.monotonic() > deadline:
                break
            thread.join(0.05)
    thread.join()
    assert outcome["second_demotion"] == "refused"
    with scopes_disabled():
        roles = dict(
            RoleAssignment.objects.filter(association=association).values_list("user", "role")
        )
    assert roles == {first.pk: "administrator", second.pk: "viewer"}


def _someone_waits_for_a_lock() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        # Inside a transaction the statistics views are a snapshot unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0
