"""Reading badges back: PDF pages to pixels (poppler), pixels to QR text (zxing-cpp)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from forum.badges import service
from forum.badges.tokens import decode_badge_token, event_tag


def decode_image(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def render_page(pdf: bytes, page: int = 1, dpi: int = 150) -> Image.Image:
    """One PDF page as an image, through poppler's pdftoppm (the Makefile installs it)."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm missing: install poppler-utils (make test does)")
    png = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                          "-"], input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png))


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def verify(session, event, code: str):
    return decode_badge_token(code, public_keys=service.public_keys(session, event),
                              event_tag=event_tag(event.id))
