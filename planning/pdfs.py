"""The plan's and the follow-up reports' PDFs: made by a Celery task with its progress shown
on the page, stored with the version they came from and served from storage until that
version changes.

They run on the shared generated-files mechanism (``association/pdfjobs.py``: storage,
notes, task progress, the progress view), as the meeting package does. What is planning's
own: the key (the plan's or report's ``version``, which every change raises, the plan's
version for a report, the language, the letterhead and ``PDF_FORMAT``), the place
``<kind>-<id>`` under ``planning/<association id>/``, and the rendering. A plan PDF has no
per-reader content (staff see the whole plan, the public the published one), so one file
serves every reader and the note is per document and language, unlike the meeting package.
A published plan or report has its public PDFs made ahead (``tasks.make_public_pdfs``, sent
on commit by the publish step), so a visitor does not wait for them.
"""

import hashlib

from django.conf import settings
from django.utils.translation import gettext as _

from association import pdfjobs
from association.pdf import render_pdf
from association.pdfjobs import BUILDING, FAILED, NONE, READY, WAITING, Status
from association.tenancy import tenant_scope

# Raise when the layout changes, so that no file made the old way is served.
PDF_FORMAT = 1
FOLDER = "planning"
KINDS = ("plan", "report")
# The steps the task reports: gather the contents, lay out the pages, store the file.
STEPS = 3

PLANNING_PDFS = pdfjobs.Kind(folder=FOLDER)

__all__ = ["BUILDING", "FAILED", "NONE", "READY", "WAITING", "Status"]


def document_key(kind: str, obj, language: str) -> str:
    plan = obj if kind == "plan" else obj.plan
    association = plan.association
    logo = association.logo.name if association.logo else ""
    parts = [kind, obj.pk, obj.version, plan.pk, plan.version, plan.is_published, language,
             association.name, logo, PDF_FORMAT]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _place(kind: str, pk: int) -> str:
    return f"{kind}-{int(pk)}"


def storage_name(association_id: int, kind: str, pk: int, key: str) -> str:
    return PLANNING_PDFS.storage_name(association_id, _place(kind, pk), key)


def status(kind: str, obj, language: str) -> Status:
    """Where the PDF of ``obj``'s current version stands."""
    return PLANNING_PDFS.status(
        association_id=obj.association_id,
        subject=(kind, obj.pk, language),
        place=_place(kind, obj.pk),
        key=document_key(kind, obj, language),
    )


def request_pdf(kind: str, obj, language: str) -> Status:
    """Queue the task (after the commit) unless the file is there or is being made."""
    from planning.tasks import build_planning_pdf

    return PLANNING_PDFS.request(
        association_id=obj.association_id,
        subject=(kind, obj.pk, language),
        place=_place(kind, obj.pk),
        key=document_key(kind, obj, language),
        task=build_planning_pdf,
        args=[obj.association_id, kind, obj.pk, language],
    )


def make_public_pdfs(kind: str, association, pk: int) -> int:
    """Ask for the PDFs of a published plan or report in every language (each made by
    ``build_planning_pdf``, noted so that a visitor meanwhile follows it rather than asks
    again); skipped if it is not published (any more). Returns how many were asked for."""
    from planning import queries

    with tenant_scope(association):
        published = queries.published_plans if kind == "plan" else queries.published_reports
        obj = published(association).filter(pk=pk).first()
        if obj is None:
            return 0
        for language, _name in settings.LANGUAGES:
            request_pdf(kind, obj, language)
        return len(settings.LANGUAGES)


def open_ready(kind: str, obj, language: str):
    """The stored file of the current version, or None."""
    return PLANNING_PDFS.open(storage_name(obj.association_id, kind, obj.pk,
                                          document_key(kind, obj, language)))  # fmt: skip


def store(name: str, pdf: bytes) -> None:
    PLANNING_PDFS.store(name, pdf)


# --- the documents ------------------------------------------------------------------------

STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#b26a00", "behind": "#c62828",
                  "done": "#1f4e8c", "none": "#757575"}  # fmt: skip


def budget_chart(budget) -> dict:
    """A horizontal bar chart of the budget lines as SVG geometry (no script, no fonts
    outside the PDF's own)."""
    rows = [("income", row) for row in budget.income_rows] + [
        ("cost", row) for row in budget.cost_rows
    ]
    largest = max([row.amount for _kind, row in rows] + [1])
    bars = []
    for index, (kind, row) in enumerate(rows):
        bars.append({
            "y": 6 + index * 18, "text_y": 18 + index * 18, "label": row.label,
            "width": round(300 * row.amount / largest, 1), "kind": kind, "amount": row.amount,
        })  # fmt: skip
    return {"bars": bars, "height": 12 + len(rows) * 18}


def status_chart(counts: dict[str, int]) -> dict:
    from planning.models import Progress

    labels = {**{p.value: str(p.label) for p in Progress}, "none": _("No status")}
    total = sum(counts.values()) or 1
    x, parts = 0.0, []
    for key in ("done", "on_track", "at_risk", "behind", "none"):
        count = counts.get(key, 0)
        if not count:
            continue
        width = round(460 * count / total, 1)
        parts.append({"x": x, "width": width, "colour": STATUS_COLOURS[key],
                      "label": labels[key], "count": count})  # fmt: skip
        x += width
    return {"parts": parts}


def render_document(kind: str, obj, language: str, progress=None) -> bytes:
    """The PDF bytes of a plan or a report in ``language``; ``progress(done, total)``."""
    from django.utils import translation

    from planning import queries

    progress = progress or (lambda done, total: None)
    with translation.override(language):
        progress(0, STEPS)
        if kind == "plan":
            context = queries.plan_contents(obj)
            context["direction"] = queries.direction(obj.association, obj.direction_id).first()
            title = str(obj)
            template = "planning/pdf/plan.html"
        else:
            context = queries.report_contents(obj)
            context["status_chart"] = status_chart(context["status_counts"])
            title = f"{obj} – {obj.plan}"
            template = "planning/pdf/report.html"
        context["budget_chart"] = budget_chart(context["budget"])
        progress(1, STEPS)
        pdf = render_pdf(association=obj.association, template_name=template,
                         context=context, title=title, language=language)  # fmt: skip
        progress(2, STEPS)
    return pdf
