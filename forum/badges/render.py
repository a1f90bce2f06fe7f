"""Drawing badges: the QR code as PNG or SVG, and badge pages (A6, or four per A4) as PDF."""

from __future__ import annotations

import io
import logging
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import pycountry
from PIL import Image
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from forum.badges.pdfjoin import PdfJoiner
from forum.badges.qr import Matrix, matrix

log = logging.getLogger(__name__)

QUIET = 4  # modules of white around the code, as the QR standard asks
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
_RUN = re.compile("1+")


@dataclass(frozen=True, slots=True)
class BadgeView:
    """What a printed badge shows; no database objects, so drawing needs no session."""

    token: str
    first_name: str
    last_name: str
    cyrillic_name: str
    organization: str
    country: str
    group: str  # delegation or company
    category: str
    category_colour: str
    event_name: str


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


# --- the code alone ------------------------------------------------------------------------
def qr_png(token: str, *, scale: int = 8) -> bytes:
    """The code as a black-on-white PNG, ``scale`` pixels per module, with the quiet zone."""
    rows = matrix(token)
    size = len(rows) + 2 * QUIET
    pad = "0" * QUIET
    blank = "0" * size * QUIET
    bits = blank + "".join(pad + row + pad for row in rows) + blank
    image = Image.frombytes("L", (size, size), bits.translate(_PIXELS).encode("latin-1"))
    image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST).convert("1")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


_PIXELS = str.maketrans({"0": "\xff", "1": "\x00"})


def qr_svg(token: str) -> str:
    """The code as a scalable SVG (one path of horizontal runs; 1 unit = 1 module)."""
    rows = matrix(token)
    size = len(rows) + 2 * QUIET
    parts = [f"M{m.start() + QUIET} {r + QUIET}h{m.end() - m.start()}v1h-{m.end() - m.start()}z"
             for r, row in enumerate(rows) for m in _RUN.finditer(row)]
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s} {s}" width="{w}" '
            'height="{w}" shape-rendering="crispEdges"><rect width="{s}" height="{s}" '
            'fill="#fff"/><path fill="#000" d="{d}"/></svg>').format(
                s=size, w=size * 8, d="".join(parts))


# --- fonts -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    cyrillic: bool  # whether the fonts cover Cyrillic (and Kazakh) letters


