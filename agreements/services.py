"""Every change to outside organisations, agreements, follow-ups and projects: one
transaction each, with its history (``association.services.record_history``)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agreements import validity
from agreements.models import (
    RULE_MONTHS,
    Agreement,
    AgreementDocument,
    BudgetYear,
    FollowUp,
    Funding,
    OutsideOrganisation,
    Project,
    Signatory,
)
from association.documents import add_document
from association.models import Association, User
from association.services import record_history, update_versioned

AGREEMENT_M2M = ("municipalities", "organisations")
PROJECT_M2M = ("municipalities", "partners")
MAX_GENERATED = 60

NOTICE_BEFORE_START = _("Notice cannot be given before the agreement is valid.")
ALREADY_TERMINATED = _("Notice has already been given on %(day)s.")
NOT_SIGNED = _("A draft cannot be terminated; record the signing date first.")
FOLLOW_UP_ORDER = _("The last date must be on or after the first.")


def _names(objects) -> str:
    return ", ".join(sorted(str(o) for o in objects))


def _split(data: dict[str, Any], m2m: tuple[str, ...]) -> tuple[dict, dict]:
    plain = {k: v for k, v in data.items() if k not in m2m}
    related = {k: list(v) for k, v in data.items() if k in m2m}
    return plain, related


def _set_related(obj, related: dict[str, list]) -> dict[str, tuple[str, str]]:
    changes = {}
    for name, values in related.items():
        manager = getattr(obj, name)
        before = _names(manager.all())
        manager.set(values)
        after = _names(values)
        if before != after:
            changes[name] = (before or None, after or None)
    return changes


# --- outside organisations ----------------------------------------------------------------


@transaction.atomic
def create_organisation(
    *, association: Association, actor: User | None, **fields: Any
) -> OutsideOrganisation:
    organisation = OutsideOrganisation(association=association, **fields)
    organisation.full_clean()
    organisation.save()
    record_history(
        association=association, actor=actor, action="created", obj=organisation,
        changes={k: (None, v) for k, v in fields.items()},
    )  # fmt: skip
    return organisation


def update_organisation(
    *, organisation: OutsideOrganisation, actor: User | None, expected_version: int, data: dict
) -> OutsideOrganisation:
    return update_versioned(
        obj=organisation, actor=actor, expected_version=expected_version, data=data
    )


# --- agreements ---------------------------------------------------------------------------


@transaction.atomic
def create_agreement(*, association: Association, actor: User | None, **fields: Any) -> Agreement:
    plain, related = _split(fields, AGREEMENT_M2M)
    agreement = Agreement(association=association, **plain)
    agreement.full_clean()
    agreement.save()
    changes = {k: (None, v) for k, v in plain.items() if v not in (None, "")}
    changes.update(_set_related(agreement, related))
    record_history(
        association=association, actor=actor, action="created", obj=agreement, changes=changes
    )
    return agreement


@transaction.atomic
def update_agreement(
    *, agreement: Agreement, actor: User | None, expected_version: int, data: dict[str, Any]
) -> Agreement:
    """An amendment: the new terms become the current version; the history keeps what
    changed, when and by whom."""
    plain, related = _split(data, AGREEMENT_M2M)
    updated = update_versioned(
        obj=agreement, actor=actor, expected_version=expected_version, data=plain
    )
    changes = _set_related(updated, related)
    if changes:
        record_history(
            association=updated.association, actor=actor, action="updated", obj=updated,
            changes=changes,
        )  # fmt: skip
    return updated


@transaction.atomic
def terminate(
    *, agreement: Agreement, actor: User | None, given_by: str, given_on: date
) -> Agreement:
    """Record that ``given_by`` gave notice on ``given_on``; the end date follows from the
    agreement's terms (``validity.end_after_notice``)."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.notice_given_on is not None:
        raise ValidationError(
            {"given_on": ALREADY_TERMINATED % {"day": locked.notice_given_on.isoformat()}}
        )
    if locked.start is None:
        raise ValidationError(NOT_SIGNED)
    if given_on < locked.start:
        raise ValidationError({"given_on": NOTICE_BEFORE_START})
    given_by = given_by.strip()
    if not given_by:
        raise ValidationError({"given_by": _("Say which party gave notice.")})
    locked.notice_given_on, locked.notice_given_by = given_on, given_by[:200]
    end = validity.end_after_notice(locked.terms(), given_on)
    locked.version += 1
    locked.save(update_fields=["notice_given_on", "notice_given_by", "version"])
    record_history(
        association=locked.association, actor=actor, action="updated", obj=locked,
        changes={
            "notice_given_on": (None, given_on), "notice_given_by": (None, given_by),
            "ends_on": (locked.ends_on, end),
        },
    )  # fmt: skip
    return locked


@transaction.atomic
def add_signatory(
    *, agreement: Agreement, actor: User | None, name: str, party: str, signed_on: date | None
) -> Signatory:
    signatory = Signatory(
        association=agreement.association, agreement=agreement, name=name.strip(),
        party=party.strip(), signed_on=signed_on,
    )  # fmt: skip
    signatory.full_clean()
    signatory.save()
    record_history(
        association=agreement.association, actor=actor, action="created", obj=signatory,
        changes={"name": (None, signatory.name), "party": (None, signatory.party),
                 "signed_on": (None, signed_on)},
    )  # fmt: skip
    return signatory


