"""The meeting package: the agenda as a PDF with every document the reader may see after
it. PDFs are merged; other files (Word, images...) are listed by name.

Built by a Celery task (``tasks.build_meeting_package``), never in a request: a big meeting
takes seconds (``bench/meeting_package.py``: 40 items with 60 documents). It runs on the
shared generated-files mechanism (``association/pdfjobs.py``: storage, notes, progress,
the sweep, the progress view); what is the package's own is here:

- ``contents`` and ``package_key``: what the reader may see (the same predicates as the
  pages, ``permissions.py``) and a key made of it: the meeting, the visible items and the
  visible documents' current versions, the language and the letterhead. The same key means
  the same PDF, so a package built less than ``PACKAGE_KEEP`` ago is reused, also for
  another reader who sees exactly the same; a new document version makes a new key.
- The file lives under ``packages/<association id>/<meeting id>/<key>.pdf``. It is served
  only by the package download view, to a reader whose own request led to it (the note is
  per association, meeting and user) and who may still see the meeting. Files older than
  ``PACKAGE_KEEP`` are removed by the hourly sweep.
- The task reports its progress (the cover, then each document merged).

A bound stays: at most ``package_max_bytes()`` of PDF documents are merged (a setting,
``SAMVERKA_PACKAGE_MAX_BYTES``, default 150 MB); documents beyond it are listed like the
other files, so no build reads more than that.
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from association import pdfjobs
from association.pdf import merge_pdfs, render_pdf
from association.pdfjobs import BUILDING, FAILED, NONE, READY, REFUSED, WAITING, Status
from governance.meetings import queries
from governance.meetings.permissions import may_see_document, may_see_item, sees_everything

DEFAULT_PACKAGE_MAX_BYTES = 150 * 1024 * 1024
# How long a built package is reused and kept; the hourly sweep removes older files.
PACKAGE_KEEP = datetime.timedelta(days=1)
PACKAGE_FOLDER = "packages"
PACKAGE_WAIT_LIMIT = pdfjobs.WAIT_LIMIT
# Raise when the package's layout changes, so no file built the old way is reused.
PACKAGE_FORMAT = 1

PACKAGES = pdfjobs.Kind(folder=PACKAGE_FOLDER, keep=PACKAGE_KEEP, wait_limit=PACKAGE_WAIT_LIMIT)


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
    return PACKAGES.storage_name(association_id, str(int(meeting_id)), key)


# --- asking and following (one note per association, meeting and user) -------------------


def _note_key(association_id: int, meeting_id: int, user_id: int) -> str:
    return PACKAGES.note_key(association_id, (meeting_id, user_id))


def remember(*, association_id: int, meeting_id: int, user_id: int, task="", key="") -> None:
    """Note the user's latest request for the meeting's package: the task building it, or
    the key of the finished file."""
    PACKAGES.remember(association_id, (meeting_id, user_id), task=task, key=key)


def note(*, association_id: int, meeting_id: int, user_id: int) -> dict | None:
    """The user's latest request as ``remember`` noted it (``task``, ``key``), or None."""
    return PACKAGES.note(association_id, (meeting_id, user_id))


def status(*, association_id: int, meeting_id: int, user_id: int) -> Status:
    """Where the user's latest request for the meeting's package stands."""
    return PACKAGES.status(
        association_id=association_id, subject=(meeting_id, user_id), place=str(int(meeting_id))
    )


def request_package(*, reader, meeting, language: str) -> Status:
    """Ask for the meeting's package as ``reader`` sees it: a fresh package of the same key
    is reused; a build of it already under way is followed rather than started twice; else
    the task is queued (after the commit)."""
    from governance.meetings.tasks import build_meeting_package

    association_id, meeting_id, user_id = meeting.association_id, meeting.pk, reader.user.pk
    return PACKAGES.request(
        association_id=association_id,
        subject=(meeting_id, user_id),
        place=str(int(meeting_id)),
        key=current_key(reader=reader, meeting=meeting, language=language),
        task=build_meeting_package,
        args=[association_id, meeting_id, user_id, language],
    )


def notice_pdf(*, meeting, items, language: str | None = None) -> bytes:
    return render_pdf(
        association=meeting.association,
        template_name="meetings/pdf/notice.html",
        context={"meeting": meeting, "items": items},
        title=_("Notice: %(meeting)s") % {"meeting": meeting},
        language=language,
    )


__all__ = [
    "BUILDING",
    "FAILED",
    "NONE",
    "READY",
    "REFUSED",
    "WAITING",
    "build_package",
    "minutes_pdf",
    "notice_pdf",
    "request_package",
    "status",
]


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
