"""Event dates and times from CLDR in each language, on the event's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from babel.dates import get_month_names

from forum.i18n import format_event_dates, format_event_time


def event(days: int = 2) -> SimpleNamespace:
    start = datetime.now(UTC).date() + timedelta(days=40)
    return SimpleNamespace(starts_on=start, ends_on=start + timedelta(days=days),
                           timezone="Asia/Almaty")


def test_dates_name_the_month_in_each_language():
    forum = event()
    for language in ("kk", "ru", "en"):
        text = format_event_dates(forum, language)
        months = {m.lower() for kind in ("format", "stand-alone")
                  for m in get_month_names("wide", kind, language).values()}
        assert any(m in text.lower() for m in months), (language, text)
        assert str(forum.starts_on.day) in text and str(forum.ends_on.year) in text
    assert format_event_dates(forum, "kk") != format_event_dates(forum, "ru")


def test_a_one_day_event_is_one_date():
    forum = event(days=0)
    assert "–" not in format_event_dates(forum, "en")
    assert str(forum.starts_on.year) in format_event_dates(forum, "xx")  # unknown: English


def test_times_are_on_the_events_clock():
    forum = event()
    moment = datetime.combine(forum.starts_on, datetime.min.time(), tzinfo=UTC) \
        + timedelta(hours=4, minutes=30)
    local = moment.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty"))
    text = format_event_time(moment, forum, "ru")
    assert f"{local.hour:02d}:30" in text or f"{local.hour}:30" in text
