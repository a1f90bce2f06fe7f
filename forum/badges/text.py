"""Text for the PDF canvas: right-to-left scripts in visual order, and lines that fit a width.

reportlab draws characters left to right, one glyph per character, and neither joins Arabic
letters nor reorders right-to-left runs. So a line with Arabic, Persian or Hebrew in it is
first shaped by arabic-reshaper (each letter replaced by its initial, medial, final or
isolated presentation form; lam-alef ligatures), then put in visual order by python-bidi
(the Unicode bidirectional algorithm, brackets mirrored). Only forms the font has are used:
a form it lacks falls back to the plain letter, never to an empty box. Lines are broken in
logical order first, then each line is reordered on its own, as the bidi algorithm asks.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from bidi import get_display
from reportlab.pdfbase import pdfmetrics

ELLIPSIS = "…"


def _needs_bidi(text: str) -> bool:
    # Latin, Cyrillic and Greek (the usual badge) skip the bidi machinery entirely.
    return any(ord(ch) >= 0x0590 and unicodedata.bidirectional(ch) in ("R", "AL", "AN")
               for ch in text)


@lru_cache(maxsize=8)
def _reshaper(font: str) -> ArabicReshaper:
    """A reshaper whose ligatures are those the font has glyphs for."""
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    config: dict[str, bool] = {"delete_harakat": True, "support_ligatures": True}
    for name, (_match, forms) in LIGATURES:
        config[name] = all(ord(form) in cmap for form in forms if form)
    return ArabicReshaper(configuration=config)


@lru_cache(maxsize=4096)
def visual(text: str, font: str) -> str:
    """The characters to draw left to right for a line written in logical order."""
    cmap = getattr(pdfmetrics.getFont(font).face, "charToGlyph", None)
    if not _needs_bidi(text) or cmap is None:  # the PDF core fonts have no such letters
        return text
    shaped = _reshaper(font).reshape(text)
    # A presentation form missing from the font is drawn as its letter (unjoined, legible).
    shaped = "".join(ch if ord(ch) in cmap else unicodedata.normalize("NFKC", ch)
                     for ch in shaped)
    return get_display(shaped)


def width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(visual(text, font), font, size)


def _pieces(text: str) -> list[tuple[str, str]]:
    """Where a line may break: between words, and after the hyphens of double names."""
    out: list[tuple[str, str]] = []
    for word in text.split(" "):
        parts = re.findall(r"[^-]+-*|-+", word) or [word]
        out.extend((part, "") for part in parts[:-1])
        out.append((parts[-1], " "))
    return out


def _wrap(pieces: list[tuple[str, str]], font: str, size: float, limit: float) -> list[str]:
    lines: list[str] = []
    glue = ""
    for piece, after in pieces:
        if lines and width(lines[-1] + glue + piece, font, size) <= limit:
            lines[-1] += glue + piece
        else:
            lines.append(piece)
        glue = after
    return lines


def _cut(text: str, font: str, size: float, limit: float) -> str:
    while len(text) > 1 and width(text + ELLIPSIS, font, size) > limit:
        text = text[:-1].rstrip()
    return text + ELLIPSIS


def fit(text: str, font: str, size: float, limit: float, *, minimum: float,
        lines: int = 1) -> tuple[list[str], float]:
    """Lines (logical order) and a font size so that ``text`` fits ``limit`` points wide.

    One line at the full size, else one line shrunk to 3/4, else up to ``lines`` lines
    shrinking towards ``minimum``; past that the last line is cut with an ellipsis.
    """
    if not text or width(text, font, size) <= limit:
        return ([text] if text else []), size
    one = size * limit / width(text, font, size)
    if lines == 1 or one >= size * 0.75:
        if one >= minimum:
            return [text], one
        return [_cut(text, font, minimum, limit)], minimum
    words = _pieces(text)
    current = size
    while current >= minimum:
        wrapped = _wrap(words, font, current, limit)
        if len(wrapped) <= lines and all(width(w, font, current) <= limit for w in wrapped):
            return wrapped, current
        current -= 0.5
    wrapped = _wrap(words, font, minimum, limit)
    head, tail = wrapped[:lines - 1], " ".join(wrapped[lines - 1:])  # the rest, cut
    head = [w if width(w, font, minimum) <= limit else _cut(w, font, minimum, limit)
            for w in head]
    last = tail if width(tail, font, minimum) <= limit else _cut(tail, font, minimum, limit)
    return [*head, last], minimum
