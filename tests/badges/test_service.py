"""Badge lifecycle: bulk issue, category change, re-registration, revocation; the CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.badges import service
from forum.badges.models import Badge
from forum.errors import NotFound
from forum.events import service as events
from forum.registration import service as registration

from .. import factories
from ..factories import NOW
from .helpers import pdf_pages


def test_bulk_issue_only_confirmed_and_once(session, event):
    confirmed = [factories.make_participant(session, event) for _ in range(5)]
    factories.make_participant(session, event, category="press", by_organizer=False)  # pending
    one = service.ensure_badge(session, confirmed[0], now=NOW)
    assert service.ensure_badges(session, event, now=NOW) == 4
    assert service.ensure_badges(session, event, now=NOW) == 0
    badges = session.scalars(select(Badge)).all()
    assert len(badges) == 5 and len({b.serial for b in badges}) == 5
    assert one.revision == 1 and all(len(b.serial) == 8 for b in badges)


def test_category_change_bumps_revision(session, event):
    participant = factories.make_participant(session, event)
    badge = service.ensure_badge(session, participant, now=NOW)
    participant.category = events.get_category(session, event, "vip")
    session.flush()
    assert service.ensure_badges(session, event, now=NOW + timedelta(minutes=1)) == 0
    assert (badge.revision, badge.category_slug) == (2, "vip")
    assert service.revoked_revisions(session, event) == [(badge.serial, 1)]


def test_registering_again_after_cancelling_gets_a_new_revision(session, event):
    participant = factories.make_participant(session, event, email="again@example.kz")
    badge = service.ensure_badge(session, participant, now=NOW)
    registration.cancel(session, participant, now=NOW + timedelta(minutes=1))
    again = factories.make_participant(session, event, email="again@example.kz",
                                       now=NOW + timedelta(minutes=2))
    assert again.id == participant.id
    assert service.ensure_badge(session, again, now=NOW + timedelta(minutes=3)) is badge
    assert badge.revision == 2  # the badge printed before cancelling stays revoked


def test_revoke_and_reissue(session, event):
    participant = factories.make_participant(session, event)
    with pytest.raises(NotFound) as info:
        service.revoke(session, participant, now=NOW, actor="test", reason="stolen")
    assert info.value.code == "no_badge"
    badge = service.ensure_badge(session, participant, now=NOW)
    service.revoke(session, participant, now=NOW, actor="test", reason="stolen")
    assert service.revoked_revisions(session, event) == [(badge.serial, 1)]
    service.reissue(session, participant, now=NOW + timedelta(hours=1), actor="test",
                    reason="found the thief")
    assert badge.revoked_at is None and badge.revision == 2
    assert service.revoked_revisions(session, event) == [(badge.serial, 1)]


def test_cli_prints_and_marks(app, session, event, tmp_path):
    kz = factories.make_delegation(session, event, country="KZ", name="Kazakhstan")
    for i in range(3):
        factories.make_participant(session, event, category="delegate",
                                   delegation_code=kz.invitation_code, last_name=f"N{i}")
    factories.make_participant(session, event)
    session.commit()
    runner = app.test_cli_runner()
    out = tmp_path / "kz.pdf"
    result = runner.invoke(args=["forum", "badges", "--out", str(out), "--event", event.slug,
                                 "--delegation", "KZ", "--layout", "a4", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "3 badges written" in result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == 1
    printed = session.scalar(select(func.count()).select_from(Badge)
                             .where(Badge.printed_at.is_not(None)))
    assert printed == 3
    rest = tmp_path / "rest.pdf"
    result = runner.invoke(args=["forum", "badges", "--out", str(rest), "--event", event.slug,
                                 "--unprinted", "--jobs", "1"])
    assert result.exit_code == 0 and "1 badges written" in result.output
    assert pdf_pages(rest.read_bytes()) == 1
    bad = runner.invoke(args=["forum", "badges", "--out", str(tmp_path / "x.pdf"),
                              "--event", event.slug, "--company", "Nobody Ltd"])
    assert bad.exit_code != 0 and "No company" in bad.output
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.pdf.part").exists()