@lru_cache(maxsize=1)
def fonts() -> Fonts:
    """DejaVu Sans when installed (Latin, Cyrillic, Kazakh); otherwise the PDF core fonts."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("BadgeSans", str(regular)))
            pdfmetrics.registerFont(TTFont("BadgeSans-Bold", str(bold)))
            return Fonts("BadgeSans", "BadgeSans-Bold", True)
    log.warning("DejaVu fonts not found in %s; badges fall back to Helvetica without Cyrillic",
                [str(f) for f in FONT_DIRS])
    return Fonts("Helvetica", "Helvetica-Bold", False)


def _fit(text: str, font: str, size: float, width: float, minimum: float = 7) -> tuple[str, float]:
    """Shrink the font until the text fits; below the minimum, cut it with an ellipsis."""
    measured = pdfmetrics.stringWidth(text, font, size)
    if measured > width:
        size = max(minimum, size * width / measured)
        while text and pdfmetrics.stringWidth(text, font, size) > width:
            text = text[:-2].rstrip() + "…"
    return text, size


@lru_cache(maxsize=64)
def _colour(value: str) -> Color:
    return HexColor(value)


@lru_cache(maxsize=64)
def _text_colour(background: str) -> Color:
    colour = _colour(background)
    luminance = 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue
    return _colour("#000000" if luminance > 0.6 else "#ffffff")


# --- one badge -------------------------------------------------------------------------------
def _draw_qr(canvas: Canvas, rows: Matrix, x: float, top: float, side: float) -> None:
    # An inline 1-bit image, one pixel per module, scaled without interpolation: exact like
    # vector squares, but ~250 bytes per code instead of hundreds of drawing operators.
    n = len(rows)
    pad = -n % 8
    data = "".join(format(int(row, 2) << pad, f"0{(n + pad) // 4}X") for row in rows)
    canvas.addLiteral(f"q {side:.3f} 0 0 {side:.3f} {x:.3f} {top - side:.3f} cm "
                      f"BI /W {n} /H {n} /BPC 1 /CS /G /D [1 0] /F /AHx ID {data}> EI Q")


def draw_badge(canvas: Canvas, view: BadgeView, x: float, y: float, width: float,
               height: float) -> None:
    """Draw one badge with its lower-left corner at (x, y)."""
    f = fonts()
    s = width / A6[0]  # everything scales with the badge width
    margin = 6 * mm * s
    inner = width - 2 * margin
    cx = x + width / 2
    top = y + height

    band = 11 * mm * s
    canvas.setFillColor(_colour("#0b2540"))
    canvas.rect(x, top - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    text, size = _fit(view.event_name, f.bold, 10 * s, inner)
    canvas.setFont(f.bold, size)
    canvas.drawCentredString(cx, top - band / 2 - size * 0.35, text)

    canvas.setFillColor(_colour("#111111"))
    cursor = top - band - 12 * mm * s
    for part in (view.first_name, view.last_name):
        text, size = _fit(part, f.bold, 24 * s, inner, minimum=11 * s)
        canvas.setFont(f.bold, size)
        canvas.drawCentredString(cx, cursor, text)
        cursor -= size * 1.1
    if view.cyrillic_name and f.cyrillic:
        text, size = _fit(view.cyrillic_name, f.regular, 13 * s, inner)
        canvas.setFont(f.regular, size)
        canvas.drawCentredString(cx, cursor, text)
        cursor -= size * 1.4
    cursor -= 2 * mm * s
    canvas.setFillColor(_colour("#333333"))
    for line, base in ((view.organization, 11), (view.group, 10), (view.country, 10)):
        if line:
            text, size = _fit(line, f.regular, base * s, inner)
            canvas.setFont(f.regular, size)
            canvas.drawCentredString(cx, cursor, text)
            cursor -= size * 1.35

    cat_band = 15 * mm * s
    canvas.setFillColor(_colour(view.category_colour))
    canvas.rect(x, y, width, cat_band, stroke=0, fill=1)
    canvas.setFillColor(_text_colour(view.category_colour))
    text, size = _fit(view.category.upper(), f.bold, 18 * s, inner)
    canvas.setFont(f.bold, size)
    canvas.drawCentredString(cx, y + cat_band / 2 - size * 0.35, text)

    rows = matrix(view.token)
    # The code is as large as the space left allows (at least the quiet zone stays white).
    room = min(cursor - (y + cat_band) - 3 * mm * s, 46 * mm * s)
    module = room / (len(rows) + 2 * QUIET)
    side = module * len(rows)
    _draw_qr(canvas, rows, cx - side / 2, y + cat_band + module * QUIET + side, side)


# --- documents -------------------------------------------------------------------------------
class Layout:
    A6 = "a6"  # one badge per A6 page (badge printers)
    A4 = "a4"  # four A6 badges per A4 page with cut lines (office printers)

    ALL = (A6, A4)


CHUNK_PAGES = 200


def _chunk_pdf(views: list[BadgeView], layout: str) -> bytes:
    """A small PDF of consecutive badges (the unit that is drawn, possibly in a worker)."""
    fonts()
    # Binary (not ASCII85) compressed streams: smaller files, and reportlab's ASCII85 encoder
    # was the largest single cost of a bulk print.
    rl_config.useA85 = 0
    page = A4 if layout == Layout.A4 else A6
    slots = ((0, A6[1]), (A6[0], A6[1]), (0, 0), (A6[0], 0)) if layout == Layout.A4 else ((0, 0),)
    yoff = (A4[1] - 2 * A6[1]) / 2 if layout == Layout.A4 else 0
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, pageCompression=1, invariant=1)
    for start in range(0, len(views), len(slots)):
        for view, (sx, sy) in zip(views[start:start + len(slots)], slots, strict=False):
            draw_badge(canvas, view, sx, sy + yoff, A6[0], A6[1])
        _finish_page(canvas, layout, yoff)
    if not views:  # an empty selection still gives a valid one-page PDF
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _chunks(views: Iterable[BadgeView], size: int) -> Iterator[list[BadgeView]]:
    chunk: list[BadgeView] = []
    for view in views:
        chunk.append(view)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_pdf(out: BinaryIO, views: Iterable[BadgeView], *, layout: str = Layout.A6,
              title: str = "Badges", progress: Callable[[int], None] | None = None,
              chunk_pages: int = CHUNK_PAGES, jobs: int = 1) -> int:
    """Draw the badges into one PDF written to ``out`` as it goes; returns the page count.

    Pages are drawn in chunks of ``chunk_pages`` (each a small reportlab document) and joined
    into the output in order, one chunk at a time, so memory does not grow with the number of
    badges. With ``jobs`` > 1, worker processes draw the chunks while this one reads, signs and
    writes; at most two chunks per worker are in flight.
    """
    joiner = PdfJoiner(out)
    per_chunk = chunk_pages * (4 if layout == Layout.A4 else 1)

    def emit(pdf: bytes, count: int) -> None:
        joiner.add(pdf)
        if progress:
            progress(count)

    if jobs <= 1:
        for chunk in _chunks(views, per_chunk):
            emit(_chunk_pdf(chunk, layout), len(chunk))
    else:
        spawn = multiprocessing.get_context("spawn")  # no forked database connections
        with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
            pending: deque[tuple[Future[bytes], int]] = deque()
            for chunk in _chunks(views, per_chunk):
                pending.append((pool.submit(_chunk_pdf, chunk, layout), len(chunk)))
                if len(pending) >= 2 * jobs:
                    future, count = pending.popleft()
                    emit(future.result(), count)
            while pending:
                future, count = pending.popleft()
                emit(future.result(), count)
    if joiner.pages == 0:
        joiner.add(_chunk_pdf([], layout))
    joiner.finish(title=title)
    return joiner.pages


def _finish_page(canvas: Canvas, layout: str, yoff: float) -> None:
    if layout == Layout.A4:
        canvas.setStrokeColor(_colour("#bbbbbb"))
        canvas.setLineWidth(0.3)
        canvas.setDash(3, 3)
        canvas.line(A6[0], 0, A6[0], A4[1])
        canvas.line(0, yoff + A6[1], A4[0], yoff + A6[1])
    canvas.showPage()
