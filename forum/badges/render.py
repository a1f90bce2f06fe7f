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

from PIL import Image
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from forum.badges import text as lines
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
    category: str  # in Kazakh, the state language: the same word on every badge of it
    category_colour: str
    event_name: str
    event_dates: str = ""
    job_title: str = ""
    category_local: str = ""  # in the holder's language, when it differs from the Kazakh
    zones: tuple[str, ...] = ()  # the zones the badge opens, in the holder's language
    zones_label: str = ""


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


def _centred(out: PDFTextObject, text: str, font: str, size: float, cx: float, y: float
             ) -> None:
    shown = lines.visual(text, font)
    out.setFont(font, size)
    out.setTextOrigin(cx - pdfmetrics.stringWidth(shown, font, size) / 2, y)
    out.textOut(shown)


def _block(out: PDFTextObject, text: str, font: str, size: float, cx: float, cursor: float,
           inner: float, *, minimum: float, rows: int = 1, leading: float = 1.3) -> float:
    """Draw ``text`` centred on up to ``rows`` lines from ``cursor`` down; the next cursor."""
    wrapped, size = lines.fit(text, font, size, inner, minimum=minimum, lines=rows)
    for line in wrapped:
        _centred(out, line, font, size, cx, cursor)
        cursor -= size * leading
    return cursor


def draw_badge(canvas: Canvas, view: BadgeView, x: float, y: float, width: float,
               height: float) -> None:
    """Draw one badge with its lower-left corner at (x, y)."""
    # All its text goes into one text object, drawn over the bands at the end: a canvas
    # string per line (twelve a badge) was the larger part of the drawing time.
    out = canvas.beginText()
    f = fonts()
    s = width / A6[0]  # everything scales with the badge width
    margin = 6 * mm * s
    inner = width - 2 * margin
    cx = x + width / 2
    top = y + height

    band = 15 * mm * s
    canvas.setFillColor(_colour("#0b2540"))
    canvas.rect(x, top - band, width, band, stroke=0, fill=1)
    out.setFillColor(white)
    _block(out, view.event_name, f.bold, 11 * s, cx, top - 6.5 * mm * s, inner,
           minimum=7 * s)
    if view.event_dates:
        _block(out, view.event_dates, f.regular, 8.5 * s, cx, top - 11.5 * mm * s, inner,
               minimum=6 * s)

    out.setFillColor(_colour("#111111"))
    cursor = top - band - 11 * mm * s
    for part in (view.first_name, view.last_name):
        cursor = _block(out, part, f.bold, 22 * s, cx, cursor, inner, minimum=10 * s,
                        rows=2, leading=1.1)
    if view.cyrillic_name and f.cyrillic:
        cursor = _block(out, view.cyrillic_name, f.regular, 12 * s, cx, cursor - 1 * s,
                        inner, minimum=7 * s) - 0.4 * mm * s
    cursor -= 1.5 * mm * s
    out.setFillColor(_colour("#333333"))
    for line, base, font in ((view.job_title, 10, f.regular), (view.organization, 11, f.bold),
                             (view.group, 10, f.regular), (view.country, 10, f.regular)):
        if line:
            cursor = _block(out, line, font, base * s, cx, cursor, inner, minimum=6.5 * s,
                            rows=2, leading=1.3)

    cat_band = 17 * mm * s
    canvas.setFillColor(_colour(view.category_colour))
    canvas.rect(x, y, width, cat_band, stroke=0, fill=1)
    out.setFillColor(_text_colour(view.category_colour))
    if view.category_local:
        _block(out, view.category.upper(), f.bold, 15 * s, cx, y + 9 * mm * s, inner,
               minimum=7 * s)
        _block(out, view.category_local.upper(), f.bold, 9.5 * s, cx, y + 3.6 * mm * s,
               inner, minimum=6 * s)
    else:
        _block(out, view.category.upper(), f.bold, 17 * s, cx, y + 6.2 * mm * s, inner,
               minimum=7 * s)

    floor = y + cat_band + 2.5 * mm * s
    if view.zones:
        out.setFillColor(_colour("#333333"))
        zones = f"{view.zones_label} {' · '.join(view.zones)}".strip()
        wrapped, size = lines.fit(zones, f.regular, 8.5 * s, inner, minimum=6 * s, lines=2)
        for line in reversed(wrapped):
            _centred(out, line, f.regular, size, cx, floor)
            floor += size * 1.25
        floor += 0.5 * mm * s

    rows = matrix(view.token)
    # The code is as large as the space left allows (at least the quiet zone stays white).
    room = min(cursor - floor, 46 * mm * s)
    module = room / (len(rows) + 2 * QUIET)
    side = module * len(rows)
    lift = (cursor - floor - room) / 2  # centred in the space between the texts
    _draw_qr(canvas, rows, cx - side / 2, floor + lift + module * QUIET + side, side)
    canvas.drawText(out)


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
