"""The demo's 30 country delegations and 300 IT companies (60 of them exhibitors)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from forum.demo import catalog
from forum.demo.people import PeopleFactory, ascii_slug, weighted
from forum.events.models import Event
from forum.organizations.models import Company, CompanyStatus, Delegation

COMPANIES = 300
EXHIBITORS = 60


def create_organizations(session: Session, event: Event, *, rng: random.Random,
                         now: datetime) -> None:
    """Add the delegations and companies of a new demo event (invitation codes are random)."""
    people = PeopleFactory(rng, set())
    for country, name in catalog.DELEGATIONS.items():
        head = people.person(country, domain=f"{country.lower()}.gov.example.org")
        low, high = (80, 120) if country in catalog.LARGE_DELEGATIONS else (40, 80)
        session.add(Delegation(
            event_id=event.id, country=country, name=name,
            head_name=f"{head.first_name} {head.last_name}", head_email=head.email,
            quota=rng.randrange(low, high + 1, 5), taken=0,
            created_at=now - timedelta(days=rng.randint(40, 60))))

    exhibitors = sorted(rng.sample(range(COMPANIES), EXHIBITORS))
    booths = {index: f"{catalog.HALLS[n % len(catalog.HALLS)]}-{n // len(catalog.HALLS) + 1:02d}"
              for n, index in enumerate(exhibitors)}
    used: set[tuple[str, str]] = set()
    for index in range(COMPANIES):
        country = weighted(rng, catalog.COMPANY_COUNTRIES)
        stem, suffix = _company_name(rng, country, used)
        legal = catalog.LEGAL_FORMS.get(country, catalog.DEFAULT_LEGAL_FORM)
        tld = "example.kz" if country in catalog.REGIONAL else "example.com"
        domain = f"{ascii_slug(stem)}-{ascii_slug(suffix)}.{tld}"
        contact = people.person(country, domain=domain)
        exhibitor = index in booths
        created_at = now - timedelta(days=rng.randint(20, 59))
        session.add(Company(
            event_id=event.id, name=f"{stem} {suffix} {legal}", country=country,
            website=f"https://{domain}", exhibitor=exhibitor, booth=booths.get(index, ""),
            contact_name=f"{contact.first_name} {contact.last_name}",
            contact_email=contact.email,
            quota=rng.randint(15, 40) if exhibitor else rng.randint(5, 20), taken=0,
            status=CompanyStatus.APPROVED, created_at=created_at,
            decided_at=created_at + timedelta(days=rng.randint(1, 10))))


def _company_name(rng: random.Random, country: str, used: set[tuple[str, str]]
                  ) -> tuple[str, str]:
    """A stem + suffix pair not given to another company ("Nomad Cloud", "Vertex Labs")."""
    stems = (catalog.REGIONAL_STEMS + catalog.GLOBAL_STEMS if country in catalog.REGIONAL
             else catalog.GLOBAL_STEMS)
    while True:
        pair = (rng.choice(stems), rng.choice(catalog.COMPANY_SUFFIXES))
        if pair not in used:
            used.add(pair)
            return pair