@transaction.atomic
def attach_document(
    *, agreement: Agreement, actor: User | None, upload, title: str = "", is_public: bool = False
) -> AgreementDocument:
    """A signed document through the shared documents module (checks, versions, storage)."""
    document = add_document(
        association=agreement.association, actor=actor, upload=upload, title=title,
        is_public=is_public,
    )  # fmt: skip
    return AgreementDocument.objects.create(
        association=agreement.association, agreement=agreement, document=document
    )


# --- follow-up ----------------------------------------------------------------------------


@transaction.atomic
def add_follow_up(*, agreement: Agreement, actor: User | None, **fields: Any) -> FollowUp:
    follow_up = FollowUp(association=agreement.association, agreement=agreement, **fields)
    follow_up.full_clean()
    follow_up.save()
    record_history(
        association=agreement.association, actor=actor, action="created", obj=follow_up,
        changes={"title": (None, follow_up.title), "due_on": (None, follow_up.due_on)},
    )  # fmt: skip
    return follow_up


def plan_dates(rule: str, first_on: date, until: date) -> list[date]:
    """The dates of a follow-up plan: ``first_on`` and every interval after it up to
    ``until`` (at most ``MAX_GENERATED``)."""
    months = RULE_MONTHS[rule]
    days = []
    number = 0
    while len(days) < MAX_GENERATED:
        day = validity.add_months(first_on, months * number)
        if day > until:
            break
        days.append(day)
        number += 1
    return days


@transaction.atomic
def generate_follow_ups(
    *, agreement: Agreement, actor: User | None, rule: str, title: str, first_on: date,
    until: date, body=None, responsible: str = "",
) -> list[FollowUp]:  # fmt: skip
    """Dated occasions from a plan rule (e.g. a management dialogue twice a year); a date
    that already has an occasion of the same title is left alone, so running it again adds
    nothing."""
    if until < first_on:
        raise ValidationError({"until": FOLLOW_UP_ORDER})
    existing = set(
        FollowUp.objects.filter(agreement=agreement, title=title).values_list("due_on", flat=True)
    )
    made = [
        add_follow_up(
            agreement=agreement,
            actor=actor,
            title=title,
            due_on=day,
            body=body,
            responsible=responsible,
        )
        for day in plan_dates(rule, first_on, until)
        if day not in existing
    ]
    return made


def record_outcome(
    *, follow_up: FollowUp, actor: User | None, expected_version: int, data: dict
) -> FollowUp:
    return update_versioned(
        obj=follow_up, actor=actor, expected_version=expected_version, data=data
    )


# --- projects -----------------------------------------------------------------------------


@transaction.atomic
def create_project(*, association: Association, actor: User | None, **fields: Any) -> Project:
    plain, related = _split(fields, PROJECT_M2M)
    project = Project(association=association, **plain)
    project.full_clean()
    project.save()
    changes = {k: (None, v) for k, v in plain.items() if v not in (None, "")}
    changes.update(_set_related(project, related))
    record_history(
        association=association, actor=actor, action="created", obj=project, changes=changes
    )
    return project


@transaction.atomic
def update_project(
    *, project: Project, actor: User | None, expected_version: int, data: dict[str, Any]
) -> Project:
    plain, related = _split(data, PROJECT_M2M)
    updated = update_versioned(
        obj=project, actor=actor, expected_version=expected_version, data=plain
    )
    changes = _set_related(updated, related)
    if changes:
        record_history(
            association=updated.association, actor=actor, action="updated", obj=updated,
            changes=changes,
        )  # fmt: skip
    return updated


@transaction.atomic
def set_budget(*, project: Project, actor: User | None, year: int, amount: int) -> BudgetYear:
    row = BudgetYear.objects.select_for_update().filter(project=project, year=year).first()
    before = row.amount if row else None
    if row is None:
        row = BudgetYear(association=project.association, project=project, year=year, amount=0)
    row.amount = amount
    row.full_clean()
    row.save()
    if before != amount:
        record_history(
            association=project.association, actor=actor,
            action="created" if before is None else "updated", obj=row,
            changes={"amount": (before, amount)},
        )  # fmt: skip
    return row


@transaction.atomic
def add_funding(*, project: Project, actor: User | None, **fields: Any) -> Funding:
    funding = Funding(association=project.association, project=project, **fields)
    funding.full_clean()
    funding.save()
    record_history(
        association=project.association, actor=actor, action="created", obj=funding,
        changes={k: (None, v) for k, v in fields.items() if v not in (None, "")},
    )  # fmt: skip
    return funding


@transaction.atomic
def delete_funding(*, funding: Funding, actor: User | None) -> None:
    record_history(
        association=funding.association, actor=actor, action="deleted", obj=funding,
        changes={"amount": (funding.amount, None), "year": (funding.year, None)},
    )  # fmt: skip
    funding.delete()
