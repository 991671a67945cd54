"""PDFs for every app: one WeasyPrint layer with the association's letterhead.

``render_pdf(association=..., template_name=..., context=..., title=...)`` renders a
template that extends ``pdf/base.html`` (letterhead with logo, name, address and
organisation number; "Sida X av Y" in the footer; the bundled DejaVu Sans fonts from
``static/fonts/``, so every machine renders the same) and returns the PDF's bytes.

- Accessibility: the PDF is tagged PDF/UA-1 (``pdf_variant="pdf/ua-1"``), with the
  document's title and language in its metadata. WeasyPrint 70 writes one variant per
  PDF: its ``pdf/ua-1`` cannot be combined with ``pdf/a-2b``. Public bodies must publish
  accessible documents (lag 2018:1937), so PDF/UA is the default.
- Archiving: ``variant=ARCHIVAL`` (the minutes) asks WeasyPrint for ``pdf/a-2a``, PDF/A-2
  at conformance level A: everything PDF/A-2b requires (embedded fonts, sRGB output
  intent, XMP identification) plus the tagged logical structure and Unicode text level A
  adds, which is what PDF/UA builds on. WeasyPrint's XMP then names PDF/A-2 only, so we
  add the PDF/UA-1 identification (``pdfuaid:part``) to the XMP packet
  (``static/pdf/pdfua-1.xmp``, through WeasyPrint's ``xmp_metadata`` option): the closest
  to "PDF/A-2b and PDF/UA in one file" the installed version offers. Neither claim is
  checked by a validator (veraPDF) here.
- Resources: the ``url_fetcher`` serves only our static files and this association's own
  uploads (its logo, its documents), read through Django's storage API. ``file://``, the
  network, other paths and another association's uploads are refused, and a refusal stops
  the rendering (``PdfResourceRefused``) rather than printing a PDF with a hole in it.
  Templates link resources with ``{% static %}`` or ``pdf_media_url`` (a storage name).
- ``merge_pdfs(parts)`` joins PDFs into one (pypdf), e.g. a meeting's papers. The joined
  file keeps the parts' text and pages; its tagging is pypdf's, not checked for PDF/UA.
"""

import io
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext

from association.models import Association

__all__ = [
    "ACCESSIBLE",
    "ARCHIVAL",
    "PdfResourceRefused",
    "merge_pdfs",
    "pdf_media_url",
    "render_pdf",
]

ACCESSIBLE = "pdf/ua-1"
ARCHIVAL = "pdf/a-2a"

# The documents' own address: relative links resolve against it and the fetcher answers
# for it alone. ``.invalid`` can never be a real host (RFC 6761).
PDF_ORIGIN = "https://pdf.samverka.invalid"
_MEDIA_PREFIX = "/media/"


class PdfResourceRefused(Exception):
    """A PDF template asked for something outside our static files and the association's
    own uploads."""


def pdf_media_url(name: str) -> str:
    """The address under which a PDF template reaches a stored upload (a storage name such
    as ``association.logo.name``)."""
    return f"{PDF_ORIGIN}{_MEDIA_PREFIX}{name}"


def _static_path(path: str) -> str:
    base = urlsplit(static("")).path
    return path[len(base) :] if base and path.startswith(base) else ""


def _safe_relative(name: str) -> str | None:
    """``name`` without ``..`` or absolute tricks, or None."""
    if not name or "\\" in name or "\x00" in name:
        return None
    normalised = posixpath.normpath(name)
    if normalised.startswith(("/", "..")) or normalised != name:
        return None
    return normalised


def make_url_fetcher(association: Association):
    """A WeasyPrint URL fetcher for one association's PDFs (see the module docstring)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssociationFetcher(URLFetcher):
        def __init__(self):
            super().__init__(fail_on_errors=True)
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != PDF_ORIGIN or parts.query:
                raise PdfResourceRefused(f"Refused outside the portal: {url[:200]}")
            path = unquote(parts.path)
            if path.startswith(_MEDIA_PREFIX):
                body = self._media(path[len(_MEDIA_PREFIX) :], url)
            else:
                body = self._static(path, url)
            self.served.append(path)
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

        def _static(self, path: str, url: str) -> bytes:
            name = _safe_relative(_static_path(path))
            if name is None:
                raise PdfResourceRefused(f"Refused: not a static file: {url[:200]}")
            if staticfiles_storage.exists(name):
                with staticfiles_storage.open(name) as handle:
                    return handle.read()
            found = finders.find(name)
            if not found:
                raise PdfResourceRefused(f"Refused: no such static file: {url[:200]}")
            with open(found, "rb") as handle:
                return handle.read()

        def _media(self, name: str, url: str) -> bytes:
            name = _safe_relative(name)
            own = name is not None and (
                name == association.logo.name or name.startswith(f"documents/{association.pk}/")
            )
            if not own:
                raise PdfResourceRefused(f"Refused: not this association's upload: {url[:200]}")
            with default_storage.open(name) as handle:
                return handle.read()

    return AssociationFetcher()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter_content() -> str:
    """CSS ``content`` for "Sida X av Y" in the active language."""
    text = gettext("Page %(page)s of %(pages)s")
    before, _, rest = text.partition("%(page)s")
    middle, _, after = rest.partition("%(pages)s")
    parts = [_css_string(before), "counter(page)", _css_string(middle), "counter(pages)"]
    if after:
        parts.append(_css_string(after))
    return " ".join(parts)


def render_pdf(
    *,
    association: Association,
    template_name: str,
    context: dict,
    title: str,
    language: str | None = None,
    variant: str = ACCESSIBLE,
) -> bytes:
    """Render ``template_name`` (which extends ``pdf/base.html``) as a tagged PDF in
    ``language`` (default: the active language): PDF/UA-1, or with ``variant=ARCHIVAL``
    PDF/A-2a that also declares PDF/UA-1 (see the module docstring)."""
    if variant not in (ACCESSIBLE, ARCHIVAL):
        raise ValueError(f"Unknown PDF variant {variant!r}")
    from PIL import ImageFile
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, after which
    # every upload check in the process (the logo's) would accept broken images. We render
    # only images that passed those checks, so Pillow's strict default is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    logo_url = ""
    if association.logo and default_storage.exists(association.logo.name):
        logo_url = pdf_media_url(association.logo.name)
    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                **context,
                "association": association,
                "pdf_title": title,
                "pdf_language": language,
                "pdf_logo_url": logo_url,
                "pdf_page_counter": page_counter_content(),
            },
        )
    fetcher = make_url_fetcher(association)
    fonts = FontConfiguration()
    try:
        document = HTML(string=html, base_url=f"{PDF_ORIGIN}/", url_fetcher=fetcher)
        options = {}
        if variant == ARCHIVAL:
            options["xmp_metadata"] = [f"{PDF_ORIGIN}{static('pdf/pdfua-1.xmp')}"]
        return document.write_pdf(
            pdf_variant=variant, font_config=fonts, uncompressed_pdf=False, **options
        )
    except FatalURLFetchingError as error:
        cause = error.__cause__
        if isinstance(cause, PdfResourceRefused):
            raise cause from None
        raise PdfResourceRefused(str(cause or error)) from cause


def merge_pdfs(parts: list[bytes]) -> bytes:
    """One PDF with the pages of ``parts`` in order."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    writer.close()
    return out.getvalue()
