"""Shared documents: content-checked uploads, versions that never change, storage, download."""

import io
import struct
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from association.documents import (
    DocumentUploadField,
    add_document,
    add_version,
    delete_document,
    detect_document_type,
    document_response,
    set_document_public,
)
from association.locking import RecordLocked
from association.models import AuditEntry, Document, DocumentVersion
from association.tenancy import scopes_disabled, tenant_scope
from tests import factories
from tests.association.test_bad_input import _png_bytes

pytestmark = pytest.mark.django_db


# --- real small files of every accepted kind -----------------------------------------------


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(members: list[tuple[str, bytes]], *, stored_first=False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return out.getvalue()


def _content_types(part: str, content_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        "</Types>"
    ).encode()


OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."


def docx_bytes() -> bytes:
    main = OOXML + "wordprocessingml.document.main+xml"
    return _zip([
        ("[Content_Types].xml", _content_types("word/document.xml", main)),
        ("word/document.xml", b"<w:document/>"),
    ])  # fmt: skip


def pptx_bytes() -> bytes:
    main = OOXML + "presentationml.presentation.main+xml"
    return _zip([
        ("[Content_Types].xml", _content_types("ppt/presentation.xml", main)),
        ("ppt/presentation.xml", b"<p:presentation/>"),
    ])  # fmt: skip


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Avgift"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odf_bytes(kind: str) -> bytes:
    return _zip(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest:manifest/>"),
        ],
        stored_first=True,
    )


