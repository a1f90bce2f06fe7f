"""The demo event: shape of the data, seat counters, idempotency, determinism and the CLI."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import phonenumbers
import pycountry
import pytest
from email_validator import validate_email
from sqlalchemy import func, select, update

from forum.demo import build_demo
from forum.events.models import Admission, Category, Event
from forum.extensions import db
from forum.organizations.models import Company, CompanyStatus, Delegation
from forum.program import conflicts, versions
from forum.program.models import ProgramSession, Room, SessionKind, SessionStatus, Speaker, Track
from forum.registration.models import Participant, Status
from forum.registration.search_index import fold

from .conftest import make_app

# 04:00 UTC is 09:00 in Astana: the same calendar day in both zones.
NOW = datetime(2026, 5, 20, 4, 0, tzinfo=UTC)
N = 300
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"^[\u0400-\u04FF\- ]+$")
ANY_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
EXAMPLE_DOMAIN = re.compile(r"(^|\.)example\.(kz|com|org|net)$")


def build(session, participants: int = N, *, seed: int = 7, now: datetime = NOW,
          slug: str = "digital-bridge") -> str:
    summary = build_demo(session, slug=slug, participants=participants, seed=seed, now=now)
    session.commit()
    return summary


def all_of(session, model, **where):
    return session.scalars(select(model).filter_by(**where)).all()


def confirmed_per(session, column) -> dict[int, int]:
    return dict(session.execute(
        select(column, func.count()).where(Participant.status == Status.CONFIRMED)
        .group_by(column)).all())


def assert_counters_match(session, event: Event) -> None:
    """Every pool's ``taken`` equals the confirmed participants drawing on it."""
    session.expire_all()
    confirmed = session.scalar(select(func.count()).select_from(Participant).where(
        Participant.event_id == event.id, Participant.status == Status.CONFIRMED))
    assert event.taken == confirmed
    for column, model in ((Participant.category_id, Category),
                          (Participant.delegation_id, Delegation),
                          (Participant.company_id, Company)):
        per_pool = confirmed_per(session, column)
        for pool in all_of(session, model, event_id=event.id):
            assert pool.taken == per_pool.get(pool.id, 0), (model.__name__, pool.id)
            assert pool.quota is None or pool.taken <= pool.quota


@pytest.fixture
def demo(session):
    summary = build(session)
    return session.scalar(select(Event).where(Event.slug == "digital-bridge")), summary


def test_event_dates_window_and_categories(session, demo):
    event, summary = demo
    assert event.name == "Digital Bridge 2026"
    assert (event.city, event.country, event.timezone) == ("Astana", "KZ", "Asia/Almaty")
    assert "EXPO Congress Centre" in event.venue
    assert (event.starts_on, event.ends_on) == (date(2026, 5, 20), date(2026, 5, 21))
    assert event.registration_opens_at == NOW - timedelta(days=60)
    # The end of 21 May in Astana (UTC+5).
    assert event.registration_closes_at == datetime(2026, 5, 21, 19, 0, tzinfo=UTC)
    assert event.registration_open(NOW)
    assert event.quota == 25_000
    assert "/register?event=digital-bridge" in summary

    categories = {c.slug: c for c in event.categories}
    assert list(categories) == ["attendee", "speaker", "delegate", "exhibitor", "press", "vip",
                                "staff", "volunteer"]
    assert categories["attendee"].admission is Admission.OPEN
    assert categories["delegate"].admission is Admission.DELEGATION
    assert categories["exhibitor"].admission is Admission.COMPANY
    assert categories["press"].admission is Admission.OPEN
    assert categories["press"].needs_approval and categories["press"].quota == 500
    for slug in ("speaker", "vip", "staff", "volunteer"):
        assert categories[slug].admission is Admission.ORGANIZER
    assert categories["attendee"].names["kk"] == "Қатысушы"
    for category in categories.values():
        assert set(category.names) == {"en", "ru", "kk"}
        assert re.fullmatch(r"#[0-9a-f]{6}", category.badge_colour)
    assert len({c.badge_colour for c in categories.values()}) == 8


def test_start_date_is_the_local_date_in_almaty(session):
    # 20:00 UTC on 20 May is already 21 May in Astana.
    build(session, 0, now=datetime(2026, 5, 20, 20, 0, tzinfo=UTC))
    event = session.scalar(select(Event))
    assert (event.starts_on, event.ends_on) == (date(2026, 5, 21), date(2026, 5, 22))


