"""Documents (handlingar) for every app: checked uploads, versions, storage, downloads.

- ``detect_document_type(upload)`` reads the CONTENT (never the name or the browser's claim)
  and accepts PDF, Word/Excel/PowerPoint (OOXML and the old OLE2 formats), OpenDocument
  text/spreadsheet/presentation, PNG, JPEG, WebP and GIF. Everything else (HTML, SVG,
  scripts, programs, macro-enabled Office files, other archives, zip bombs, empty files,
  files over ``SAMVERKA_DOCUMENT_MAX_BYTES``) is refused with a translated
  ``ValidationError``; so is a name whose extension belongs to another accepted type
  (a PDF called ``x.docx``).
- ``DocumentUploadField`` runs those checks in any app's form.
- ``add_document``, ``add_version``, ``set_document_public`` and ``delete_document`` are the
  services: one transaction each, with history. Files go through Django's storage API
  (``STORAGES["default"]``), under ``documents/<association id>/<random token>/<name>``.
- ``document_response(version)`` streams a version from storage with download headers.
  Who may download is the calling view's decision (each app decides for its documents).

A meeting's download view, for example (the app's own permission check first; another
association's document is a 404 because the scoped manager cannot find it)::

    class PaperDownloadView(AccessMixin, View):
        access = "meeting_papers"           # the app's predicate decides who may see them

        def get(self, request, association, pk, number):
            version = get_object_or_404(
                DocumentVersion.objects.select_related("document"),
                document__meeting_papers__meeting=self.meeting, document_id=pk, number=number,
            )
            return document_response(version)

Versions never change: ``DocumentVersion`` is insert-only (``association.locking``; the
database refuses UPDATE and DELETE). A document may be deleted as a whole (a wrong upload,
a document that must be withdrawn): ``delete_document`` removes its versions past the lock,
writes the history, and the files leave storage once the transaction commits. A file stored
by a transaction that later rolls back stays in storage (Django has no on-rollback hook); a
service that fails itself removes what it stored.
"""

import hashlib
import logging
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO
from urllib.parse import quote

import pgtrigger
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from association.models import Association, Document, DocumentVersion, User
from association.services import record_history
from association.storage import delete_file_on_commit

__all__ = [
    "DocumentType",
    "DocumentUploadField",
    "add_document",
    "add_version",
    "delete_document",
    "detect_document_type",
    "document_response",
    "set_document_public",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
PDF = DocumentType("pdf", _("PDF document"), "application/pdf", ("pdf",))
DOCX = DocumentType("docx", _("Word document"), _OOXML + "wordprocessingml.document", ("docx",))
XLSX = DocumentType("xlsx", _("Excel workbook"), _OOXML + "spreadsheetml.sheet", ("xlsx",))
PPTX = DocumentType(
    "pptx", _("PowerPoint presentation"), _OOXML + "presentationml.presentation", ("pptx",)
)
ODT = DocumentType("odt", _("OpenDocument text"), _ODF + "text", ("odt",))
ODS = DocumentType("ods", _("OpenDocument spreadsheet"), _ODF + "spreadsheet", ("ods",))
ODP = DocumentType("odp", _("OpenDocument presentation"), _ODF + "presentation", ("odp",))
DOC = DocumentType("doc", _("Word document (old format)"), "application/msword", ("doc",))
XLS = DocumentType("xls", _("Excel workbook (old format)"), "application/vnd.ms-excel", ("xls",))
PPT = DocumentType(
    "ppt", _("PowerPoint presentation (old format)"), "application/vnd.ms-powerpoint", ("ppt",)
)
PNG = DocumentType("png", _("PNG image"), "image/png", ("png",))
JPEG = DocumentType("jpeg", _("JPEG image"), "image/jpeg", ("jpg", "jpeg"))
WEBP = DocumentType("webp", _("WebP image"), "image/webp", ("webp",))
GIF = DocumentType("gif", _("GIF image"), "image/gif", ("gif",))

DOCUMENT_TYPES = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, PNG, JPEG, WEBP, GIF)
TYPES_BY_CONTENT_TYPE = {t.content_type: t for t in DOCUMENT_TYPES}
ACCEPTED_EXTENSIONS = frozenset(ext for t in DOCUMENT_TYPES for ext in t.extensions)

