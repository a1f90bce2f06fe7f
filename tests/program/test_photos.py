"""Speaker photos: validated by content, re-encoded without metadata, shown only with consent."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from forum.accounts.models import Role
from forum.errors import DomainError
from forum.program import photos
from forum.program.models import SpeakerPhoto
from tests import factories
from tests.auth import staff_headers
from tests.test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"


def png_with_metadata(size=(200, 100)) -> bytes:
    """A PNG carrying EXIF (orientation: turn 90°, a GPS position) and a text comment."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SecretPhone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 7.0, 41.0)
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "home address here")
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif, pnginfo=text)
    return out.getvalue()


def image_bytes(fmt: str, size=(64, 64), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "blue").save(out, fmt)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few bytes (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b""))


def _code(data: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        photos.encode(data)
    return caught.value.code


# --- the encoder ------------------------------------------------------------------------------

def test_a_png_with_exif_and_gps_comes_out_an_upright_jpeg_without_any_metadata():
    upload = png_with_metadata()
    assert b"SecretPhone" in upload and b"home address" in upload
    encoded = photos.encode(upload)
    out = Image.open(io.BytesIO(encoded.content))
    assert out.format == "JPEG"
    assert out.size == (100, 200) == (encoded.width, encoded.height)  # orientation applied
    assert dict(out.getexif()) == {}
    assert not {"exif", "icc_profile", "comment", "Comment"} & set(out.info)
    for secret in (b"Exif", b"SecretPhone", b"home address", b"GPS"):
        assert secret not in encoded.content
    assert out.getpixel((50, 100))[0] > 150  # still the red picture


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_three_formats_are_accepted_and_fitted_into_the_square(fmt):
    encoded = photos.encode(image_bytes(fmt, size=(1600, 800)))
    assert (encoded.width, encoded.height) == (photos.SIZE, photos.SIZE // 2)
    assert Image.open(io.BytesIO(encoded.content)).format == "JPEG"


def test_transparency_is_flattened_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    encoded = photos.encode(out.getvalue())
    assert Image.open(io.BytesIO(encoded.content)).getpixel((5, 5)) > (240, 240, 240)


def test_a_file_that_claims_to_be_a_jpeg_but_is_not_is_refused():
    assert _code(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"not really" * 50) == "photo_unsupported"
    assert _code(b"<svg xmlns='http://www.w3.org/2000/svg'/>") == "photo_unsupported"
    assert _code(image_bytes("GIF")) == "photo_unsupported"  # an image, not one we take
    assert _code(image_bytes("PNG")[:60]) == "photo_unsupported"  # truncated
    assert _code(b"") == "photo_unsupported"


def test_oversize_and_pixel_bombs_are_refused_before_decoding():
    assert _code(b"\0" * (photos.MAX_BYTES + 1)) == "photo_too_large"
    # Past our limit (read from the header) and past Pillow's own bomb guard.
    assert _code(png_header_only(8000, 8000)) == "photo_too_many_pixels"
    assert _code(png_header_only(20000, 20000)) == "photo_too_many_pixels"
    # In Pillow's warning band (over its limit, under twice it): refused by either guard.
    assert Image.MAX_IMAGE_PIXELS < 10000 * 10000 < 2 * Image.MAX_IMAGE_PIXELS
    assert _code(png_header_only(10000, 10000)) == "photo_too_many_pixels"
    assert len(png_header_only(20000, 20000)) < 200


# --- over HTTP ----------------------------------------------------------------------------

@pytest.fixture
def published_speaker(session, event):
    speaker = factories.make_speaker(session, event, consent_photo=True)
    factories.make_session(session, event, speakers=[speaker])
    factories.publish(session, event)
    session.commit()
    return speaker


def _upload(client, speaker, data: bytes, headers, name="me.jpg", mimetype="image/jpeg"):
    return client.put(f"{EVENT}/speakers/{speaker.public_id}/photo", headers=headers,
                      data={"photo": (io.BytesIO(data), name, mimetype)},
                      content_type="multipart/form-data")


def test_an_organizer_uploads_a_photo_the_public_sees_it_with_a_strong_etag(
        client, session, event, published_speaker):
    speaker, staff = published_speaker, staff_headers(session, Role.PROGRAM, event=event)
    r = _upload(client, speaker, png_with_metadata(), staff, name="x.png", mimetype="image/png")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert (r.json["width"], r.json["height"]) == (100, 200)
    stored = session.get(SpeakerPhoto, speaker.id)
    session.refresh(speaker)
    assert speaker.photo == stored.key == r.json["key"]

    profile = client.get(f"{EVENT}/speakers/{speaker.public_id}").json
    assert profile["photo"].endswith(f"/speakers/{speaker.public_id}/photo?v={stored.key[:16]}")
    listed = client.get(f"{EVENT}/speakers").json
    assert [p["photo"] for p in listed] == [profile["photo"]]

    image = client.get(f"{EVENT}/speakers/{speaker.public_id}/photo")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.data == stored.content
    assert image.headers["ETag"] == f'"{stored.key}"'  # strong: no W/
    assert "max-age=86400" in image.headers["Cache-Control"]
    again = client.get(f"{EVENT}/speakers/{speaker.public_id}/photo",
                       headers={"If-None-Match": image.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_refusals_over_http_answer_their_codes_and_keep_nothing(client, session, event,
                                                                published_speaker):
    speaker, staff = published_speaker, staff_headers(session, Role.PROGRAM, event=event)
    assert_problem(_upload(client, speaker, b"\xff\xd8\xff" + b"x" * 100, staff), 422,
                   "photo_unsupported")
    assert_problem(_upload(client, speaker, png_header_only(9000, 9000), staff), 422,
                   "photo_too_many_pixels")
    assert_problem(_upload(client, speaker, b"\0" * (photos.MAX_BYTES + 10), staff), 413,
                   "photo_too_large")
    # Past the whole request's limit (5 MB) the server's own 413 answers, before any parsing.
    too_big = _upload(client, speaker, b"\0" * (6 * 1024 * 1024), staff)
    assert too_big.status_code == 413 and too_big.mimetype == "application/problem+json"
    assert session.get(SpeakerPhoto, speaker.id) is None
    missing = client.put(f"{EVENT}/speakers/{speaker.public_id}/photo", headers=staff, data={},
                         content_type="multipart/form-data")
    assert missing.status_code == 422 and "photo" in missing.json["errors"]


def test_without_consent_there_is_no_url_and_the_photo_is_404(client, session, event,
                                                              published_speaker):
    speaker, staff = published_speaker, staff_headers(session, Role.PROGRAM, event=event)
    assert _upload(client, speaker, image_bytes("JPEG"), staff).status_code == 200
    url = f"{EVENT}/speakers/{speaker.public_id}"
    assert client.get(f"{url}/photo").status_code == 200
    r = client.patch(url, json={"consent": {"photo": False}}, headers=staff)
    assert r.status_code == 200 and r.json["photo"]  # organizers still see the key
    assert client.get(url).json["photo"] is None
    assert_problem(client.get(f"{url}/photo"), 404, "photo_not_found")
    # The photo consent alone is not enough: the profile itself must be public.
    client.patch(url, json={"consent": {"photo": True, "profile": False}}, headers=staff)
    assert_problem(client.get(f"{url}/photo"), 404, "photo_not_found")


def test_deleting_the_photo(client, session, event, published_speaker):
    speaker, staff = published_speaker, staff_headers(session, Role.PROGRAM, event=event)
    url = f"{EVENT}/speakers/{speaker.public_id}/photo"
    _upload(client, speaker, image_bytes("WEBP"), staff)
    assert client.delete(url, headers=staff).status_code == 204
    assert_problem(client.get(url), 404, "photo_not_found")
    assert client.get(f"{EVENT}/speakers/{speaker.public_id}").json["photo"] is None
    assert_problem(client.delete(url, headers=staff), 404, "photo_not_found")
    session.expire_all()
    assert session.get(SpeakerPhoto, speaker.id) is None
