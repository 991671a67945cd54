"""The logo upload: judged by its pixel dimensions before decoding, stored downscaled."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from association.forms import LOGO_BOX
from tests import factories
from tests.association.test_bad_input import settings_form_data

URL = "/norrbotten/installningar/"


def black_and_white_png(width: int, height: int) -> bytes:
    """A real, complete 1-bit PNG of ``width`` × ``height`` white pixels, built row by row:
    a few kilobytes of file, however many megapixels it unpacks to."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture
def admin_client(association, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return login(factories.make_staff(association, "administrator"))


def post_logo(client, association, content: bytes, name="logo.png"):
    upload = SimpleUploadedFile(name, content, "image/png")
    return client.post(URL, settings_form_data(association, logo=upload))


def logo_error_code(response) -> str:
    assert response.status_code == 200
    return response.context["form"].errors.as_data()["logo"][0].code


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (20_000, 20_000),  # over twice Pillow's limit: Image.open raises DecompressionBombError
        (10_000, 10_000),  # over Pillow's limit: it only warns
        (9_000, 9_000),  # just below Pillow's limit: it says nothing
        (4_001, 10),  # one pixel wider than a logo may be
    ],
)
def test_a_logo_with_too_many_pixels_is_refused_before_decoding(
    admin_client, association, width, height
):
    content = black_and_white_png(width, height)
    assert len(content) < 1024 * 1024  # small enough to pass the byte limit
    response = post_logo(admin_client, association, content)
    assert logo_error_code(response) == "dimensions"
    assert "4000" in response.text or "4 000" in response.text
    association.refresh_from_db()
    assert not association.logo


def test_a_large_photo_is_stored_downscaled_and_without_its_metadata(admin_client, association):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera AB"  # Make
    exif[0x8825] = {2: (65.0, 35.0, 0.0)}  # GPS: where the picture was taken
    Image.new("RGB", (3000, 900), (0, 80, 122)).save(buffer, "JPEG", exif=exif, quality=80)
    response = post_logo(admin_client, association, buffer.getvalue(), name="foto.jpg")
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.logo.name.endswith(".png")
    with association.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == (800, 240)
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.getpixel((400, 120)) == pytest.approx((0, 80, 122), abs=3)
    served = admin_client.get("/norrbotten/logotyp")
    assert served["Content-Type"] == "image/png"


def test_a_transparent_logo_keeps_its_transparency_and_fits_the_box(admin_client, association):
    buffer = io.BytesIO()
    Image.new("RGBA", (1200, 1200), (0, 0, 0, 0)).save(buffer, "PNG")
    assert post_logo(admin_client, association, buffer.getvalue()).status_code == 302
    association.refresh_from_db()
    with association.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (LOGO_BOX[1], LOGO_BOX[1])
        assert image.mode == "RGBA"
        assert image.getpixel((5, 5))[3] == 0


@pytest.mark.parametrize(
    "content",
    [
        black_and_white_png(40, 20)[:-30],  # cut short
        b"GIF89a" + b"\x00" * 100,
        b"\x89PNG\r\n\x1a\n" + b"\xff" * 200,
    ],
)
def test_a_broken_image_is_refused_with_a_message(admin_client, association, content):
    assert logo_error_code(post_logo(admin_client, association, content)) == "image"
    association.refresh_from_db()
    assert not association.logo


def test_clearing_the_logo_removes_it(admin_client, association):
    assert post_logo(admin_client, association, black_and_white_png(40, 20)).status_code == 302
    association.refresh_from_db()
    assert association.logo
    data = settings_form_data(association, **{"logo-clear": "on"})
    response = admin_client.post(URL, data)
    assert response.status_code == 302
    association.refresh_from_db()
    assert not association.logo
    assert admin_client.get("/norrbotten/logotyp").status_code == 404


def test_the_django_admin_checks_the_logo_like_the_profile_page(
    association, rf, settings, tmp_path
):
    """The platform admin's form in the Django admin is no way around the logo checks."""
    from django.contrib import admin

    from association.models import Association

    settings.MEDIA_ROOT = tmp_path
    request = rf.get("/admin/")
    request.user = factories.make_platform_admin()
    model_admin = admin.site._registry[Association]
    form_class = model_admin.get_form(request, association)
    data = {
        field: value
        for field, value in settings_form_data(association).items()
        if field in form_class.base_fields
    }
    data["slug"] = association.slug
    page = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", "image/png")
    form = form_class(data, {"logo": page}, instance=association)
    assert not form.is_valid()
    assert form.errors.as_data()["logo"][0].code == "image"
    photo = io.BytesIO()
    Image.new("RGB", (3000, 1500), "navy").save(photo, "JPEG")
    upload = SimpleUploadedFile("logo.jpg", photo.getvalue(), "image/jpeg")
    form = form_class(data, {"logo": upload}, instance=association)
    assert form.is_valid(), form.errors
    stored = form.save()
    with Image.open(stored.logo.open("rb")) as image:
        assert image.format == "PNG" and max(image.size) <= max(LOGO_BOX)