def ole2_bytes(stream_name: str) -> bytes:
    """The smallest compound file (the container of .doc/.xls/.ppt) holding one empty
    stream: header, one FAT sector, one directory sector."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = none) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, none, none, child)
            + bytes(36)
            + struct.pack("<IQ", end, 0)
        )

    directory = entry("Root Entry", 5, child=1) + entry(stream_name, 2) + entry("", 0) * 2
    return header + fat + directory


def webp_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f4e79").save(out, "WEBP")
    return out.getvalue()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f4e79").save(out, fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)


ACCEPTED = [
    ("Årsmöte.pdf", pdf_bytes, "application/pdf"),
    ("Protokoll.docx", docx_bytes, OOXML + "wordprocessingml.document"),
    ("Budget.xlsx", xlsx_bytes, OOXML + "spreadsheetml.sheet"),
    ("Bilder.pptx", pptx_bytes, OOXML + "presentationml.presentation"),
    ("Text.odt", lambda: odf_bytes("text"), "application/vnd.oasis.opendocument.text"),
    ("Kalkyl.ods", lambda: odf_bytes("spreadsheet"), ODF + "spreadsheet"),
    ("Bilder.odp", lambda: odf_bytes("presentation"), ODF + "presentation"),
    ("Gammal.doc", lambda: ole2_bytes("WordDocument"), "application/msword"),
    ("Gammal.xls", lambda: ole2_bytes("Workbook"), "application/vnd.ms-excel"),
    ("Gammal.ppt", lambda: ole2_bytes("PowerPoint Document"), "application/vnd.ms-powerpoint"),
    ("Karta.png", _png_bytes, "image/png"),
    ("Foto.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ("Foto.webp", webp_bytes, "image/webp"),
    ("Anim.gif", lambda: image_bytes("GIF"), "image/gif"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "expected"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_every_accepted_kind_is_recognised_by_its_content(name, make, expected):
    assert detect_document_type(upload(name, make())).content_type == expected
    # The name plays no part in recognising it: without one the content still decides.
    assert detect_document_type(upload("utan-namn", make())).content_type == expected


def _refusal(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        detect_document_type(upload(name, data))
    return refused.value


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _content_types("word/document.xml", "x"))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(50):  # 50 MB of zeros, some 50 kB stored
                member.write(chunk)
    return out.getvalue()


REFUSED = [
    ("html renamed .pdf", "faktura.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
     "not_accepted"),
    ("svg renamed .png", "logo.png",
     b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not_accepted"),
    ("a zip that is no Office file", "arkiv.zip", _zip([("a.txt", b"hej")]), "other_archive"),
    ("a zip named .docx", "brev.docx", _zip([("word/document.xml", b"<x/>")]), "other_archive"),
    ("an empty file", "tom.pdf", b"", "empty"),
    ("a script", "skript.sh", b"#!/bin/sh\nrm -rf /\n", "not_accepted"),
    ("a program", "program.exe", b"MZ\x90\x00" + bytes(200), "not_accepted"),
    ("a macro-enabled workbook", "makro.xlsx", _zip([
        ("[Content_Types].xml", _content_types(
            "xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")),
        ("xl/workbook.xml", b"<workbook/>"), ("xl/vbaProject.bin", b"\x00"),
    ]), "macros"),
    ("an OpenDocument text with Basic macros", "makro.odt", _zip([
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document-content/>"), ("Basic/Standard/Module1.xml", b"<x/>"),
    ], stored_first=True), "macros"),
    ("an installer (OLE2 without an Office stream)", "setup.doc",
     ole2_bytes("SummaryInformation"), "not_accepted"),
    ("a PDF named .docx", "rapport.docx", pdf_bytes(), "wrong_extension"),
    ("a truncated zip", "trasig.docx", docx_bytes()[:60], "broken"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "code"), [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])  # fmt: skip
def test_everything_else_is_refused_with_a_clear_message(name, data, code):
    refusal = _refusal(name, data)
    assert refusal.code == code
    assert str(refusal.messages[0])


def test_a_zip_bomb_is_refused_from_its_directory_alone():
    refusal = _refusal("bomb.docx", _zip_bomb())
    assert refusal.code == "zip_bomb"


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("sv"):
        message = _refusal("faktura.pdf", b"<html></html>").messages[0]
    assert "inte" in message  # "Den här sortens fil tas inte emot …"


def test_a_file_over_the_limit_is_refused(settings):
    settings.SAMVERKA_DOCUMENT_MAX_BYTES = 1000
    refusal = _refusal("stor.pdf", pdf_bytes() + bytes(2000))
    assert refusal.code == "too_large"
    from django.template.defaultfilters import filesizeformat

    assert str(filesizeformat(1000)) in refusal.messages[0]


def test_the_default_limit_is_25_mb():
    from django.conf import settings

    assert settings.SAMVERKA_DOCUMENT_MAX_BYTES == 25 * 1024 * 1024


def test_the_form_field_runs_the_checks():
    class UploadForm(forms.Form):
        file = DocumentUploadField(label="Fil")

    good = UploadForm(files={"file": upload("a.pdf", pdf_bytes())})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["file"].detected_type.key == "pdf"
    bad = UploadForm(files={"file": upload("a.pdf", b"<html></html>")})
    assert not bad.is_valid()
    assert bad.errors["file"]
    assert ".pdf" in UploadForm().fields["file"].widget.attrs["accept"]


# --- services, versions, storage -----------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(association):
    return factories.make_staff(association, "editor")


def test_add_document_stores_the_file_with_its_facts(association, staff, media):
    data = pdf_bytes()
    with tenant_scope(association):
        document = add_document(
            association=association, actor=staff, upload=upload("Årsmöte 2025.pdf", data),
            title="Kallelse",
        )  # fmt: skip
        version = document.current_version
        assert (document.title, document.is_public, version.number) == ("Kallelse", False, 1)
        assert version.original_name == "Årsmöte 2025.pdf"
        assert version.content_type == "application/pdf"
        assert version.size == len(data)
        assert version.sha256 == __import__("hashlib").sha256(data).hexdigest()
        assert version.uploaded_by == staff
        parts = version.file.name.split("/")
        assert parts[:2] == ["documents", str(association.pk)]
        assert len(parts[2]) == 32 and parts[3] == "arsmote-2025.pdf"
        assert (media / version.file.name).read_bytes() == data
        entry = AuditEntry.objects.get(object_type="association.document")
        assert entry.action == "created" and entry.actor == staff


def test_the_title_defaults_to_the_file_name(association, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("Budget 2026.xlsx", xlsx_bytes()))  # fmt: skip
    assert document.title == "Budget 2026"


def test_the_stored_name_follows_the_content_not_the_name(association, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("bild", _png_bytes()))  # fmt: skip
    assert document.current_version.original_name == "bild.png"
    assert document.current_version.file.name.endswith("/bild.png")


def test_a_refused_upload_stores_nothing(association, media):
    with tenant_scope(association), pytest.raises(ValidationError):
        add_document(association=association, actor=None, upload=upload("x.pdf", b"<html>"))
    with scopes_disabled():
        assert not Document.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_new_version_replaces_the_current_one_and_keeps_the_old(association, staff, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=staff,
                                upload=upload("utkast.pdf", pdf_bytes()))  # fmt: skip
        first = document.current_version
        second = add_version(
            document=document, actor=staff, upload=upload("slutlig.docx", docx_bytes()),
            note="Justerad",
        )  # fmt: skip
        document.refresh_from_db()
        assert document.current_version == second
        assert (second.number, second.note) == (2, "Justerad")
        assert [v.number for v in document.versions.all()] == [2, 1]
        # The first file is still there and readable.
        with first.file.open("rb") as handle:
            assert handle.read().startswith(b"%PDF-")
        assert AuditEntry.objects.filter(action="version_added").count() == 1


def test_versions_never_change(association, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
        version = document.current_version
        version.note = "ändrad"
        with pytest.raises(RecordLocked):
            version.save()
        with pytest.raises(RecordLocked):
            version.delete()
    table = DocumentVersion._meta.db_table
    for sql in (
        f"UPDATE {table} SET sha256 = 'x', file = 'documents/other.pdf' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="locked row"), transaction.atomic():  # noqa: SIM117
            with connection.cursor() as cursor:
                cursor.execute(sql, [version.pk])
    with scopes_disabled():
        stored = DocumentVersion.objects.get(pk=version.pk)
    assert (stored.sha256, stored.file.name) == (version.sha256, version.file.name)


def test_set_document_public_writes_history(association, staff, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=staff,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
        set_document_public(document=document, actor=staff, is_public=True)
        set_document_public(document=document, actor=staff, is_public=True)  # no change
        document.refresh_from_db()
        assert document.is_public
        entries = AuditEntry.objects.filter(action="updated", object_type="association.document")
        assert [e.changes for e in entries] == [{"is_public": [False, True]}]


def test_deleting_removes_the_files_after_commit(
    association, staff, media, django_capture_on_commit_callbacks
):
    with tenant_scope(association):
        document = add_document(association=association, actor=staff,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
        add_version(document=document, actor=staff, upload=upload("b.pdf", pdf_bytes()))
        paths = [media / v.file.name for v in document.versions.all()]
        assert len(paths) == 2 and all(p.exists() for p in paths)
        with django_capture_on_commit_callbacks(execute=True):
            delete_document(document=document, actor=staff)
            assert all(p.exists() for p in paths)  # not before the commit
        assert not any(p.exists() for p in paths)
        assert not Document.objects.exists() and not DocumentVersion.objects.exists()
        entry = AuditEntry.objects.get(action="deleted")
        assert "a.pdf" in entry.changes["versions"][0]


def test_a_rolled_back_deletion_keeps_document_and_files(
    association, media, django_capture_on_commit_callbacks
):
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
        path = media / document.current_version.file.name
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            delete_document(document=document, actor=None)
            raise RuntimeError("something later in the same transaction failed")
        assert callbacks == []
        assert path.exists()
        assert Document.objects.filter(pk=document.pk).exists()
        assert DocumentVersion.objects.filter(document=document).count() == 1


def test_another_association_cannot_see_the_documents(association, other_association, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
    with tenant_scope(other_association):
        assert not Document.objects.filter(pk=document.pk).exists()
        assert not DocumentVersion.objects.filter(document_id=document.pk).exists()


# --- download ------------------------------------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_headers_of_a_private_document(association, media):
    data = pdf_bytes()
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("Årsmöte – Luleå.pdf", data))  # fmt: skip
        response = document_response(document.current_version)
    assert _body(response) == data
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Arsmote _ Lulea.pdf"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "Årsmöte – Luleå.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"


def test_images_may_show_inline_and_public_documents_may_be_cached(association, media):
    with tenant_scope(association):
        document = add_document(association=association, actor=None, is_public=True,
                                upload=upload("karta.png", _png_bytes()))  # fmt: skip
        response = document_response(document.current_version, filename="Karta över länet.png")
    _body(response)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; ")
    assert "Karta%20%C3%B6ver%20l%C3%A4net.png" in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("public")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_csp_middleware_keeps_the_download_sandbox(association, media, client, rf):
    """Django's CSP middleware leaves a header the response already has alone."""
    from django.middleware.csp import ContentSecurityPolicyMiddleware

    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
        request = rf.get("/")
        middleware = ContentSecurityPolicyMiddleware(
            lambda r: document_response(document.current_version)
        )
        response = middleware(request)
    _body(response)
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_files_go_through_the_configured_storage(association, settings, tmp_path):
    """Storage comes from STORAGES["default"]: here a second file-system location."""
    other = tmp_path / "annan-lagring"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(other)},
        },
    }
    # The field's storage is the default storage object, which follows the setting.
    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
    assert (other / document.current_version.file.name).exists()
    assert Path(document.current_version.file.path).is_relative_to(other)


