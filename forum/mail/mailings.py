"""Organizers' messages to a filtered group: placeholders, a preview, the send and its log.

A send writes one outbox row per person in the caller's transaction, so a rolled-back send
queues nothing. The rows are rendered in Python (one compiled text per language, then a plain
substitution per person) and written with executemany in chunks: no ORM object per person,
20,000 rows in a few seconds (bench/mail.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from markupsafe import escape
from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.orm import Session

from forum.audit import service as audit
from forum.db import opaque_id
from forum.errors import ValidationFailed
from forum.events.models import Category, Event
from forum.i18n import FALLBACK, LANGUAGES
from forum.mail import errors
from forum.mail.models import MAILING_KIND, Mailing, MessageStatus, OutboxMessage
from forum.organizations.models import Company, Delegation
from forum.registration import search
from forum.registration.models import Participant, Status
from forum.registration.service import erased

PLACEHOLDERS = ("first_name", "last_name", "event", "category", "delegation", "organization",
                "manage_hint")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
CHUNK = 1_000
_INSERT = insert(OutboxMessage.__table__)
P = Participant


@dataclass(frozen=True)
class Draft:
    subject: dict[str, str]
    body: dict[str, str]
    audience: dict[str, str]


@dataclass(frozen=True)
class Sample:
    participant: Participant
    locale: str
    subject: str
    text: str
    html: str


def validate(draft: Draft) -> list[str]:
    """The languages the mailing is written in; 422 naming the field otherwise."""
    problems: dict[str, list[str]] = {}
    for part in ("subject", "body"):
        for lang, text in getattr(draft, part).items():
            unknown = sorted({m for m in _PLACEHOLDER.findall(text or "")} - set(PLACEHOLDERS))
            if unknown:
                problems[f"{part}.{lang}"] = [
                    f"Unknown placeholder {', '.join('{' + u + '}' for u in unknown)}; "
                    f"use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}."]
    if problems:
        raise ValidationFailed("The message names a placeholder that nothing fills.",
                               code=errors.UNKNOWN_PLACEHOLDER, errors=problems)
    given = {part: {lang for lang in LANGUAGES if (getattr(draft, part).get(lang) or "").strip()}
             for part in ("subject", "body")}
    languages = [lang for lang in LANGUAGES if lang in given["subject"] & given["body"]]
    half = [f"{part}.{lang}" for part, other in (("subject", "body"), ("body", "subject"))
            for lang in sorted(given[other] - given[part])]
    if half or not languages:
        raise ValidationFailed("Write a subject and a body in at least one language.",
                               code=errors.EMPTY_MAILING,
                               errors={f: ["Missing."] for f in half} or
                               {"body": ["Write the message in at least one language."]})
    return languages


def _lookup(session: Session, event: Event, audience: dict[str, str]) -> None:
    """422 for a category, delegation or company the event does not have."""
    wanted = (("category", Category, Category.slug), ("delegation", Delegation,
              Delegation.public_id), ("company", Company, Company.public_id))
    missing = {}
    for key, model, column in wanted:
        value = audience.get(key)
        if value and session.scalar(select(model.id).where(
                model.event_id == event.id, column == value)) is None:
            missing[f"audience.{key}"] = [f"The event has no {key} {value!r}."]
    if missing:
        raise ValidationFailed("The audience names something the event does not have.",
                               code=errors.UNKNOWN_AUDIENCE, errors=missing)


def audience_where(session: Session, event: Event, audience: dict[str, str]
                   ) -> list[ColumnElement[bool]]:
    """The people a mailing goes to: confirmed unless another status is asked for; never an
    erased person."""
    _lookup(session, event, audience)
    filters = {k: v for k, v in audience.items() if v}
    filters.setdefault("status", Status.CONFIRMED.value)
    return [*search.conditions(session, event, **filters), ~erased()]


def audience_size(session: Session, where: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(P).where(*where)) or 0


def language_for(locale: str, languages: list[str]) -> str:
    """The person's language if the mailing has it, else the first of the fallback order."""
    return next(lang for lang in (locale, *FALLBACK, *LANGUAGES) if lang in languages)


@dataclass(frozen=True)
class _Compiled:
    subject: str
    text: str
    html: str


def _compile(event: Event, draft: Draft, lang: str) -> _Compiled:
    """The language's subject, text and HTML with placeholders still in them."""
    env = current_app.jinja_env
    subject = " ".join(draft.subject[lang].split())
    text = draft.body[lang].strip().replace("\r\n", "\n")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    html = env.get_template("mail/layout.html").render(
        event=event.name, lang=lang, subject=subject, paragraphs=paragraphs,
        link_mark=None, button="", with_badge=False)
    return _Compiled(subject, text + "\n", html)


def _hints() -> dict[str, str]:
    env, url = current_app.jinja_env, current_app.config["FORUM_PUBLIC_URL"]
    return {lang: env.get_template(f"mail/{lang}/manage_hint.txt").render(
        manage_page=f"{url}/manage", recover_page=f"{url}/register#recover").strip()
        for lang in LANGUAGES}


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _values(row, event: Event, lang: str, hints: dict[str, str]) -> dict[str, str]:
    names = row.names or {}
    return {"first_name": row.first_name, "last_name": row.last_name, "event": event.name,
            "category": names.get(lang) or next(iter(names.values()), ""),
            "delegation": row.delegation or "", "organization": row.organization or "",
            "manage_hint": hints[lang]}