def test_delegations_and_companies(session, demo):
    event, _ = demo
    delegations = all_of(session, Delegation, event_id=event.id)
    assert len(delegations) == 30
    assert len({d.country for d in delegations}) == 30
    assert "KZ" not in {d.country for d in delegations}  # the host invites, it is no guest
    for delegation in delegations:
        assert pycountry.countries.get(alpha_2=delegation.country) is not None
        assert 40 <= delegation.quota <= 120
        assert delegation.name and " " in delegation.head_name
        validate_email(delegation.head_email, check_deliverability=False)
    assert len({d.invitation_code for d in delegations}) == 30

    companies = all_of(session, Company, event_id=event.id)
    assert len(companies) == 300
    assert len({c.name for c in companies}) == 300
    assert all(c.status is CompanyStatus.APPROVED for c in companies)
    exhibitors = [c for c in companies if c.exhibitor]
    assert len(exhibitors) == 60
    assert len({c.booth for c in exhibitors}) == 60 and all(c.booth for c in exhibitors)
    assert not any(c.booth for c in companies if not c.exhibitor)
    for company in companies:
        assert company.website.startswith("https://")
        assert EXAMPLE_DOMAIN.search(company.website.removeprefix("https://"))
        assert company.contact_email.endswith("@" + company.website.removeprefix("https://"))
        assert pycountry.countries.get(alpha_2=company.country) is not None
        assert company.quota and company.quota >= 5
    from_kz = sum(c.country == "KZ" for c in companies)
    central_asia = sum(c.country in {"KZ", "UZ", "KG", "TJ", "TM"} for c in companies)
    assert from_kz > 100 and central_asia > 150


def test_seat_counters_equal_confirmed_participants(session, demo):
    event, _ = demo
    assert_counters_match(session, event)
    people = all_of(session, Participant, event_id=event.id)
    assert len(people) == N
    statuses = [p.status for p in people]
    assert statuses.count(Status.CONFIRMED) > 0.8 * N
    by_category = {}
    for p in people:
        by_category.setdefault(p.category.slug, []).append(p)
    assert len(by_category["attendee"]) > N / 2
    assert by_category["delegate"] and by_category["exhibitor"]
    assert any(p.status is Status.PENDING for p in by_category["press"])
    assert {"speaker", "staff", "volunteer"} <= set(by_category)
    for p in by_category["delegate"]:
        assert p.delegation is not None and p.country == p.delegation.country
        assert p.company is None
    for p in by_category["exhibitor"]:
        assert p.company is not None and p.company.exhibitor
        assert p.country == p.company.country and p.organization == p.company.name
    company_staff = [p for p in by_category["attendee"] if p.company is not None]
    assert company_staff and all(not p.company.exhibitor for p in company_staff)
    assert all(p.company is None and p.delegation is None
               for slug in ("press", "speaker", "vip", "staff", "volunteer")
               for p in by_category.get(slug, []))


def test_participant_data_is_valid_and_unique(session, demo):
    event, _ = demo
    people = all_of(session, Participant, event_id=event.id)
    assert len({p.email for p in people}) == N
    assert len({p.public_id for p in people}) == N
    assert len({p.manage_token_hash for p in people}) == N
    kazakh_cyrillic = 0
    for p in people:
        assert re.fullmatch(r"[0-9a-f]{64}", p.manage_token_hash)
        assert validate_email(p.email, check_deliverability=False).normalized.lower() == p.email
        assert EXAMPLE_DOMAIN.search(p.email.partition("@")[2])
        number = phonenumbers.parse(p.phone, None)
        assert phonenumbers.is_valid_number_for_region(number, p.country), (p.phone, p.country)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == p.phone
        assert pycountry.countries.get(alpha_2=p.country) is not None
        assert p.first_name and p.last_name
        # The main spelling is Latin, as on a passport; Cyrillic goes in its own fields.
        assert not ANY_CYRILLIC.search(p.first_name + p.last_name)
        assert bool(p.first_name_cyrillic) == bool(p.last_name_cyrillic)
        assert fold(p.last_name_cyrillic) in p.search_key and p.email in p.search_key
        if p.first_name_cyrillic:
            assert CYRILLIC.match(p.first_name_cyrillic) and CYRILLIC.match(p.last_name_cyrillic)
            if KAZAKH_LETTERS & set(p.first_name_cyrillic + p.last_name_cyrillic):
                kazakh_cyrillic += 1
        assert event.registration_opens_at <= p.created_at <= NOW
        assert p.consent_at == p.created_at and p.created_at <= p.updated_at <= NOW
        assert p.decided_at is None or p.decided_at <= NOW
    assert kazakh_cyrillic > N / 10
    assert sum(p.country == "KZ" for p in people) > N / 2
    assert {p.locale.value for p in people} == {"kk", "ru", "en"}


def test_program_is_published_and_conflict_free(session, demo):
    event, summary = demo
    assert "150 sessions, 300 speakers" in summary and "version 1.0 published" in summary
    rooms = all_of(session, Room, event_id=event.id)
    assert len(rooms) == 8 and len(all_of(session, Track, event_id=event.id)) == 6
    assert len(all_of(session, Speaker, event_id=event.id)) == 300
    items = all_of(session, ProgramSession, event_id=event.id)
    assert len(items) == 150 and {i.status for i in items} == {SessionStatus.PUBLISHED}
    assert conflicts.warnings(session, event) == []
    version = versions.latest(session, event)
    assert version.name == "1.0" and len(version.snapshot["sessions"]) == 150
    assert len(version.changelog["added"]) == 150
    days = {i.starts_at.astimezone(conflicts.zone(event)).date() for i in items}
    assert days == {event.starts_on, event.ends_on}
    assert {i.kind for i in items} == set(SessionKind)
    for item in items:
        assert set(item.title) == {"kk", "ru", "en"} and all(item.title.values())
        assert item.seats <= item.room.capacity
        assert item.bookable == (item.kind is SessionKind.WORKSHOP)
        assert item.speakers or item.kind is SessionKind.NETWORKING
    assert len({i.title["en"] for i in items}) == 150
    on_stage = {link.speaker_id for i in items for link in i.speakers}
    assert len(on_stage) > 250
    # Speaker registrations of the event are the first profiles, with their badges' names.
    linked = [s for s in all_of(session, Speaker, event_id=event.id) if s.participant]
    assert linked and all(s.participant.category.slug == "speaker" for s in linked)
    assert all(s.name == s.participant.display_name for s in linked)


