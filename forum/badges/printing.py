"""Badge PDFs from the database: one participant's, or a whole filtered selection in print order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from babel.dates import format_interval
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from forum import countries
from forum.badges import service
from forum.badges.models import Badge
from forum.badges.render import BadgeView, Layout, write_pdf
from forum.badges.service import BadgeFilter
from forum.checkin.devices import ZoneRules
from forum.checkin.models import Zone
from forum.events.models import Category, Event
from forum.i18n import LANGUAGES, pick
from forum.organizations.models import Company, Delegation
from forum.registration.models import Participant

_MARK_CHUNK = 500
# The caption before the zones a badge opens, in the holder's language.
ZONES_LABEL = {"kk": "Кіруге рұқсат:", "ru": "Доступ:", "en": "Access:"}
STATE_LANGUAGE = "kk"


@dataclass(frozen=True)
class _EventWords:
    """What every badge of one event says in one language, worked out once per print."""

    name: str
    dates: str
    zones: tuple[tuple[str, ZoneRules], ...]


def _event_words(session: Session, event: Event, locale: str) -> _EventWords:
    # The check-in's own zone rule (read only), so the badge never promises another door.
    # Program rooms are left out: a workshop's door admits its booked people, not a category.
    zones = session.scalars(select(Zone).where(Zone.event_id == event.id,
                                               Zone.room_id.is_(None)).order_by(Zone.id)).all()
    # The event's days are calendar days of its own time zone already (Event.starts_on).
    dates = format_interval(event.starts_on, event.ends_on, "yMMMMd", locale=locale)
    return _EventWords(name=event.name, dates=dates, zones=tuple(
        (pick(zone.names, locale, default=zone.slug),
         ZoneRules(zone_id=zone.id, slug=zone.slug, categories=frozenset(zone.categories or ()),
                   delegation_heads=zone.delegation_heads, allows_reentry=zone.allows_reentry,
                   hours=None))
        for zone in zones))


def _view(words: _EventWords, *, token: str, locale: str, first: str, last: str,
          first_cyr: str, last_cyr: str, org: str, job: str, country: str,
          delegation: str | None, company: str | None, names: dict[str, str], slug: str,
          colour: str, head: bool) -> BadgeView:
    state = pick(names, STATE_LANGUAGE, default=slug)
    local = pick(names, locale, default=slug)
    group = delegation or (company if company and company != org else "")
    land = countries.name(country, locale)
    return BadgeView(
        token=token, first_name=first, last_name=last,
        cyrillic_name=f"{first_cyr} {last_cyr}".strip(), organization=org, job_title=job,
        # A delegation named like its country ("Japan") is not said twice.
        country="" if land.casefold() == group.casefold() else land, group=group,
        category=state, category_local="" if local.casefold() == state.casefold() else local,
        category_colour=colour, event_name=words.name, event_dates=words.dates,
        zones=tuple(name for name, rules in words.zones
                    if rules.admits(slug, delegation_head=head)),
        zones_label=ZONES_LABEL[locale])


def _is_head(participant: Participant) -> bool:
    delegation = participant.delegation
    return bool(delegation and delegation.head_email
                and delegation.head_email == participant.email)


def participant_view(session: Session, participant: Participant, *, now: datetime) -> BadgeView:
    """The badge of one confirmed participant (issued on first need)."""
    badge = service.ensure_badge(session, participant, now=now)
    category = participant.category
    locale = str(participant.locale)
    return _view(
        _event_words(session, participant.event, locale),
        token=service.badge_token(session, badge, now=now), locale=locale,
        first=participant.first_name, last=participant.last_name,
        first_cyr=participant.first_name_cyrillic, last_cyr=participant.last_name_cyrillic,
        org=participant.organization, job=participant.job_title, country=participant.country,
        delegation=participant.delegation.name if participant.delegation else None,
        company=participant.company.name if participant.company else None,
        names=category.names, slug=category.slug, colour=category.badge_colour,
        head=_is_head(participant))


def participant_pdf(session: Session, participant: Participant, out: BinaryIO, *,
                    now: datetime, layout: str = Layout.A6) -> None:
    """One participant's badge as a PDF."""
    write_pdf(out, [participant_view(session, participant, now=now)], layout=layout,
              title=f"Badge — {participant.display_name}")


def count_selection(session: Session, event: Event, filters: BadgeFilter) -> int:
    query = service.participants_query(session, event, filters).order_by(None)
    return session.scalar(select(func.count()).select_from(
        query.with_only_columns(Participant.id).subquery()))


def _selection(session: Session, event: Event, filters: BadgeFilter, *, now: datetime,
               printed: list[int]) -> Iterator[BadgeView]:
    sign = service.token_signer(session, event.id, now=now)
    words = {locale: _event_words(session, event, locale) for locale in LANGUAGES}
    head = and_(Delegation.head_email != "", Delegation.head_email == Participant.email)
    query = (service.participants_query(session, event, filters)
             .join(Badge, Badge.participant_id == Participant.id)
             .join(Category, Category.id == Participant.category_id)
             .outerjoin(Company, Company.id == Participant.company_id)
             .with_only_columns(
                 Badge.id, Badge.serial, Badge.revision, Badge.category_id, Participant.locale,
                 Participant.first_name, Participant.last_name, Participant.first_name_cyrillic,
                 Participant.last_name_cyrillic, Participant.organization,
                 Participant.job_title, Participant.country, Delegation.name, Company.name,
                 Category.names, Category.slug, Category.badge_colour, head))
    # Rows arrive in batches: memory stays flat however large the selection is.
    for (badge_id, serial, revision, category_id, locale, first, last, first_cyr, last_cyr,
         org, job, country, delegation, company, names, slug, colour, is_head
         ) in session.execute(query.execution_options(yield_per=500)):
        printed.append(badge_id)
        locale = str(locale)
        yield _view(words[locale], token=sign(serial, revision, category_id), locale=locale,
                    first=first, last=last, first_cyr=first_cyr, last_cyr=last_cyr, org=org,
                    job=job, country=country, delegation=delegation, company=company,
                    names=names, slug=slug, colour=colour, head=bool(is_head))


def selection_pdf(session: Session, event: Event, filters: BadgeFilter, out: BinaryIO, *,
                  now: datetime, layout: str = Layout.A6, jobs: int = 1,
                  progress: Callable[[int], None] | None = None) -> list[int]:
    """Badges of the selection in print order (delegation, then last and first name).

    Only issued badges are drawn: call ``service.ensure_badges`` first. Returns the ids of the
    drawn badges, for ``mark_printed``.
    """
    printed: list[int] = []
    write_pdf(out, _selection(session, event, filters, now=now, printed=printed),
              layout=layout, title=f"Badges — {event.name}", progress=progress, jobs=jobs)
    return printed


def mark_printed(session: Session, badge_ids: list[int], *, now: datetime) -> None:
    """Record the print time (what the ``unprinted`` filter looks at)."""
    for i in range(0, len(badge_ids), _MARK_CHUNK):
        session.execute(update(Badge).where(Badge.id.in_(badge_ids[i:i + _MARK_CHUNK]))
                        .values(printed_at=now))
    session.flush()
