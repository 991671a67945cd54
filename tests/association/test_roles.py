from association.models import AssociationUserObjectPermission
from association.services import assign_role, revoke_role
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


def test_an_existing_person_gets_the_role_without_a_new_invitation(
    client, association, smtp_server, django_capture_on_commit_callbacks
):
    admin = factories.make_staff(association, "administrator")
    factories.make_user("finns@example.org")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/norrbotten/roller/", {"email": "finns@example.org", "role": "viewer"})
    assert smtp_server.messages == []
