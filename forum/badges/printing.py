"""Badge PDFs from the database: one participant's, or a whole filtered selection in print order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from forum.badges import service
from forum.badges.models import Badge
from forum.badges.render import BadgeView, Layout, country_name, write_pdf
from forum.badges.service import BadgeFilter
from forum.events.models import Category, Event
from forum.organizations.models import Company, Delegation
from forum.registration.models import Participant

_MARK_CHUNK = 500


def _view(*, token: str, first: str, last: str, first_cyr: str, last_cyr: str, org: str,
          country: str, delegation: str | None, company: str | None, names: dict[str, str],
          slug: str, colour: str, event_name: str) -> BadgeView:
    return BadgeView(
        token=token, first_name=first, last_name=last,
        cyrillic_name=f"{first_cyr} {last_cyr}".strip(), organization=org,
        country=country_name(country), group=delegation or (company if company != org else ""),
        category=names.get("en") or slug, category_colour=colour, event_name=event_name)


def participant_view(session: Session, participant: Participant, *, now: datetime) -> BadgeView:
    """The badge of one confirmed participant (issued on first need)."""
    badge = service.ensure_badge(session, participant, now=now)
    category = participant.category
    return _view(
        token=service.badge_token(session, badge, now=now), first=participant.first_name,
        last=participant.last_name, first_cyr=participant.first_name_cyrillic,
        last_cyr=participant.last_name_cyrillic, org=participant.organization,
        country=participant.country,
        delegation=participant.delegation.name if participant.delegation else None,
        company=participant.company.name if participant.company else None,
        names=category.names, slug=category.slug, colour=category.badge_colour,
        event_name=participant.event.name)


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
    query = (service.participants_query(session, event, filters)
             .join(Badge, Badge.participant_id == Participant.id)
             .join(Category, Category.id == Participant.category_id)
             .outerjoin(Company, Company.id == Participant.company_id)
             .with_only_columns(
                 Badge.id, Badge.serial, Badge.revision, Badge.category_id,
                 Participant.first_name, Participant.last_name, Participant.first_name_cyrillic,
                 Participant.last_name_cyrillic, Participant.organization, Participant.country,
                 Delegation.name, Company.name, Category.names, Category.slug,
                 Category.badge_colour))
    # Rows arrive in batches: memory stays flat however large the selection is.
    for (badge_id, serial, revision, category_id, first, last, first_cyr, last_cyr, org,
         country, delegation, company, names, slug, colour) in session.execute(
            query.execution_options(yield_per=500)):
        printed.append(badge_id)
        yield _view(token=sign(serial, revision, category_id), first=first, last=last,
                    first_cyr=first_cyr, last_cyr=last_cyr, org=org, country=country,
                    delegation=delegation, company=company, names=names, slug=slug,
                    colour=colour, event_name=event.name)


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
