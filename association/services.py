"""Every change to associations, roles and history goes through here."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from association.models import (
    ROLE_PERMISSIONS,
    Association,
    AuditEntry,
    RoleAssignment,
    StaffRole,
    User,
)
from association.tenancy import tenant_scope


class ConcurrentEditError(Exception):
    """Someone saved the object after this editor loaded it."""

    message = _(
        "Someone else saved this while you were editing. Your changes have not been saved; "
        "they are shown below next to the current values."
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def record_history(
    *,
    association: Association,
    actor: User | None,
    action: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        association=association,
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in (changes or {}).items()},
    )


def diff_fields(instance, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(instance, name), value)
        for name, value in data.items()
        if getattr(instance, name) != value
    }


@transaction.atomic
def create_association(*, actor: User | None, **fields: Any) -> Association:
    association = Association(**fields)
    association.full_clean()
    association.save()
    with tenant_scope(association):
        record_history(
            association=association,
            actor=actor,
            action="created",
            obj=association,
            changes={name: (None, value) for name, value in fields.items()},
        )
    return association


@transaction.atomic
def update_versioned(
    *, obj: Any, actor: User | None, expected_version: int, data: dict[str, Any], check=None
) -> Any:
    """Save edits to a model with a ``version`` column, refusing if anyone saved it after
    the editor loaded it (optimistic locking), and write the history of what changed.

    ``check`` runs on the locked, edited row before saving (rules that span rows).
    """
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError
    changes = diff_fields(locked, data)
    for name, value in data.items():
        setattr(locked, name, value)
    association = locked if isinstance(locked, Association) else locked.association
    locked.full_clean(exclude=None if locked is association else ["association"])
    if check is not None:
        check(locked)
    locked.version += 1
    locked.save()
    if changes:
        with tenant_scope(association):
            record_history(
                association=association, actor=actor, action="updated", obj=locked,
                changes=changes,
            )  # fmt: skip
    return locked


@transaction.atomic
def update_association(
    *, association: Association, actor: User, expected_version: int, data: dict[str, Any]
) -> Association:
    """Save the profile; a replaced or cleared logo leaves storage once this commits."""
    from association.storage import delete_file_on_commit

    data = dict(data)
    if "logo" in data and not data["logo"]:
        data["logo"] = ""  # the form's "clear" checkbox gives False
    storage = association.logo.storage
    old_name = Association.objects.filter(pk=association.pk).values_list("logo", flat=True)[0]
    updated = update_versioned(
        obj=association, actor=actor, expected_version=expected_version, data=data
    )
    if old_name and updated.logo.name != old_name:
        delete_file_on_commit(old_name, storage)
    return updated


class RoleError(Exception):
    """A role change that would break a rule; ``message`` says which, for the page."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


LAST_ADMINISTRATOR = _(
    "The association must keep an administrator. Give someone else the administrator role "
    "before you change or remove this one."
)


def _counts_as_administrator(assignment: RoleAssignment) -> bool:
    # Platform admins can step in anywhere; they are not the association's own administrator.
    user = assignment.user
    return assignment.role == StaffRole.ADMINISTRATOR and user.is_active and not user.is_superuser


def _lock_roles(association: Association) -> list[RoleAssignment]:
    """Every role row of the association, locked until the transaction ends: two
    administrators demoting each other at the same moment are checked one after the other,
    and the second sees the first's change."""
    return list(
        RoleAssignment.objects.select_for_update(of=("self",))
        .filter(association=association)
        .select_related("user")
        .order_by("pk")
    )


def _keep_an_administrator(roles: list[RoleAssignment], leaving: RoleAssignment) -> None:
    """Refuse if ``leaving`` (one of the locked ``roles``) is the last administrator."""
    if _counts_as_administrator(leaving) and not any(
        _counts_as_administrator(r) for r in roles if r.pk != leaving.pk
    ):
        raise RoleError(LAST_ADMINISTRATOR)