def test_a_zip_whose_directory_is_enormous_is_refused_before_it_is_read():
    """The end record promises a directory of 20 MB: refused without parsing it."""
    end_record = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 0xFFFF, 0xFFFF, 20_000_000, 4, 0)
    refusal = _refusal("stor.docx", b"PK\x03\x04" + bytes(100) + end_record)
    assert refusal.code == "zip_bomb"


def test_a_download_of_a_lost_file_is_not_found(association, media, caplog):
    from django.http import Http404

    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
    (media / document.current_version.file.name).unlink()
    with pytest.raises(Http404):
        document_response(document.current_version)
    assert "missing from storage" in caplog.text
    caplog.clear()  # the logged error is this test's subject


def test_a_deleted_association_takes_its_documents_and_files_along(
    association, media, django_capture_on_commit_callbacks
):
    from association.models import Association

    with tenant_scope(association):
        document = add_document(association=association, actor=None,
                                upload=upload("a.pdf", pdf_bytes()))  # fmt: skip
        add_version(document=document, actor=None, upload=upload("b.pdf", pdf_bytes()))
        paths = [media / v.file.name for v in document.versions.all()]
    with django_capture_on_commit_callbacks(execute=True):
        Association.objects.filter(pk=association.pk).delete()
    with scopes_disabled():
        assert not DocumentVersion.objects.exists()
    assert not any(p.exists() for p in paths)