def _render(compiled: _Compiled, values: dict[str, str]) -> tuple[str, str, str]:
    escaped = {k: str(escape(v)) for k, v in values.items()}
    return (_fill(compiled.subject, values)[:300], _fill(compiled.text, values),
            _fill(compiled.html, escaped))


def _rows(session: Session, where: list[ColumnElement[bool]]) -> Iterator:
    query = (select(P.id, P.email, P.first_name, P.last_name, P.locale, P.organization,
                    Category.names, Delegation.name.label("delegation"))
             .join(Category, Category.id == P.category_id)
             .outerjoin(Delegation, Delegation.id == P.delegation_id)
             .where(*where).order_by(P.id))
    return iter(session.execute(query.execution_options(yield_per=CHUNK)))


def preview(session: Session, event: Event, draft: Draft, *, actor: str, now: datetime,
            locale: str | None = None) -> tuple[int, Sample | None]:
    """The audience's size and the message as its first member (by registration) gets it;
    ``locale`` renders that member's copy in another of the mailing's languages. The member's
    name and address are shown: the view is logged, as opening their record is."""
    languages = validate(draft)
    where = audience_where(session, event, draft.audience)
    size = audience_size(session, where)
    row = next(_rows(session, where), None) if size else None
    if row is None:
        return size, None
    lang = language_for(locale or row.locale.value, languages)
    subject, text, html = _render(_compile(event, draft, lang),
                                  _values(row, event, lang, _hints()))
    member = session.get(P, row.id)
    audit.record_view(session, actor=actor, event_id=event.id,
                      participant_public_id=member.public_id, now=now, what="mailing_preview")
    return size, Sample(member, lang, subject, text, html)


def send(session: Session, event: Event, draft: Draft, *, actor: str, actor_email: str,
         now: datetime) -> Mailing:
    """Queue the mailing for its whole audience in the caller's transaction."""
    languages = validate(draft)
    where = audience_where(session, event, draft.audience)
    mailing = Mailing(event_id=event.id, sent_by=actor, sent_by_email=actor_email,
                      subject={k: v for k, v in draft.subject.items() if k in languages},
                      body={k: v for k, v in draft.body.items() if k in languages},
                      audience=dict(draft.audience), recipients=0, created_at=now)
    session.add(mailing)
    session.flush()
    compiled = {lang: _compile(event, draft, lang) for lang in languages}
    hints, batch, total = _hints(), [], 0
    connection = session.connection()
    for row in _rows(session, where):
        lang = language_for(row.locale.value, languages)
        subject, text, html = _render(compiled[lang], _values(row, event, lang, hints))
        batch.append({
            "public_id": opaque_id(), "event_id": event.id, "participant_id": row.id,
            "mailing_id": mailing.id, "kind": MAILING_KIND, "locale": lang,
            "to_address": row.email, "subject": subject, "body_text": text, "body_html": html,
            "link_sealed": None, "with_badge": False, "status": MessageStatus.PENDING,
            "attempts": 0, "next_attempt_at": now, "lease_until": None, "claim_token": None,
            "last_error": "", "created_at": now, "sent_at": None, "purged_at": None})
        if len(batch) == CHUNK:
            connection.execute(_INSERT, batch)
            total, batch = total + len(batch), []
    if batch:
        connection.execute(_INSERT, batch)
        total += len(batch)
    if not total:
        raise ValidationFailed("Nobody matches these filters: nothing was sent.",
                               code=errors.EMPTY_AUDIENCE,
                               errors={"audience": ["Nobody matches."]})
    mailing.recipients = total
    audit.record(session, actor=actor, action="mailing.sent", target_type="mailing",
                 target_id=mailing.public_id, event_id=event.id, now=now,
                 data={"audience": mailing.audience, "recipients": total,
                       "languages": languages})
    session.flush()
    return mailing


@dataclass(frozen=True)
class LogEntry:
    mailing: Mailing
    counts: dict[str, int]


def log(session: Session, event: Event, *, page: int, per_page: int
        ) -> tuple[list[LogEntry], int]:
    """The event's mailings, newest first, with their outbox counts as they are now."""
    mailings = list(session.scalars(
        select(Mailing).where(Mailing.event_id == event.id).order_by(Mailing.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    total = session.scalar(select(func.count()).select_from(Mailing)
                           .where(Mailing.event_id == event.id)) or 0
    counts: dict[int, dict[str, int]] = {m.id: {"pending": 0, "sent": 0, "failed": 0}
                                         for m in mailings}
    if mailings:
        for mailing_id, status, n in session.execute(
                select(OutboxMessage.mailing_id, OutboxMessage.status, func.count())
                .where(OutboxMessage.mailing_id.in_(list(counts)))
                .group_by(OutboxMessage.mailing_id, OutboxMessage.status)):
            key = MessageStatus(status).value
            if key in counts[mailing_id]:
                counts[mailing_id][key] = n
    return [LogEntry(m, counts[m.id]) for m in mailings], total