NOT_ACCEPTED = _(
    "This kind of file is not accepted. Upload a PDF, a Word, Excel or PowerPoint file, an "
    "OpenDocument file or a PNG, JPEG, WebP or GIF image."
)
EMPTY = _("The file is empty.")
TOO_LARGE = _("The file is %(size)s; a document may be at most %(limit)s.")
BROKEN_ARCHIVE = _(
    "The file looks like an Office or OpenDocument file but cannot be read. Save it again "
    "from the program that made it and upload the new copy."
)
OTHER_ARCHIVE = _(
    "The file is a compressed archive, not a Word, Excel, PowerPoint or OpenDocument file. "
    "Upload the documents themselves instead."
)
MACROS = _(
    "Office files with macros are not accepted. Save the file without macros (as .docx, "
    ".xlsx or .pptx) and upload that."
)
WRONG_EXTENSION = _(
    "The file's name ends in .%(extension)s, but its content is of another kind: "
    "%(kind)s. Check that you chose the right file, or correct its name."
)

# What the zip inspection will read: the central directory and at most these small parts.
_ZIP_MAX_ENTRIES = 10_000
_ZIP_MAX_DIRECTORY = 4 * 1024 * 1024  # the central directory of 10 000 entries is far less
_ZIP_MAX_PART = 1024 * 1024  # [Content_Types].xml, the main part's metadata
_ZIP_MAX_RATIO = 200  # a member that would unpack to more than 200 times its stored size
_ZIP_MAX_TOTAL = 1024 * 1024 * 1024  # everything unpacked: 1 GB

_OOXML_MAIN_PARTS = {
    _OOXML + "wordprocessingml.document.main+xml": DOCX,
    _OOXML + "spreadsheetml.sheet.main+xml": XLSX,
    _OOXML + "presentationml.presentation.main+xml": PPTX,
}
_OOXML_MACRO_MARKERS = (b"macroEnabled", b"vbaProject")
_ODF_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS, ODP.content_type: ODP}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OVERRIDE_RE = re.compile(rb"<Override\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(rb'(PartName|ContentType)\s*=\s*["\']([^"\']*)["\']')