def test_running_again_tops_up_without_duplicates(session, demo):
    event, _ = demo
    again = build(session)
    assert "nothing added" in again
    assert session.scalar(select(func.count()).select_from(Participant)) == N
    assert session.scalar(select(func.count()).select_from(Event)) == 1
    assert session.scalar(select(func.count()).select_from(Delegation)) == 30
    assert session.scalar(select(func.count()).select_from(Company)) == 300
    assert session.scalar(select(func.count()).select_from(ProgramSession)) == 150

    more = build(session, N + 120)
    assert f"topped up from {N} to {N + 120}" in more
    people = all_of(session, Participant)
    assert len(people) == N + 120 and len({p.email for p in people}) == N + 120
    assert session.scalar(select(func.count()).select_from(Category)) == 8
    assert_counters_match(session, event)


def test_top_up_respects_full_pools(session):
    build(session, 0)
    event = session.scalar(select(Event))
    session.execute(update(Event).values(quota=40))
    session.commit()
    build(session, 120)
    statuses = session.scalars(select(Participant.status)).all()
    assert statuses.count(Status.CONFIRMED) == 40
    assert Status.WAITLISTED in statuses
    assert_counters_match(session, event)


def test_same_seed_builds_the_same_people(tmp_path):
    def snapshot(name: str):
        app = make_app(f"sqlite:///{tmp_path / name}")
        with app.app_context():
            db.create_all()
            build(db.session, 120, seed=99)
            people = db.session.execute(select(
                Participant.first_name, Participant.last_name, Participant.first_name_cyrillic,
                Participant.email, Participant.phone, Participant.country,
                Participant.status, Participant.category_id, Participant.company_id,
                Participant.delegation_id).order_by(Participant.id)).all()
            companies = db.session.execute(
                select(Company.name, Company.quota, Company.booth).order_by(Company.id)).all()
            codes = set(db.session.scalars(select(Delegation.invitation_code)))
            program = db.session.execute(
                select(ProgramSession.title, ProgramSession.starts_at, ProgramSession.kind,
                       Room.slug, ProgramSession.language).join(Room)
                .order_by(ProgramSession.starts_at, Room.slug)).all()
            names = db.session.scalars(select(Speaker.name).order_by(Speaker.id)).all()
            db.session.remove()
            db.engine.dispose()
            return people, companies, codes, program, names

    first, second = snapshot("a.db"), snapshot("b.db")
    assert first[0] == second[0] and first[1] == second[1]
    assert first[3] == second[3] and first[4] == second[4]
    # Secrets never follow the (public) seed.
    assert not first[2] & second[2]


def test_cli_builds_and_is_idempotent(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "demo", "--participants", "50"])
    assert result.exit_code == 0, result.output
    assert "30 delegations, 300 companies (60 exhibitors)" in result.output
    assert "50 added, 50 in total" in result.output
    assert "/register?event=digital-bridge" in result.output
    assert session.scalar(select(func.count()).select_from(Participant)) == 50

    again = runner.invoke(args=["forum", "demo", "--participants", "50"])
    assert again.exit_code == 0, again.output
    assert "nothing added" in again.output
    assert session.scalar(select(func.count()).select_from(Participant)) == 50


def test_cli_refuses_an_event_without_an_attendee_category(app, session):
    session.add(Event(slug="bare", name="Bare", starts_on=date(2026, 5, 20),
                      ends_on=date(2026, 5, 21), created_at=NOW))
    session.commit()
    result = app.test_cli_runner().invoke(
        args=["forum", "demo", "--event", "bare", "--participants", "5"])
    assert result.exit_code != 0
    assert "no attendee category" in result.output


def test_demo_has_the_contract_gates(app, session):
    from sqlalchemy import select

    from forum.checkin.models import Gate
    from forum.demo import build_demo

    build_demo(session, slug="digital-bridge", participants=5, seed=1, now=NOW)
    slugs = set(session.scalars(select(Gate.slug)))
    assert {"main-entrance", "plenary-door", "vip-lounge", "press-centre", "main-exit"} <= slugs
    # The workshop rooms are zones whose doors admit only the booked people.
    assert {"workshop-1-door", "workshop-2-door"} <= slugs
    build_demo(session, slug="digital-bridge", participants=5, seed=1, now=NOW)  # again
    assert set(session.scalars(select(Gate.slug))) == slugs
