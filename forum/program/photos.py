"""Speaker photos: checked by their content with Pillow, re-encoded, resized, stored.

An upload is accepted when Pillow reads it as a JPEG, PNG or WebP image, whatever its file
name or declared type say, of at most ``MAX_BYTES`` and ``MAX_PIXELS``. The pixel count is
read from the header before any pixel is decoded, so a small file that would unpack into
gigabytes (a decompression bomb) costs nothing; Pillow's own bomb guard refuses as well.
What is kept is made here: the first frame, turned upright by its EXIF orientation,
flattened on white, fitted into ``SIZE`` x ``SIZE`` and written as a fresh JPEG without any
metadata (no EXIF, GPS, ICC profile or comment). Nothing else of the upload is stored.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from forum.errors import NotFound, ValidationFailed
from forum.events.models import Event
from forum.program import errors
from forum.program.models import Speaker, SpeakerPhoto
from forum.program.service import record

MAX_BYTES = 4 * 1024 * 1024  # below the request limit (5 MB), so this code is the answer
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is larger than MAX_BYTES anyway
SIZE = 400  # the longer side of the stored photo
FORMATS = ("JPEG", "PNG", "WEBP")
MEDIA_TYPE = "image/jpeg"
_UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
               TypeError, KeyError, IndexError)


@dataclass(frozen=True)
class Encoded:
    content: bytes
    width: int
    height: int
    key: str  # SHA-256 of content


def _unsupported(detail: str) -> ValidationFailed:
    return ValidationFailed(detail, code=errors.PHOTO_UNSUPPORTED,
                            errors={"photo": ["Upload a JPEG, PNG or WebP image."]})


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationFailed:
    size = f"{width}x{height} pixels; " if width else ""
    return ValidationFailed(f"The image is {size}the limit is {MAX_PIXELS:,} pixels.",
                            code=errors.PHOTO_TOO_MANY_PIXELS,
                            errors={"photo": [f"At most {MAX_PIXELS // 1_000_000} megapixels."]})


def _flatten(image: Image.Image) -> Image.Image:
    """A new RGB image (so no ``info`` of the upload travels along), transparency on white."""
    frame = ImageOps.exif_transpose(image)  # a copy, upright; decodes the pixels
    frame.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", frame.size, "white")
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    else:
        clean.paste(frame.convert("RGB"))
    return clean


def encode(data: bytes) -> Encoded:
    """The stored form of an uploaded photo, or a refusal with its code."""
    if len(data) > MAX_BYTES:
        raise errors.PhotoTooLarge(f"The photo is {len(data):,} bytes; the limit is "
                                   f"{MAX_BYTES:,}.")
    if not data:
        raise _unsupported("The file is empty.")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(width, height)
            image.draft("RGB", (SIZE * 2, SIZE * 2))  # JPEG: decode at a reduced scale
            clean = _flatten(image)
    # Pillow's guard: an error past twice its limit, else a warning (an error where warnings
    # are errors, as in the tests); its limit is above ours, so a mere warning is refused
    # just above. Not warnings.catch_warnings: it swaps a process-wide filter under threads.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    # Pillow's decoders report a malformed file in many ways; all of them mean the same here.
    except _UNREADABLE:
        raise _unsupported("The file is not a readable JPEG, PNG or WebP image.") from None
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    content = out.getvalue()
    return Encoded(content, clean.width, clean.height, hashlib.sha256(content).hexdigest())


def store(session: Session, speaker: Speaker, data: bytes, *, event: Event, now: datetime,
          actor: str) -> SpeakerPhoto:
    """Replace the speaker's photo by the re-encoded upload."""
    encoded = encode(data)
    photo = session.get(SpeakerPhoto, speaker.id)
    if photo is None:
        photo = SpeakerPhoto(speaker_id=speaker.id)
        session.add(photo)
    photo.key, photo.media_type = encoded.key, MEDIA_TYPE
    photo.width, photo.height, photo.content = encoded.width, encoded.height, encoded.content
    photo.created_at = now
    _changed(session, speaker, encoded.key, event=event, now=now, actor=actor)
    return photo


def remove(session: Session, speaker: Speaker, *, event: Event, now: datetime,
           actor: str) -> None:
    photo = session.get(SpeakerPhoto, speaker.id)
    if photo is None:
        raise NotFound("The speaker has no photo.", code=errors.PHOTO_NOT_FOUND)
    session.delete(photo)
    _changed(session, speaker, None, event=event, now=now, actor=actor)


def _changed(session: Session, speaker: Speaker, key: str | None, *, event: Event,
             now: datetime, actor: str) -> None:
    # The revision feeds the public answers' ETags: the photo URL inside them changes.
    before = speaker.photo
    speaker.photo, speaker.revision, speaker.updated_at = key, speaker.revision + 1, now
    session.flush()
    record(session, event=event, action="speaker.photo", target_type="speaker",
           target_id=speaker.public_id, actor=actor, now=now,
           before={"photo": before[:12] if before else None},
           after={"photo": key[:12] if key else None})


def shown(speaker: Speaker) -> bool:
    """Whether the public may see the speaker's photo."""
    return bool(speaker.photo and speaker.consent_profile and speaker.consent_photo)


def public_url(speaker: Speaker, event: Event, base_url: str) -> str | None:
    """Where the public finds the photo (the key in the query: a new photo, a new URL)."""
    if not shown(speaker):
        return None
    return (f"{base_url}/api/v1/events/{event.slug}/speakers/{speaker.public_id}/photo"
            f"?v={speaker.photo[:16]}")


def own(session: Session, speaker: Speaker) -> SpeakerPhoto:
    photo = session.get(SpeakerPhoto, speaker.id) if speaker.photo else None
    if photo is None:
        raise NotFound("No photo yet.", code=errors.PHOTO_NOT_FOUND)
    return photo


def public_photo(session: Session, speaker: Speaker) -> SpeakerPhoto:
    """The photo the public may see: 404 without it or without the speaker's consent."""
    if not shown(speaker):
        raise NotFound("No public photo for this speaker.", code=errors.PHOTO_NOT_FOUND)
    return own(session, speaker)
