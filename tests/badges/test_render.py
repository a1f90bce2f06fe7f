"""QR matrices, PNG/SVG codes and PDF badges read back by a real decoder."""

from __future__ import annotations

import base64
import io
import re
import secrets
import subprocess

import pytest
from PIL import Image

from forum.badges import qr, service
from forum.badges.printing import participant_pdf
from forum.badges.render import BadgeView, Layout, qr_png, qr_svg, write_pdf

from .. import factories
from ..factories import NOW
from .helpers import decode_image, pdf_pages, pdf_text, render_page, verify


def _random_token() -> str:
    return base64.b32encode(secrets.token_bytes(79)).decode().rstrip("=")


def test_fast_encoder_matches_the_qrcode_library():
    for _ in range(25):
        token = _random_token()
        rows = qr.matrix(token)
        assert rows == qr._with_library(token)
        assert len(rows) == 41  # version 6
    # Other texts go through the library; longer than version 6 allows is refused.
    assert len(qr.matrix("SCANNER SETUP")) == 21
    with pytest.raises(qr.CodeTooLong):
        qr.matrix("A" * 200)


def test_png_decodes_to_the_token():
    token = _random_token()
    image = Image.open(io.BytesIO(qr_png(token)))
    assert image.size == ((41 + 8) * 8,) * 2
    assert decode_image(image) == [token]


def test_svg_draws_exactly_the_dark_modules():
    token = _random_token()
    svg = qr_svg(token)
    assert svg.startswith("<svg") and 'viewBox="0 0 49 49"' in svg
    area = sum(int(w) for w in re.findall(r"h(\d+)v1", svg))
    assert area == sum(row.count("1") for row in qr.matrix(token))


def _view(token: str, **kw) -> BadgeView:
    values = dict(token=token, first_name="Aigerim", last_name="Nurlanqyzy",
                  cyrillic_name="Айгерім Нұрланқызы", organization="Astana Hub",
                  country="Kazakhstan", group="Republic of Kazakhstan", category="Speaker",
                  category_colour="#8250df", event_name="Digital Bridge 2026")
    values.update(kw)
    return BadgeView(**values)


def test_a6_badge_page_decodes_and_shows_names():
    token = _random_token()
    out = io.BytesIO()
    assert write_pdf(out, [_view(token)]) == 1
    pdf = out.getvalue()
    assert decode_image(render_page(pdf)) == [token]
    text = pdf_text(pdf)
    for expected in ("Aigerim", "Nurlanqyzy", "Айгерім Нұрланқызы", "Astana Hub", "SPEAKER",
                     "Kazakhstan", "Digital Bridge 2026"):
        assert expected in text


def test_a4_sheet_holds_four_badges():
    tokens = [_random_token() for _ in range(5)]
    out = io.BytesIO()
    pages = write_pdf(out, [_view(t, first_name=f"Person{i}") for i, t in enumerate(tokens)],
                      layout=Layout.A4)
    pdf = out.getvalue()
    assert pages == 2 and pdf_pages(pdf) == 2
    assert sorted(decode_image(render_page(pdf, 1, dpi=200))) == sorted(tokens[:4])
    assert decode_image(render_page(pdf, 2, dpi=200)) == [tokens[4]]


def test_long_names_shrink_and_stay_readable():
    token = _random_token()
    out = io.BytesIO()
    write_pdf(out, [_view(token, first_name="Maximilian-Alexander-Konstantin " * 3,
                          organization="The International Association of " * 6)])
    assert decode_image(render_page(out.getvalue())) == [token]


def test_participant_pdf_code_verifies(session, event):
    participant = factories.make_participant(session, event, first_name="Dana",
                                             last_name_cyrillic="Сейітқали")
    out = io.BytesIO()
    participant_pdf(session, participant, out, now=NOW)
    [code] = decode_image(render_page(out.getvalue()))
    claims = verify(session, event, code)
    badge = service.current_badge(session, participant)
    assert (claims.serial, claims.revision) == (badge.serial, badge.revision)


def test_chunks_join_into_one_valid_document():
    tokens = [_random_token() for _ in range(5)]
    out = io.BytesIO()
    pages = write_pdf(out, [_view(t, last_name=f"Person{i}") for i, t in enumerate(tokens)],
                      chunk_pages=2, title="Badges — Қазақстан")
    pdf = out.getvalue()
    assert pages == 5 and pdf_pages(pdf) == 5
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert info.stderr == b""  # poppler reports any broken reference or offset here
    assert "Pages:           5" in info.stdout.decode()
    assert "Badges — Қазақстан" in info.stdout.decode()
    for number, token in enumerate(tokens, start=1):
        assert decode_image(render_page(pdf, number)) == [token]
    assert [line.strip() for line in pdf_text(pdf).splitlines() if "Person" in line] == [
        f"Person{i}" for i in range(5)]


def test_empty_selection_is_a_valid_pdf():
    out = io.BytesIO()
    assert write_pdf(out, []) == 1
    info = subprocess.run(["pdfinfo", "-"], input=out.getvalue(), capture_output=True,
                          check=True)
    assert info.stderr == b"" and "Pages:           1" in info.stdout.decode()
