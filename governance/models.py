from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from association.tenancy import TenantModel


class BodyKind(models.TextChoices):
    ASSEMBLY = "assembly", _("Assembly")
    BOARD = "board", _("Board")
    COUNCIL = "council", _("Regional council")
    PRESIDIUM = "presidium", _("Presidium")
    PREPARATORY_COMMITTEE = "preparatory_committee", _("Preparatory committee")
    CHIEF_EXECUTIVES = "chief_executives", _("Chief executives' group")
    JOINT_COMMITTEE = "joint_committee", _("Joint committee")
    OTHER = "other", _("Other body")


class Body(TenantModel):
    """A governing body (organ): assembly, board, preparatory committee and the like."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=60)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    description = models.TextField(_("description"), blank=True)
    members_information = models.TextField(
        _("information for members"),
        blank=True,
        help_text=_("Shown only to the body's members and the association's staff."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("body (organ)")
        verbose_name_plural = _("bodies")
        ordering = ["ordering", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "slug"], name="body_slug_per_association"
            ),
        ]
        permissions = [("view_body_documents", _("See the body's non-public documents"))]

    def __str__(self) -> str:
        return self.name


class BodyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)


class BodyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    SECRETARY = "secretary", _("Secretary")


class Seat(TenantModel):
    """A person's seat in a body for a term (ledamot, ersättare, ordförande …)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seats",
        verbose_name=_("person"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=20, choices=SeatRole.choices)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat (uppdrag)")
        verbose_name_plural = _("seats")
        ordering = ["body", "role", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="seat_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.body}"
