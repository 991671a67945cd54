"""The meeting package: the agenda as a PDF with every document the reader may see after
it. PDFs are merged; other files (Word, images...) are listed by name.

Built synchronously in the request, with a bound: at most ``PACKAGE_MAX_BYTES`` of PDF
documents are merged (a setting, ``SAMVERKA_PACKAGE_MAX_BYTES``, default 150 MB); documents
beyond it are listed like the other files, so no request reads more than that. The bench
(``bench/meeting_package.py``) measures 40 items with 60 documents; a Celery task is the
next step if real meetings outgrow the bound.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from association.pdf import merge_pdfs, render_pdf

DEFAULT_PACKAGE_MAX_BYTES = 150 * 1024 * 1024


def package_max_bytes() -> int:
    return int(getattr(settings, "SAMVERKA_PACKAGE_MAX_BYTES", DEFAULT_PACKAGE_MAX_BYTES))


def build_package(*, meeting, items, may_see_document, language: str | None = None) -> bytes:
    """``items`` are the visible agenda items (with prefetched attachments);
    ``may_see_document(link)`` decides each document."""
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
    cover = render_pdf(
        association=meeting.association,
        template_name="meetings/pdf/package.html",
        context={"meeting": meeting, "items": items, "merged": merged, "listed": listed},
        title=_("Meeting package: %(meeting)s") % {"meeting": meeting},
        language=language,
    )
    parts.append(cover)
    for _item, _link, version in merged:
        with version.file.open("rb") as handle:
            parts.append(handle.read())
    return merge_pdfs(parts) if len(parts) > 1 else cover


def notice_pdf(*, meeting, items, language: str | None = None) -> bytes:
    return render_pdf(
        association=meeting.association,
        template_name="meetings/pdf/notice.html",
        context={"meeting": meeting, "items": items},
        title=_("Notice: %(meeting)s") % {"meeting": meeting},
        language=language,
    )


__all__ = ["build_package", "notice_pdf"]


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
