"""The shared PDF layer: letterhead, bundled fonts, tagging, metadata, and a URL fetcher
that serves only our static files and the association's own uploads."""

import io
import socket

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from association.pdf import (
    PdfResourceRefused,
    make_url_fetcher,
    merge_pdfs,
    pdf_media_url,
    render_pdf,
)
from tests.association.test_bad_input import _png_bytes

pytestmark = pytest.mark.django_db

TEMPLATE = """{% extends "pdf/base.html" %}
{% block content %}<p>Ärende {{ number }}: Årsredovisning för Luleå och Umeå.</p>
{% for i in rows %}<p>Rad {{ i }}</p>{% endfor %}
{% if extra %}<img src="{{ extra }}" alt="Bild">{% endif %}{% endblock %}
"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test loudly."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts
    assert attempts == []


@pytest.fixture
def templates(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "testpdf").mkdir(parents=True)
    (folder / "testpdf" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}
    ]
    return folder


@pytest.fixture
def letterhead(association, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    association.street_address = "Kungsgatan 1"
    association.postal_code = "972 41"
    association.city = "Luleå"
    association.organisation_number = "222000-1230"
    association.logo.save("logo.png", ContentFile(_png_bytes((120, 60))), save=False)
    association.save()
    return association


def _render(association, **context):
    return render_pdf(
        association=association,
        template_name="testpdf/page.html",
        context={"number": 7, "rows": range(3), **context},
        title="Kallelse till årsmöte",
        language="sv",
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_pdf_has_the_letterhead_the_footer_and_the_content(letterhead, templates):
    pdf = _render(letterhead, rows=range(120))  # several pages
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    text = _text(pdf)
    assert "Norrbottens Kommuner" in text
    assert "Kungsgatan 1, 972 41 Luleå" in text
    assert "Organisationsnummer 222000-1230" in text
    assert "Ärende 7: Årsredovisning för Luleå och Umeå." in text
    assert f"Sida 1 av {pages}" in text
    assert f"Sida {pages} av {pages}" in text
    # The association's name runs in the footer of every page, the logo is drawn on the first.
    assert reader.pages[-1].extract_text().count("Norrbottens Kommuner") >= 1
    xobjects = reader.pages[0]["/Resources"].get("/XObject", {})
    assert any(xobjects[name].get_object()["/Subtype"] == "/Image" for name in xobjects)


def test_metadata_tagging_and_language(letterhead, templates):
    pdf = _render(letterhead)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Kallelse till årsmöte"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp and b"1" in xmp


def test_english_pdfs_say_page_x_of_y(letterhead, templates):
    pdf = render_pdf(
        association=letterhead, template_name="testpdf/page.html",
        context={"number": 1, "rows": []}, title="Notice", language="en",
    )  # fmt: skip
    text = _text(pdf)
    assert "Page 1 of 1" in text
    assert "Organisation number 222000-1230" in text
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"


def _font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_the_bundled_fonts_are_embedded(letterhead, templates, monkeypatch):
    import association.pdf as pdf_module

    fetchers = []
    original = pdf_module.make_url_fetcher

    def recording(association):  # the real fetcher, kept to read what it served
        fetchers.append(original(association))
        return fetchers[-1]

    monkeypatch.setattr(pdf_module, "make_url_fetcher", recording)
    pdf = _render(letterhead)
    served = fetchers[0].served
    # Our own copies were loaded, regular for the text and bold for the name and title …
    assert "/static/fonts/DejaVuSans.ttf" in served
    assert "/static/fonts/DejaVuSans-Bold.ttf" in served
    # … and the PDF embeds exactly those faces: WeasyPrint names an @font-face font after
    # its family, "Samverka Sans", which no system font is called.
    assert _font_names(pdf) == {"Samverka-Sans", "Samverka-Sans-Bold"}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object().get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font.get_object())[
                "/FontDescriptor"
            ]
            assert "/FontFile2" in descriptor  # embedded, not merely named


def test_the_fetcher_serves_static_files_and_own_media(letterhead):
    fetcher = make_url_fetcher(letterhead)
    css = fetcher.fetch("https://pdf.samverka.invalid/static/pdf/pdf.css")
    assert b"@font-face" in css.read()
    logo = fetcher.fetch(pdf_media_url(letterhead.logo.name))
    assert logo.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/x.png",
        "https://example.org/static/pdf/pdf.css",
        "https://pdf.samverka.invalid/static/../../config/settings.py",
        "https://pdf.samverka.invalid/static/%2e%2e/%2e%2e/config/settings.py",
        "https://pdf.samverka.invalid/etc/passwd",
        "https://pdf.samverka.invalid/media/../../../etc/passwd",
        "https://pdf.samverka.invalid/media/logos/not-this-associations.png",
        "data:text/plain,hello",
    ],
)
def test_the_fetcher_refuses_everything_else(letterhead, url):
    with pytest.raises(PdfResourceRefused):
        make_url_fetcher(letterhead).fetch(url)


def test_another_associations_media_is_refused(letterhead, other_association):
    other_association.logo.save("annan.png", ContentFile(_png_bytes()), save=True)
    with pytest.raises(PdfResourceRefused):
        make_url_fetcher(letterhead).fetch(pdf_media_url(other_association.logo.name))
    other_document = f"documents/{other_association.pk}/abc/hemlig.pdf"
    with pytest.raises(PdfResourceRefused):
        make_url_fetcher(letterhead).fetch(pdf_media_url(other_document))
    # The association's own documents are served.
    from django.core.files.storage import default_storage

    own = default_storage.save(f"documents/{letterhead.pk}/abc/egen.png", ContentFile(b"x"))
    assert make_url_fetcher(letterhead).fetch(pdf_media_url(own)).read() == b"x"


@pytest.mark.parametrize(
    "src", ["file:///etc/passwd", "http://example.org/x.png", "/media/logos/annan.png"]
)
def test_a_template_asking_for_a_forbidden_resource_is_not_rendered(letterhead, templates, src):
    with pytest.raises(PdfResourceRefused):
        _render(letterhead, extra=src)


def test_without_a_logo_the_letterhead_has_the_name_only(association, templates):
    text = _text(_render(association))
    assert "Norrbottens Kommuner" in text
    assert "Organisationsnummer" not in text


def test_merge_pdfs_keeps_every_page_in_order(letterhead, templates):
    first = _render(letterhead, number=1)
    second = _render(letterhead, number=2, rows=range(120))
    merged = merge_pdfs([first, second])
    reader = PdfReader(io.BytesIO(merged))
    second_pages = len(PdfReader(io.BytesIO(second)).pages)
    assert len(reader.pages) == 1 + second_pages
    assert "Ärende 1:" in reader.pages[0].extract_text()
    assert "Ärende 2:" in reader.pages[1].extract_text()