def max_document_bytes() -> int:
    return int(getattr(settings, "SAMVERKA_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def detect_document_type(upload: IO[bytes]) -> DocumentType:
    """The type of an uploaded file, found from its content; raises ValidationError if the
    file is not one the portal accepts. Leaves the file positioned at its start."""
    size = _size_of(upload)
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    limit = max_document_bytes()
    if size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    try:
        kind = _detect(upload, head)
    finally:
        upload.seek(0)
    extension = PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
    if extension in ACCEPTED_EXTENSIONS and extension not in kind.extensions:
        raise ValidationError(
            WRONG_EXTENSION,
            code="wrong_extension",
            params={"extension": extension, "kind": kind.label},
        )
    return kind


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def _detect(upload, head: bytes) -> DocumentType:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(upload)
    if head.startswith(_OLE2_MAGIC):
        return _detect_ole2(upload)
    raise ValidationError(NOT_ACCEPTED, code="not_accepted")


def _detect_zip(upload) -> DocumentType:
    """OOXML or ODF, judged from the central directory and one small part; nothing else of
    the archive is unpacked, so a zip bomb costs no more than reading its directory."""
    _check_central_directory_size(upload)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(BROKEN_ARCHIVE, code="broken") from error
    with archive:
        entries = archive.infolist()
        if not entries or len(entries) > _ZIP_MAX_ENTRIES:
            raise ValidationError(BROKEN_ARCHIVE, code="broken")
        total = 0
        for entry in entries:
            total += entry.file_size
            if entry.file_size > _ZIP_MAX_RATIO * max(entry.compress_size, 1024):
                raise ValidationError(BROKEN_ARCHIVE, code="zip_bomb")
        if total > _ZIP_MAX_TOTAL:
            raise ValidationError(BROKEN_ARCHIVE, code="zip_bomb")
        names = {entry.filename for entry in entries}
        first = entries[0]
        if first.filename == "mimetype":
            mimetype = _read_small(archive, first, 200).strip().decode("ascii", "replace")
            kind = _ODF_TYPES.get(mimetype)
            if kind is None or "content.xml" not in names:
                raise ValidationError(OTHER_ARCHIVE, code="other_archive")
            if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                raise ValidationError(MACROS, code="macros")
            return kind
        if "[Content_Types].xml" not in names:
            raise ValidationError(OTHER_ARCHIVE, code="other_archive")
        content_types = _read_small(archive, archive.getinfo("[Content_Types].xml"), _ZIP_MAX_PART)
        return _ooxml_kind(content_types, names)


def _check_central_directory_size(upload) -> None:
    """Refuse before ``zipfile`` parses a directory of millions of entries: the end record
    (in the last 64 kB) gives the directory's size."""
    size = _size_of(upload)
    upload.seek(max(0, size - 65_557))
    tail = upload.read()
    upload.seek(0)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        raise ValidationError(BROKEN_ARCHIVE, code="broken")
    entries, directory_size = struct.unpack_from("<HI", tail, end + 10)
    if directory_size > _ZIP_MAX_DIRECTORY or (entries != 0xFFFF and entries > _ZIP_MAX_ENTRIES):
        raise ValidationError(BROKEN_ARCHIVE, code="zip_bomb")


def _read_small(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    if entry.file_size > limit:
        raise ValidationError(BROKEN_ARCHIVE, code="broken")
    try:
        with archive.open(entry) as member:
            return member.read(limit + 1)[:limit]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise ValidationError(BROKEN_ARCHIVE, code="broken") from error


def _ooxml_kind(content_types: bytes, names: set[str]) -> DocumentType:
    if any(marker in content_types for marker in _OOXML_MACRO_MARKERS) or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        raise ValidationError(MACROS, code="macros")
    found = set()
    for element in _OVERRIDE_RE.findall(content_types):
        attributes = {key.lower(): value for key, value in _ATTRIBUTE_RE.findall(element)}
        kind = _OOXML_MAIN_PARTS.get(attributes.get(b"contenttype", b"").decode("ascii", "replace"))
        part = attributes.get(b"partname", b"").decode("utf-8", "replace").lstrip("/")
        if kind is not None and part in names:
            found.add(kind)
    if len(found) != 1:
        raise ValidationError(OTHER_ARCHIVE, code="other_archive")
    return found.pop()


def _detect_ole2(upload) -> DocumentType:
    """The old Office formats share one container (OLE2); its directory names the main
    stream. Other OLE2 files (installers, Outlook messages) are refused."""
    import olefile

    try:
        with olefile.OleFileIO(upload) as ole:
            streams = {"/".join(path).lower() for path in ole.listdir(streams=True)}
    except Exception as error:  # olefile raises many kinds on a damaged container
        raise ValidationError(BROKEN_ARCHIVE, code="broken") from error
    if any(name.startswith("macros") or name.startswith("_vba_project") for name in streams):
        raise ValidationError(MACROS, code="macros")
    if "worddocument" in streams:
        return DOC
    if "workbook" in streams or "book" in streams:
        return XLS
    if "powerpoint document" in streams:
        return PPT
    raise ValidationError(NOT_ACCEPTED, code="not_accepted")


class DocumentUploadField(forms.FileField):
    """A file field that accepts only what ``detect_document_type`` accepts. The cleaned
    value is the upload, with ``detected_type`` set to its ``DocumentType``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault(
            "accept", ",".join(sorted({f".{ext}" for ext in ACCEPTED_EXTENSIONS}))
        )

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read") and upload is not initial:
            upload.detected_type = detect_document_type(upload)
        return upload


# --- services ------------------------------------------------------------------------------


def _checksum(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(64 * 1024), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _original_name(upload, kind: DocumentType) -> str:
    """The name the person gave, without any folder, ending in the detected type's
    extension (a name with none, or an unknown one, gets it added)."""
    name = PurePath(str(getattr(upload, "name", "") or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()[:200]
    name = name or str(_("document"))
    if PurePath(name).suffix.lower().lstrip(".") not in kind.extensions:
        name = f"{name}.{kind.extension}"
    return name


def _store_version(
    *, document: Document, actor: User | None, upload, number: int, note: str
) -> DocumentVersion:
    kind = detect_document_type(upload)
    original_name = _original_name(upload, kind)
    version = DocumentVersion(
        association=document.association,
        document=document,
        number=number,
        original_name=original_name,
        size=_size_of(upload),
        content_type=kind.content_type,
        sha256=_checksum(upload),
        uploaded_by=actor if actor and actor.is_authenticated else None,
        note=note.strip()[:500],
    )
    # Storage gets the name in the detected type's extension, whatever the upload said.
    version.file.save(original_name, upload, save=False)
    try:
        version.save()
    except BaseException:
        version.file.storage.delete(version.file.name)
        raise
    return version


@transaction.atomic
def add_document(
    *,
    association: Association,
    actor: User | None,
    upload,
    title: str = "",
    is_public: bool = False,
) -> Document:
    """A new document with its first version; the title defaults to the file's name."""
    kind = detect_document_type(upload)
    title = (title or "").strip()[:200] or PurePath(_original_name(upload, kind)).stem[:200]
    document = Document.objects.create(
        association=association,
        title=title,
        is_public=is_public,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    version = _store_version(document=document, actor=actor, upload=upload, number=1, note="")
    document.current_version = version
    document.save(update_fields=["current_version"])
    record_history(
        association=association, actor=actor, action="created", obj=document,
        changes={
            "title": (None, title), "is_public": (None, is_public),
            "original_name": (None, version.original_name), "version": (None, 1),
        },
    )  # fmt: skip
    return document


@transaction.atomic
def add_version(
    *, document: Document, actor: User | None, upload, note: str = ""
) -> DocumentVersion:
    """Store a new file for ``document``; it becomes the current version and the earlier
    ones stay readable."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    latest = locked.versions.aggregate(latest=Max("number"))["latest"] or 0
    version = _store_version(
        document=locked, actor=actor, upload=upload, number=latest + 1, note=note
    )
    locked.current_version = version
    locked.save(update_fields=["current_version"])
    record_history(
        association=locked.association, actor=actor, action="version_added", obj=locked,
        changes={
            "version": (latest or None, version.number),
            "original_name": (None, version.original_name),
            "note": (None, version.note),
        },
    )  # fmt: skip
    document.current_version = version
    return version


@transaction.atomic
def set_document_public(*, document: Document, actor: User | None, is_public: bool) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_public != is_public:
        record_history(
            association=locked.association, actor=actor, action="updated", obj=locked,
            changes={"is_public": (locked.is_public, is_public)},
        )  # fmt: skip
        locked.is_public = is_public
        locked.save(update_fields=["is_public"])
    document.is_public = is_public
    return locked


@transaction.atomic
def delete_document(*, document: Document, actor: User | None) -> None:
    """Remove a document with all its versions; their files leave storage once this
    commits (and stay if it rolls back). The history keeps what was removed."""
    locked = Document.objects.select_for_update().filter(pk=document.pk).first()
    if locked is None:
        return  # removed by someone else meanwhile
    versions = list(locked.versions.order_by("number"))
    record_history(
        association=locked.association, actor=actor, action="deleted", obj=locked,
        changes={
            "title": (locked.title, None),
            "versions": (
                ", ".join(f"{v.number}: {v.original_name} ({v.sha256[:12]})" for v in versions),
                None,
            ),
        },
    )  # fmt: skip
    # The one deliberate way past the versions' lock: the whole document goes.
    with pgtrigger.ignore("association.DocumentVersion:locked_row"):
        Document.objects.filter(pk=locked.pk).delete()
    for version in versions:
        delete_file_on_commit(version.file.name, version.file.storage)


def delete_documents_of_deleted_association(sender, instance, **kwargs) -> None:
    """pre_delete receiver (connected in AssociationConfig.ready): an association that is
    deleted altogether takes its documents along, past the versions' lock, and their
    files leave storage once the deletion commits."""
    from association.tenancy import scopes_disabled

    with scopes_disabled():
        versions = DocumentVersion.objects.filter(association=instance)
        names = list(versions.values_list("file", flat=True))
        if not names:
            return
        with pgtrigger.ignore("association.DocumentVersion:locked_row"):
            Document.objects.filter(association=instance).delete()
    for name in names:
        delete_file_on_commit(name)


# --- download ------------------------------------------------------------------------------


def _ascii_fallback(filename: str) -> str:
    """å → a, ö → o; any other letter outside ASCII becomes ``_``."""
    text = "".join(
        ch if ch.isascii() else ("" if unicodedata.combining(ch) else "_")
        for ch in unicodedata.normalize("NFKD", filename)
    )
    return re.sub(r"[^\w .()\-+,]", "_", text, flags=re.ASCII).strip() or "document"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: a plain ASCII ``filename`` for old clients and the exact name in RFC 5987
    ``filename*`` (Swedish letters and all)."""
    filename = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")
    filename = filename.replace("/", "_").replace("\\", "_") or "document"
    disposition = "inline" if inline else "attachment"
    return (
        f'{disposition}; filename="{_ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def document_response(version: DocumentVersion, *, filename: str | None = None) -> FileResponse:
    """Stream ``version`` from storage. The caller has already decided that the person may
    see it. Images are shown in the browser; everything else is a download. Nothing a
    document contains can run in the portal's origin: the type is the detected one, the
    browser may not guess another (nosniff) and the response is sandboxed."""
    kind = TYPES_BY_CONTENT_TYPE.get(version.content_type)
    inline = kind is not None and kind.is_image
    try:
        handle = version.file.open("rb")
    except OSError as error:
        # The row is there but storage lost the file: a fault to fix, not the reader's.
        logger.error("Document file missing from storage: %s", version.file.name)
        raise Http404 from error
    response = FileResponse(
        handle, content_type=version.content_type if kind else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition(
        filename or version.original_name, inline=inline
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["ETag"] = f'"{version.sha256}"'
    if version.document.is_public:
        response["Cache-Control"] = "public, max-age=300"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
