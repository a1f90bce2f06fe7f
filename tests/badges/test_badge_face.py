"""What a printed badge says: the person's language, the zones it opens, right-to-left names
laid out for reading, nothing private, and a press colour that is not the scanner's red.

Text is read back from the PDF with poppler's pdftotext, which rebuilds the logical order of
right-to-left text from where the glyphs stand on the page. So a name drawn in the wrong
order (logical order laid out left to right, what reportlab does on its own) would come back
reversed: getting the name back proves the visual order. The joining is proven by the
characters drawn: Arabic letters come back as their positional presentation forms (initial,
medial, final), which the NFKC normalisation folds back to the letters typed.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from babel.dates import format_interval
from sqlalchemy import select

from forum.badges.printing import participant_pdf
from forum.badges.render import A6, BadgeView, write_pdf
from forum.checkin.models import Zone
from forum.demo import catalog
from forum.events.models import Category
from forum.registration.models import Status

from .. import factories
from ..factories import NOW
from .helpers import decode_image, pdf_text, render_page

NAMES = {
    "press": {"kk": "Баспасөз", "ru": "Пресса", "en": "Press"},
    "delegate": {"kk": "Делегат", "ru": "Делегат", "en": "Delegate"},
}
ZONES = {  # slug → names, admitted categories, delegation heads
    "venue": ({"kk": "Алаң", "ru": "Площадка", "en": "Venue"}, [], False),
    "vip": ({"kk": "VIP-зал", "ru": "VIP-зал", "en": "VIP lounge"}, ["vip"], True),
    "press": ({"kk": "Баспасөз орталығы", "ru": "Пресс-центр", "en": "Press centre"},
              ["press"], False),
}
UZBEKISTAN = {"kk": "Өзбекстан", "ru": "Узбекистан", "en": "Uzbekistan"}
_BIDI_MARKS = dict.fromkeys(range(0x202A, 0x202F))


@pytest.fixture
def badge_event(session, event):
    for category in session.scalars(select(Category).where(Category.event_id == event.id)):
        category.names = NAMES.get(category.slug, category.names)
    for slug, (names, categories, heads) in ZONES.items():
        session.add(Zone(event_id=event.id, slug=slug, names=names, categories=categories,
                         delegation_heads=heads))
    session.flush()
    return event


def _confirmed(session, event, **kw):
    participant = factories.make_participant(session, event, **kw)
    participant.status = Status.CONFIRMED  # press is accredited first; not the point here
    session.flush()
    return participant


def _badge_text(session, participant) -> str:
    out = io.BytesIO()
    participant_pdf(session, participant, out, now=NOW)
    return pdf_text(out.getvalue())


def _logical(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_BIDI_MARKS))


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_badge_speaks_the_holders_language(session, badge_event, locale):
    person = _confirmed(session, badge_event, category="press", locale=locale, country="UZ",
                        job_title="Editor-in-chief", organization="Kun.uz",
                        phone="+998 90 123 45 67", email=f"editor-{locale}@kun.uz")
    text = _badge_text(session, person)
    flat = " ".join(text.split())
    assert badge_event.name in flat
    dates = {lang: format_interval(badge_event.starts_on, badge_event.ends_on, "yMMMMd",
                                   locale=lang) for lang in ("kk", "ru", "en")}
    assert " ".join(dates[locale].split()) in flat
    assert not any(" ".join(d.split()) in flat for lang, d in dates.items() if lang != locale
                   and d != dates[locale])
    assert UZBEKISTAN[locale] in flat
    assert "Editor-in-chief" in flat and "Kun.uz" in flat
    # The band: Kazakh, the state language, first on every badge; then the holder's own.
    assert "БАСПАСӨЗ" in flat
    assert ("ПРЕССА" in flat) is (locale == "ru") and ("PRESS" in flat) is (locale == "en")
    # The zones it opens, in the holder's language; never the VIP lounge.
    assert ZONES["venue"][0][locale] in flat and ZONES["press"][0][locale] in flat
    assert "VIP" not in flat
    # Nothing the guard and the person do not need.
    assert "kun.uz" not in flat.replace("Kun.uz", "") and "@" not in flat
    assert "998" not in flat and "123 45 67" not in flat


def test_delegation_head_badge_opens_the_vip_lounge(session, badge_event):
    delegation = factories.make_delegation(session, badge_event, head_email="head@gov.uz")
    head = _confirmed(session, badge_event, delegation_code=delegation.invitation_code,
                      email="head@gov.uz", locale="en")
    member = _confirmed(session, badge_event, delegation_code=delegation.invitation_code,
                        email="member@gov.uz", locale="en")
    head_text, member_text = _badge_text(session, head), _badge_text(session, member)
    assert "VIP lounge" in head_text and "VIP lounge" not in member_text
    assert "Republic of Uzbekistan" in head_text and "Uzbekistan\n" in head_text + "\n"
    japan = factories.make_delegation(session, badge_event, country="JP", name="Japan")
    guest = _confirmed(session, badge_event, delegation_code=japan.invitation_code, locale="en",
                       country="JP")
    assert _badge_text(session, guest).count("Japan") == 1  # the delegation, not twice
    # Same word in Kazakh and Russian: the band says it once.
    assert head_text.count("ДЕЛЕГАТ") == 1


@pytest.mark.parametrize("first, last", [
    ("محمد", "عبدالله الهاشمي"),  # Arabic: letters join, lam-alef, right to left
    ("علی\u200cرضا", "محمدی"),  # Persian with a ZWNJ
    ("דוד", "כהן"),  # Hebrew: order only
])
def test_right_to_left_names_read_back_in_logical_order(session, badge_event, first, last):
    person = _confirmed(session, badge_event, first_name=first, last_name=last, locale="en")
    lines = [line.strip() for line in _badge_text(session, person).splitlines()]
    assert _logical(lines[lines.index(next(x for x in lines if _logical(x) == first))]) == first
    assert any(_logical(line) == last for line in lines)


def test_arabic_letters_are_joined():
    out = io.BytesIO()
    write_pdf(out, [_view(first_name="محمد", last_name="")])
    line = next(x.strip() for x in pdf_text(out.getvalue()).splitlines() if x.strip()
                and _logical(x.strip()) == "محمد")
    drawn = [unicodedata.name(ch) for ch in line.translate(_BIDI_MARKS)]
    # meem initial, hah medial, meem medial, dal final: the joined forms, not the letters.
    assert drawn == ["ARABIC LETTER MEEM INITIAL FORM", "ARABIC LETTER HAH MEDIAL FORM",
                     "ARABIC LETTER MEEM MEDIAL FORM", "ARABIC LETTER DAL FINAL FORM"]


def _view(**kw) -> BadgeView:
    values = dict(token="A" * 127, first_name="Aigerim", last_name="Nurlanqyzy",
                  cyrillic_name="", organization="Astana Hub", country="Kazakhstan", group="",
                  category="Қатысушы", category_colour="#1f6feb", event_name="Digital Bridge",
                  event_dates="December 2 – 3, 2026", zones=("Venue",), zones_label="Access:")
    values.update(kw)
    return BadgeView(**values)


def _word_boxes(pdf: bytes) -> list[tuple[float, float, str]]:
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return [(float(a), float(b), w) for a, b, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        html)]


def test_long_texts_wrap_or_shrink_inside_the_badge():
    long_org = "The International Association of Telecommunication Operators " * 3
    view = _view(first_name="Maximilian-Alexander Konstantin Friedrich Wilhelm",
                 last_name="von Hohenzollern-Sigmaringen-Wittelsbach-Hohenstaufen",
                 organization=long_org, job_title="Chief Executive Officer " * 4,
                 zones=tuple(f"Zone number {i}" for i in range(12)))
    out = io.BytesIO()
    write_pdf(out, [view])
    boxes = _word_boxes(out.getvalue())
    words = "".join(w for _a, _b, w in boxes)
    # Double names break after a hyphen rather than lose letters.
    assert "Maximilian-AlexanderKonstantin" in words
    assert "vonHohenzollern-Sigmaringen-Wittelsbach-Hohenstaufen" in words
    assert all(left > 0 and right < A6[0] for left, right, _w in boxes)
    assert decode_image(render_page(out.getvalue())) == [view.token]


# --- the press colour against the scanner's red ---------------------------------------------
def _lab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB (D65) → CIE L*a*b*."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
           0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu, Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cm = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cm ** 7 / (cm ** 7 + 25 ** 7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = (math.degrees(math.atan2(b, a)) % 360 for a, b in ((a1, b1), (a2, b2)))
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dl, dc = l2 - l1, c2 - c1
    big_dh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    lm, cmp_ = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        hm = h1 + h2
    elif abs(h1 - h2) <= 180:
        hm = (h1 + h2) / 2
    else:
        hm = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hm - 30)) + 0.24 * math.cos(math.radians(2 * hm))
         + 0.32 * math.cos(math.radians(3 * hm + 6)) - 0.20 * math.cos(math.radians(4 * hm - 63)))
    sl = 1 + 0.015 * (lm - 50) ** 2 / math.sqrt(20 + (lm - 50) ** 2)
    sc, sh = 1 + 0.045 * cmp_, 1 + 0.015 * cmp_ * t
    rt = (-math.sin(math.radians(60 * math.exp(-(((hm - 275) / 25) ** 2))))
          * 2 * math.sqrt(cmp_ ** 7 / (cmp_ ** 7 + 25 ** 7)))
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (big_dh / sh) ** 2
                     + rt * (dc / sc) * (big_dh / sh))


def test_delta_e2000_matches_the_published_test_data():
    # Pairs 1, 7 and 17 of Sharma et al.'s table.
    assert delta_e2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, 1e-4)
    assert delta_e2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, 1e-4)
    assert delta_e2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, 1e-4)


def _scanner_red() -> str:
    css = (Path(__file__).parents[2] / "static/scanner/scanner.css").read_text()
    return re.search(r"--deny-bg:\s*(#[0-9a-fA-F]{6})", css)[1]


def test_press_is_far_from_the_scanners_denied_red():
    colours = {spec.slug: spec.badge_colour for spec in catalog.CATEGORIES}
    red = _lab(_scanner_red())
    # The former press red was 7 away: the same colour to a guard glancing at a badge.
    assert delta_e2000(_lab("#cf222e"), red) < 10
    assert delta_e2000(_lab(colours["press"]), red) >= 25
    # And it did not become another category's colour.
    assert all(delta_e2000(_lab(colours["press"]), _lab(other)) >= 15
               for slug, other in colours.items() if slug != "press")
    assert factories.CATEGORY_RULES["press"][2] == colours["press"]


# --- names as typed: ZWNJ is spelling, other invisible characters are refused ---------------
URL = "/api/v1/events/digital-bridge/registrations"


def test_persian_name_with_zwnj_is_accepted_and_kept(client, event):
    body = factories.payload(first_name="علی\u200cرضا", last_name="محمدی",
                             organization="می\u200cخواهم")
    r = client.post(URL, json=body)
    assert r.status_code == 201, r.get_data(as_text=True)
    me = client.get("/api/v1/registrations/me",
                    headers={"Authorization": f"Bearer {r.get_json()['manage_token']}"})
    assert me.get_json()["first_name"] == "علی\u200cرضا"
    assert me.get_json()["organization"] == "می\u200cخواهم"


@pytest.mark.parametrize("name", [
    "Ali\u200dReza",  # zero-width joiner
    "Ali\u200bReza",  # zero-width space
    "\u200cAli",  # a ZWNJ that joins nothing
    "Ali\u200c",
    "Ali\u200c\u200cReza",
    "Ali\u202eazeR",  # right-to-left override: shows another name than it holds
    "Ali\u2066Reza",  # isolate
    "Ali\u00adReza",  # soft hyphen
    "Ali\x07Reza",
])
def test_other_invisible_characters_are_still_refused(client, event, name):
    r = client.post(URL, json=factories.payload(first_name=name))
    assert r.status_code == 422
    assert "first_name" in r.get_json()["errors"]


def test_demo_command_recolours_an_existing_press_category(session, event):
    from forum.demo.builder import recolour_retired

    press = session.scalar(select(Category).where(Category.event_id == event.id,
                                                  Category.slug == "press"))
    press.badge_colour = "#CF222E"  # as an older demo database holds it
    session.flush()
    assert recolour_retired(session, event) == 1
    session.refresh(press)
    assert press.badge_colour == catalog.RETIRED_COLOURS["press"][1] == "#c21c8b"
    assert recolour_retired(session, event) == 0  # a chosen colour is left alone
