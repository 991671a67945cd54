from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from association import locking
from association.tenancy import TenantModel
from association.validators import (
    validate_brand_colour,
    validate_not_reserved_slug,
    validate_organisation_number,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with a login. Platform admins are ``is_superuser``; every other right is a
    role in an association or a seat in one of its bodies."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


DUPLICATE_ORGANISATION_NUMBER = _("Another association already has this organisation number.")


class Association(models.Model):
    """A municipal association (kommunförbund): the tenant."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(
        _("web address"),
        max_length=40,
        unique=True,
        validators=[validate_not_reserved_slug],
        help_text=_("Lower-case letters, digits and hyphens; at most 40 characters."),
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
    )
    legal_form = models.CharField(
        _("legal form"), max_length=100, blank=True, help_text=_("e.g. non-profit association")
    )
    vision = models.TextField(_("vision"), blank=True, validators=[MaxLengthValidator(2000)])
    mission = models.TextField(_("mission"), blank=True, validators=[MaxLengthValidator(4000)])
    business_idea = models.TextField(
        _("business idea"), blank=True, validators=[MaxLengthValidator(4000)]
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[validate_brand_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#7a3e00", validators=[validate_brand_colour]
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("association (kommunförbund)")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        permissions = [
            ("view_internal", _("See the association's internal pages")),
            ("change_content", _("Edit the association's content")),
            ("manage_association", _("Manage the association's settings and people")),
        ]
        constraints = [
            # Addresses are matched exactly; an upper-case slug would be unreachable.
            models.CheckConstraint(
                condition=models.Q(slug=Lower("slug")), name="association_slug_lower_case"
            ),
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~models.Q(organisation_number=""),
                name="unique_organisation_number",
                violation_error_message=DUPLICATE_ORGANISATION_NUMBER,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.slug = (self.slug or "").strip().lower()

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class AssociationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Association, on_delete=models.CASCADE)


class AssociationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Association, on_delete=models.CASCADE)


class StaffRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    EDITOR = "editor", _("Staff editor")
    VIEWER = "viewer", _("Read-only staff")


# Which guardian permissions each role carries; predicates check permissions, not roles,
# so a future role only needs a line here.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    StaffRole.ADMINISTRATOR: ("view_internal", "change_content", "manage_association"),
    StaffRole.EDITOR: ("view_internal", "change_content"),
    StaffRole.VIEWER: ("view_internal",),
}


class RoleAssignment(TenantModel):
    """A person's staff role in one association (one account may hold roles in several)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    # The name this association knows the person by. The account's own name may have been
    # typed by another association, so this association's pages never show it.
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("staff role (roll)")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="one_role_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.user.email} – {self.get_role_display()}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# What the history page says for each action and for keys that are not model fields.
ACTION_LABELS = {
    "created": _("Created"),
    "updated": _("Changed"),
    "role_assigned": _("Role given"),
    "role_revoked": _("Role removed"),
    "seat_granted": _("Seat given"),
    "seat_ended": _("Seat ended"),
    "role_changed": _("Role changed"),
    "account_linked": _("Login account linked"),
    "figures_imported": _("Figures imported"),
    "deleted": _("Removed"),
    "adopted": _("Adopted"),
    "superseded": _("Adopted, superseding an earlier adoption"),
    "version_added": _("New version added"),
    "locked": _("Locked"),
    "sent_for_adjustment": _("Sent for adjustment"),
    "approved": _("Approved by an adjuster"),
    "adjusted": _("Adjusted"),
    "plan_draft": _("Plan returned to draft"),
    "plan_proposed": _("Plan proposed to the board"),
    "plan_circulated": _("Plan circulated to the board per capsulam"),
    "plan_board_approved": _("Plan approved by the board"),
    "plan_adopted": _("Plan adopted by the assembly"),
    "plan_published": _("Plan published"),
    "plan_revision_started": _("Revision of the plan started"),
}
CHANGE_LABELS = {
    "created": _("new values"),
    "changed": _("changed values"),
    "unchanged": _("unchanged values"),
}


class AuditEntry(TenantModel):
    """History: who changed what, when, with the values before and after."""

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("history entry (logg)")
        verbose_name_plural = _("history")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["association", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def change_rows(self) -> list[tuple[str, object, object]]:
        """(label, before, after) with each field named as its model names it."""
        from django.apps import apps
        from django.core.exceptions import FieldDoesNotExist

        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        rows = []
        for name, (before, after) in self.changes.items():
            label = CHANGE_LABELS.get(name, name)
            if model is not None and name not in CHANGE_LABELS:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
                # Reverse relations have no verbose name; they keep the key.
                if field is not None and hasattr(field, "verbose_name"):
                    label = field.verbose_name
                    if field.choices:
                        choices = dict(field.flatchoices)
                        before, after = choices.get(before, before), choices.get(after, after)
            rows.append((str(label), before, after))
        return rows


def document_file_path(version: "DocumentVersion", filename: str) -> str:
    """``documents/<association id>/<random token>/<safe name>``: the token keeps two files
    of the same name apart and makes stored names unguessable; the safe name is ASCII
    (``Årsmöte 2025.pdf`` → ``arsmote-2025.pdf``) so that every storage backend takes it."""
    import secrets
    from pathlib import PurePath

    from django.utils.text import slugify

    path = PurePath(filename)
    stem = slugify(path.stem)[:80] or "handling"
    suffix = slugify(path.suffix.lstrip("."))[:10]
    name = f"{stem}.{suffix}" if suffix else stem
    return f"documents/{version.association_id}/{secrets.token_hex(16)}/{name}"


class Document(TenantModel):
    """A document (handling) of any app: its versions keep every file ever uploaded.

    Who may see it is decided by the app that refers to it (a meeting, an agreement); the
    flag ``is_public`` only records that the app may show it to everyone.
    """

    title = models.CharField(_("title"), max_length=200)
    is_public = models.BooleanField(_("public"), default=False)
    current_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("document (handling)")
        verbose_name_plural = _("documents (handlingar)")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(locking.LockedModel, TenantModel):
    """One uploaded file of a document. Never changed once stored (the database refuses
    UPDATE and DELETE); a new upload is a new version. Versions leave only together with
    their whole document, through ``association.documents.delete_document``."""

    lock_field = None

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_file_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # The type found by reading the content, never the one the browser or the name claimed.
    content_type = models.CharField(_("file type"), max_length=120)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document version (version av handling)")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="unique_document_version_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="document_version_number_positive"
            ),
        ]
        triggers = locking.lock_triggers()

    def __str__(self) -> str:
        return f"{self.document} ({self.number})"
