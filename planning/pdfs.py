"""The plan's and the follow-up reports' PDFs: made by a Celery task with its progress shown
on the page, stored with the version they came from and served from storage until that
version changes.

The same pattern as the meeting package (governance/meetings/package.py): a key names what
the file holds (the plan's or report's ``version``, which every change raises, the plan's
version for a report, the language, the letterhead and ``PDF_FORMAT``); the file lives in
the storage under ``planning/<association id>/<kind>-<id>/<key>.pdf``; a note in the cache
per association, document and language names the task building it; the task reports
``PROGRESS {"done": n, "total": m}`` to the result backend, and the page reads it back. A
plan PDF has no per-reader content (staff see the whole plan, the public the published
one), so one file serves every reader, unlike the meeting package.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.pdf import render_pdf

# Raise when the layout changes, so that no file made the old way is served.
PDF_FORMAT = 1
FOLDER = "planning"
WAIT_LIMIT = datetime.timedelta(minutes=15)
NONE, WAITING, BUILDING, READY, FAILED = "none", "waiting", "building", "ready", "failed"
IN_FLIGHT = {WAITING, BUILDING}
KINDS = ("plan", "report")
# The steps the task reports: gather the contents, lay out the pages, store the file.
STEPS = 3


@dataclass(frozen=True)
class Status:
    state: str
    done: int = 0
    total: int = 0
    key: str = ""

    @property
    def in_flight(self) -> bool:
        return self.state in IN_FLIGHT

    @property
    def token(self) -> str:
        return f"{self.state}-{self.done}-{self.total}"


def document_key(kind: str, obj, language: str) -> str:
    plan = obj if kind == "plan" else obj.plan
    association = plan.association
    logo = association.logo.name if association.logo else ""
    parts = [kind, obj.pk, obj.version, plan.pk, plan.version, plan.is_published, language,
             association.name, logo, PDF_FORMAT]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def storage_name(association_id: int, kind: str, pk: int, key: str) -> str:
    return f"{FOLDER}/{int(association_id)}/{kind}-{int(pk)}/{key}.pdf"


def _note_key(association_id: int, kind: str, pk: int, language: str) -> str:
    return f"planning:pdf:{association_id}:{kind}:{pk}:{language}"


def status(kind: str, obj, language: str) -> Status:
    """Where the PDF of ``obj``'s current version stands."""
    key = document_key(kind, obj, language)
    if default_storage.exists(storage_name(obj.association_id, kind, obj.pk, key)):
        return Status(READY, key=key)
    noted = cache.get(_note_key(obj.association_id, kind, obj.pk, language))
    if not noted or noted.get("key") != key:
        return Status(NONE, key=key)
    from celery.result import AsyncResult

    result = AsyncResult(noted["task"])
    if result.state in {"FAILURE", "REVOKED"}:
        return Status(FAILED, key=key)
    if result.state == "SUCCESS":
        return Status(FAILED, key=key)  # finished, yet no file: removed or never stored
    if timezone.now().timestamp() - float(noted.get("asked", 0)) > WAIT_LIMIT.total_seconds():
        return Status(FAILED, key=key)
    if result.state == "PROGRESS":
        info = result.info if isinstance(result.info, dict) else {}
        return Status(BUILDING, int(info.get("done", 0)), int(info.get("total", 0)), key)
    return Status(WAITING, key=key)


def request_pdf(kind: str, obj, language: str) -> Status:
    """Queue the task (after the commit) unless the file is there or is being made."""
    from planning.tasks import build_planning_pdf

    current = status(kind, obj, language)
    if current.in_flight or current.state == READY:
        return current
    task_id = uuid.uuid4().hex
    cache.set(
        _note_key(obj.association_id, kind, obj.pk, language),
        {"task": task_id, "key": current.key, "asked": timezone.now().timestamp()},
        timeout=int(WAIT_LIMIT.total_seconds()) * 4,
    )
    association_id, pk = obj.association_id, obj.pk
    transaction.on_commit(
        lambda: build_planning_pdf.apply_async(
            args=[association_id, kind, pk, language], task_id=task_id
        )
    )
    return Status(WAITING, key=current.key)


def open_ready(kind: str, obj, language: str):
    """The stored file of the current version, or None."""
    key = document_key(kind, obj, language)
    try:
        return default_storage.open(storage_name(obj.association_id, kind, obj.pk, key), "rb")
    except OSError:
        return None


def store(name: str, pdf: bytes) -> None:
    if default_storage.exists(name):
        return  # the same key is the same bytes
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:
        default_storage.delete(saved)


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
