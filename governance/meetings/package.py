"""The meeting package: the agenda as a PDF with every document the reader may see after
it. PDFs are merged; other files (Word, images...) are listed by name.

Built by a Celery task (``tasks.build_meeting_package``), never in a request: a big meeting
takes seconds (``bench/meeting_package.py``: 40 items with 60 documents). The member asks
for it on the agenda page, follows the progress on the package page and downloads the
finished file from there. The pieces:

- ``contents`` and ``package_key``: what the reader may see (the same predicates as the
  pages, ``permissions.py``) and a key made of it: the meeting, the visible items and the
  visible documents' current versions, the language and the letterhead. The same key means
  the same PDF, so a package built less than ``PACKAGE_KEEP`` ago is reused, also for
  another reader who sees exactly the same; a new document version makes a new key.
- The file lives in the storage (``default_storage``) under
  ``packages/<association id>/<meeting id>/<key>.pdf``, never under a public URL: it is
  served only by the package download view, to a reader whose own request led to it
  (``remember``: a note per association, meeting and user in the cache) and who may still
  see the meeting. Files older than ``PACKAGE_KEEP`` are removed by the periodic
  ``tasks.remove_old_packages`` (``CELERY_BEAT_SCHEDULE``).
- The task reports its progress (``PROGRESS {"done": n, "total": m}``: the cover, then each
  document merged) to the Celery result backend, which holds only that and the key; the
  package page reads it back (``status``).

A bound stays: at most ``package_max_bytes()`` of PDF documents are merged (a setting,
``SAMVERKA_PACKAGE_MAX_BYTES``, default 150 MB); documents beyond it are listed like the
other files, so no build reads more than that.
"""

import datetime
import hashlib
import json
import posixpath
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.pdf import merge_pdfs, render_pdf
from governance.meetings import queries
from governance.meetings.permissions import may_see_document, may_see_item, sees_everything

DEFAULT_PACKAGE_MAX_BYTES = 150 * 1024 * 1024
# How long a built package is reused and kept; the periodic cleanup removes older files.
PACKAGE_KEEP = datetime.timedelta(days=1)
PACKAGE_FOLDER = "packages"
# A request not finished after this long counts as lost (a broker restart, a killed worker):
# the page then offers to try again instead of waiting for ever. The bench's big meeting
# takes well under a minute.
PACKAGE_WAIT_LIMIT = datetime.timedelta(minutes=15)
# Raise when the package's layout changes, so no file built the old way is reused.
PACKAGE_FORMAT = 1

# The states ``status`` reports.
NONE, WAITING, BUILDING, READY, FAILED, REFUSED = (
    "none",
    "waiting",
    "building",
    "ready",
    "failed",
    "refused",
)
IN_FLIGHT = {WAITING, BUILDING}


def package_max_bytes() -> int:
    return int(getattr(settings, "SAMVERKA_PACKAGE_MAX_BYTES", DEFAULT_PACKAGE_MAX_BYTES))


# --- building -----------------------------------------------------------------------------


