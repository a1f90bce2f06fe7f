"""Which message each change writes, and every message in every language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.mail import messages
from forum.mail.models import OutboxMessage
from forum.registration import service as registration
from forum.registration.models import Locale
from forum.registration.notices import Notice

from .. import factories


def _sent(session) -> list[tuple[str, str]]:
    return [(m.to_address, m.kind) for m in session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id))]


def _text(session, email: str, kind: str) -> str:
    return session.scalar(select(OutboxMessage.body_text).where(
        OutboxMessage.to_address == email, OutboxMessage.kind == kind))


def test_accreditation_writes_received_then_approved_or_rejected_with_the_reason(
        session, event, clock):
    yes = factories.make_participant(session, event, category="press", by_organizer=False,
                                     email="yes@press.kz", locale="kk")
    no = factories.make_participant(session, event, category="press", by_organizer=False,
                                    email="no@press.kz", locale="ru")
    registration.decide(session, yes, approve=True, now=clock(), actor="test")
    registration.decide(session, no, approve=False, now=clock(), actor="test",
                        reason="Нет редакционного удостоверения")
    session.commit()
    assert _sent(session) == [("yes@press.kz", "received"), ("no@press.kz", "received"),
                              ("yes@press.kz", "approved"), ("no@press.kz", "rejected")]
    assert "тіркелуіңізді мақұлдады" in _text(session, "yes@press.kz", "approved")
    assert "Причина: Нет редакционного удостоверения" in _text(session, "no@press.kz",
                                                               "rejected")
    approved = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "approved"))
    assert approved.with_badge and approved.link_sealed is None  # no token after registering


def test_a_full_event_writes_waitlisted_and_a_freed_seat_promoted(session, clock):
    event = factories.make_event(session, slug="small", quota=1)
    first = factories.make_participant(session, event, email="first@example.kz")
    factories.make_participant(session, event, email="second@example.kz", locale="kk")
    registration.cancel(session, first, now=clock(), actor="test")
    session.commit()
    assert _sent(session) == [("first@example.kz", "confirmed"),
                              ("second@example.kz", "waitlisted"),
                              ("first@example.kz", "cancelled"),
                              ("second@example.kz", "promoted")]
    assert "Қуанышты хабар" in _text(session, "second@example.kz", "promoted")


@pytest.mark.parametrize("locale", list(Locale))
@pytest.mark.parametrize("notice", list(Notice))
def test_every_message_exists_in_every_language(app, session, event, locale, notice):
    participant, _token = factories.make_registrant(session, event, locale=locale.value)
    composed = messages.compose(participant, notice, with_link=True, with_badge=True,
                                reason="reason")
    assert composed.subject and "None" not in composed.subject
    assert "None" not in composed.text and "{{" not in composed.text
    assert f'lang="{locale.value}"' in composed.html
    assert participant.first_name in composed.text


@pytest.mark.parametrize(("locale", "month"), [("kk", "маусым"), ("ru", "июня"), ("en", "June")])
def test_dates_and_venue_are_written_in_the_readers_language(app, session, locale, month):
    from datetime import date

    event = factories.make_event(session, starts_on=date(2031, 6, 3), ends_on=date(2031, 6, 4),
                                 venue_names={"kk": "EXPO орталығы", "ru": "Центр EXPO"},
                                 city_names={"kk": "Астана", "ru": "Астана"})
    participant, _token = factories.make_registrant(session, event, locale=locale)
    text = messages.compose(participant, Notice.CONFIRMED, with_link=False,
                            with_badge=True).text
    assert month in text and "03.06.2031" not in text  # CLDR's words, not one numeric form
    place = {"kk": "EXPO орталығы, Астана", "ru": "Центр EXPO, Астана",
             "en": "EXPO Congress Centre, Astana"}[locale]
    assert place in text