@transaction.atomic
def assign_role(
    *,
    association: Association,
    user: User,
    role: StaffRole | str,
    actor: User | None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> RoleAssignment:
    """Give ``user`` exactly ``role`` in ``association`` (replacing any earlier role).

    ``first_name``/``last_name`` are the name this association knows the person by; left
    as they were when not given. Raises RoleError if it would leave no administrator.
    """
    role = StaffRole(role)
    roles = _lock_roles(association)
    existing = next((r for r in roles if r.user_id == user.pk), None)
    previous = existing.role if existing else None
    if existing is not None and role != StaffRole.ADMINISTRATOR:
        _keep_an_administrator(roles, existing)
    for codename in ROLE_PERMISSIONS.get(previous, ()) if previous else ():
        remove_perm(f"association.{codename}", user, association)
    for codename in ROLE_PERMISSIONS[role]:
        assign_perm(f"association.{codename}", user, association)
    defaults: dict[str, Any] = {"role": role, "granted_by": actor if actor and actor.pk else None}
    if first_name:
        defaults["first_name"] = first_name.strip()
    if last_name:
        defaults["last_name"] = last_name.strip()
    assignment, _created = RoleAssignment.objects.update_or_create(
        association=association, user=user, defaults=defaults
    )
    if previous != role:
        record_history(
            association=association, actor=actor, action="role_assigned", obj=assignment,
            changes={"role": (previous, role.value)},
        )  # fmt: skip
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, actor: User | None) -> None:
    """Remove a role; raises RoleError if it is the association's last administrator."""
    association = assignment.association
    roles = _lock_roles(association)
    assignment = next((r for r in roles if r.pk == assignment.pk), None)
    if assignment is None:
        return  # removed by someone else meanwhile
    _keep_an_administrator(roles, assignment)
    for codename in ROLE_PERMISSIONS[assignment.role]:
        remove_perm(f"association.{codename}", assignment.user, association)
    record_history(
        association=association, actor=actor, action="role_revoked", obj=assignment,
        changes={"role": (assignment.role, None)},
    )  # fmt: skip
    assignment.delete()


@transaction.atomic
def grant_role(
    *,
    request,
    association: Association,
    email: str,
    role: StaffRole | str,
    actor: User,
    first_name: str = "",
    last_name: str = "",
) -> RoleAssignment:
    """Give the person with ``email`` a role, creating their account if there is none.

    Whether the account existed is not shown to the administrator, and nothing about it
    (its name, its other associations) comes back: this association keeps the name it
    typed on the role. A new person gets an invitation to choose a password; someone who
    already logs in gets a short notice naming only this association and the role.
    """
    email = email.strip().lower()
    user = User.objects.filter(email=email).first() or create_person(
        email=email, first_name=first_name, last_name=last_name
    )
    previous = (
        RoleAssignment.objects.filter(association=association, user=user)
        .values_list("role", flat=True)
        .first()
    )
    assignment = assign_role(
        association=association, user=user, role=role, actor=actor,
        first_name=first_name, last_name=last_name,
    )  # fmt: skip
    if not user.has_usable_password():
        # New to the portal (or never finished the invitation): they choose a password.
        send_invitation(request=request, user=user, association=association, role=role)
    elif previous != StaffRole(role):
        send_role_notice(request=request, user=user, association=association, role=role)
    return assignment


@transaction.atomic
def create_person(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    verified: bool = True,
    is_superuser: bool = False,
) -> User:
    """Create (or return) an account whose e-mail is known to allauth."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email, first_name=first_name, last_name=last_name,
            is_superuser=is_superuser, is_staff=is_superuser,
        )  # fmt: skip
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": verified}
    )
    return user


def send_invitation(
    *, request, user: User, association: Association, role: StaffRole | str
) -> None:
    """E-mail a new person a link to choose their password, once the role is committed.

    The link is allauth's own password-reset key, so it expires and works once; the text is
    rendered in the person's language, not the sender's.
    """
    from allauth.account import app_settings as account_settings
    from allauth.account.adapter import get_adapter
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    url = get_adapter(request).get_reset_password_from_key_url(
        f"{user_pk_to_url_str(user)}-{token}"
    )
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        # A staff role by its label; any other part (a seat in a body) by the text given.
        label = StaffRole(role).label if role in StaffRole.values else str(role)
        context = {"association": association, "role": label, "url": url}
        subject = render_to_string("association/email/invitation_subject.txt", context)
        body = render_to_string("association/email/invitation_body.txt", context)
    transaction.on_commit(lambda: send_mail(" ".join(subject.split()), body, None, [user.email]))


def send_role_notice(*, request, user: User, association: Association, role: StaffRole) -> None:
    """Tell someone who already has an account that this association gave them a role, once
    the role is committed, in their language. It names this association only."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    url = request.build_absolute_uri(
        reverse("association:home", kwargs={"association": association.slug})
    )
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {"association": association, "role": StaffRole(role).label, "url": url}
        subject = render_to_string("association/email/role_notice_subject.txt", context)
        body = render_to_string("association/email/role_notice_body.txt", context)
    transaction.on_commit(lambda: send_mail(" ".join(subject.split()), body, None, [user.email]))