def build_package(
    *,
    meeting,
    items,
    may_see_document,
    language: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """``items`` are the visible agenda items (with prefetched attachments);
    ``may_see_document(link)`` decides each document. ``progress(done, total)`` is called
    once the cover is rendered and after each document is added (``total`` counts the
    cover and the documents to merge)."""
    budget = package_max_bytes()
    merged, listed, parts = [], [], []
    for item in items:
        for link in item.attachments.all():
            version = link.document.current_version
            if version is None or not may_see_document(link):
                continue
            if version.content_type == "application/pdf" and version.size <= budget:
                budget -= version.size
                merged.append((item, link, version))
            else:
                listed.append((item, link, version))
    total = 1 + len(merged)
    report = progress or (lambda done, total: None)
    report(0, total)
    cover = render_pdf(
        association=meeting.association,
        template_name="meetings/pdf/package.html",
        context={"meeting": meeting, "items": items, "merged": merged, "listed": listed},
        title=_("Meeting package: %(meeting)s") % {"meeting": meeting},
        language=language,
    )
    parts.append(cover)
    report(1, total)
    for done, (_item, _link, version) in enumerate(merged, start=2):
        with version.file.open("rb") as handle:
            parts.append(handle.read())
        report(done, total)
    return merge_pdfs(parts) if len(parts) > 1 else cover


def contents(reader, meeting) -> tuple[list, Callable]:
    """The agenda items ``reader`` (a request or a ``permissions.Reader``) may see, and the
    predicate for their documents."""
    everything = sees_everything(reader, meeting)
    items = [item for item in queries.agenda(meeting) if may_see_item(reader, item, everything)]

    def may_see(link) -> bool:
        return may_see_document(reader, link, everything)

    return items, may_see


def package_key(*, meeting, items, may_see_document, language: str) -> str:
    """Everything the package's bytes depend on, hashed: readers with the same key get the
    same PDF."""
    facts = {
        "format": PACKAGE_FORMAT,
        "language": language,
        "association": [meeting.association_id, meeting.association.version],
        "meeting": [meeting.pk, meeting.version, meeting.updated_at.isoformat()],
        "body": meeting.body.name,
        "items": [
            [
                item.pk,
                item.version,
                item.position,
                item.number,
                item.changed_after_notice,
                [
                    [
                        link.document_id,
                        link.document.title,
                        link.document.current_version_id,
                        link.document.current_version.sha256
                        if link.document.current_version
                        else "",
                    ]
                    for link in item.attachments.all()
                    if may_see_document(link)
                ],
            ]
            for item in items
        ],
        "max_bytes": package_max_bytes(),
    }
    encoded = json.dumps(facts, sort_keys=True, ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:40]


def current_key(*, reader, meeting, language: str) -> str:
    """The key of the package ``reader`` would get now."""
    items, may_see = contents(reader, meeting)
    return package_key(meeting=meeting, items=items, may_see_document=may_see, language=language)


def storage_name(association_id: int, meeting_id: int, key: str) -> str:
    return f"{PACKAGE_FOLDER}/{int(association_id)}/{int(meeting_id)}/{key}.pdf"


def built_at(name: str) -> datetime.datetime | None:
    """When the stored package was written, or None if there is none."""
    try:
        return default_storage.get_modified_time(name)
    except OSError:
        return None


def is_fresh(name: str) -> bool:
    """The stored package exists and is younger than ``PACKAGE_KEEP``."""
    built = built_at(name)
    return built is not None and timezone.now() - built < PACKAGE_KEEP


def store(name: str, pdf: bytes) -> None:
    """Save the package under ``name``. A stale file of the same name goes first; if another
    build of the same key saved it meanwhile, that one is kept (the bytes are the same)."""
    if default_storage.exists(name) and not is_fresh(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:
        default_storage.delete(saved)


def remove_old_packages(*, now: datetime.datetime | None = None) -> int:
    """Delete stored packages older than ``PACKAGE_KEEP`` (every association); returns how
    many."""
    now = now or timezone.now()
    removed = 0
    folders = [PACKAGE_FOLDER]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except OSError:
            continue
        folders.extend(posixpath.join(folder, name) for name in subfolders)
        for name in files:
            path = posixpath.join(folder, name)
            try:
                old = now - default_storage.get_modified_time(path) >= PACKAGE_KEEP
            except OSError:
                continue
            if old:
                default_storage.delete(path)
                removed += 1
    return removed


# --- asking and following -----------------------------------------------------------------


def _note_key(association_id: int, meeting_id: int, user_id: int) -> str:
    return f"meetings:package:{association_id}:{meeting_id}:{user_id}"


def remember(*, association_id: int, meeting_id: int, user_id: int, task="", key="") -> None:
    """Note the user's latest request for the meeting's package: the task building it, or
    the key of the finished file."""
    cache.set(
        _note_key(association_id, meeting_id, user_id),
        {"task": task, "key": key, "asked": timezone.now().timestamp()},
        timeout=int(PACKAGE_KEEP.total_seconds()),
    )


def note(*, association_id: int, meeting_id: int, user_id: int) -> dict | None:
    """The user's latest request as ``remember`` noted it (``task``, ``key``), or None."""
    return cache.get(_note_key(association_id, meeting_id, user_id))


@dataclass(frozen=True)
class Status:
    state: str
    done: int = 0
    total: int = 0
    key: str = ""
    built: datetime.datetime | None = None

    @property
    def in_flight(self) -> bool:
        return self.state in IN_FLIGHT

    @property
    def token(self) -> str:
        """Changes whenever what the progress page shows changes."""
        return f"{self.state}-{self.done}-{self.total}"


def status(*, association_id: int, meeting_id: int, user_id: int) -> Status:
    """Where the user's latest request for the meeting's package stands."""
    noted = note(association_id=association_id, meeting_id=meeting_id, user_id=user_id)
    if not noted:
        return Status(NONE)
    key = noted.get("key", "")
    if noted.get("task"):
        from celery.result import AsyncResult

        result = AsyncResult(noted["task"])
        state = result.state
        if state in {"FAILURE", "REVOKED"}:
            return Status(FAILED)
        if state != "SUCCESS":
            waited = timezone.now().timestamp() - float(noted.get("asked", 0))
            if waited > PACKAGE_WAIT_LIMIT.total_seconds():
                return Status(FAILED)  # lost on the way: a broker restart, a killed worker
            if state == "PROGRESS":
                info = result.info if isinstance(result.info, dict) else {}
                done, total = int(info.get("done", 0)), int(info.get("total", 0))
                return Status(BUILDING, done=done, total=total)
            return Status(WAITING)  # PENDING, RECEIVED, STARTED, RETRY
        outcome = result.result if isinstance(result.result, dict) else {}
        if outcome.get("status") == REFUSED:
            return Status(REFUSED)
        key = str(outcome.get("key", ""))
    built = built_at(storage_name(association_id, meeting_id, key)) if key else None
    if built is not None and timezone.now() - built < PACKAGE_KEEP:
        return Status(READY, key=key, built=built)
    return Status(NONE)


def request_package(*, reader, meeting, language: str) -> Status:
    """Ask for the meeting's package as ``reader`` sees it: a fresh package of the same key
    is reused; a build already under way is followed rather than started twice; else the
    task is queued (after the commit)."""
    from governance.meetings.tasks import build_meeting_package

    association_id, meeting_id, user_id = meeting.association_id, meeting.pk, reader.user.pk
    current = status(association_id=association_id, meeting_id=meeting_id, user_id=user_id)
    if current.in_flight:
        return current
    key = current_key(reader=reader, meeting=meeting, language=language)
    ids = {"association_id": association_id, "meeting_id": meeting_id, "user_id": user_id}
    if is_fresh(storage_name(association_id, meeting_id, key)):
        remember(**ids, key=key)
        return Status(READY, key=key)
    task_id = uuid.uuid4().hex
    remember(**ids, task=task_id)
    transaction.on_commit(
        lambda: build_meeting_package.apply_async(
            args=[association_id, meeting_id, user_id, language], task_id=task_id
        )
    )
    return Status(WAITING)


def notice_pdf(*, meeting, items, language: str | None = None) -> bytes:
    return render_pdf(
        association=meeting.association,
        template_name="meetings/pdf/notice.html",
        context={"meeting": meeting, "items": items},
        title=_("Notice: %(meeting)s") % {"meeting": meeting},
        language=language,
    )


__all__ = ["build_package", "minutes_pdf", "notice_pdf", "request_package", "status"]


def minutes_pdf(*, meeting, context: dict, language: str | None = None) -> bytes:
    """The minutes (``record_views.minutes_context``) as an archival, tagged PDF."""
    from django.utils import timezone

    from association.pdf import ARCHIVAL

    day = timezone.localtime(meeting.starts_at)
    title = _("Minutes: %(body)s %(date)s") % {"body": meeting.body.name, "date": f"{day:%Y-%m-%d}"}
    return render_pdf(
        association=meeting.association,
        template_name="meetings/pdf/minutes.html",
        context={**context, "meeting": meeting},
        title=title,
        language=language,
        variant=ARCHIVAL,
    )
