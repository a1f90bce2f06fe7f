"""Key rotation from the command line: old badges keep scanning until their key retires."""

import pytest
from sqlalchemy import select

from forum.badges import service as badges
from forum.badges.models import EventKey
from forum.badges.tokens import TokenInvalid, decode_badge_token, event_tag
from tests import factories


def test_rotate_then_retire(app, session, event):
    participant = factories.make_participant(session, event, now=factories.NOW)
    old_token = badges.badge_token(session, badges.ensure_badge(session, participant,
                                                                now=factories.NOW))
    session.commit()
    runner = app.test_cli_runner()

    rotated = runner.invoke(args=["forum", "badge-keys", "rotate", "--event", event.slug])
    assert rotated.exit_code == 0, rotated.output
    kids = list(session.scalars(select(EventKey.kid).order_by(EventKey.id)))
    assert len(kids) == 2
    listed = runner.invoke(args=["forum", "badge-keys", "list", "--event", event.slug])
    assert listed.output.count("active") == 2

    # Until the old key retires, badges signed with it still verify.
    claims = decode_badge_token(old_token, public_keys=badges.public_keys(session, event),
                                event_tag=event_tag(event.id))
    assert claims.kid == kids[0]

    retired = runner.invoke(args=["forum", "badge-keys", "retire", kids[0], "--event",
                                  event.slug])
    assert retired.exit_code == 0, retired.output
    session.expire_all()
    with pytest.raises(TokenInvalid):
        decode_badge_token(old_token, public_keys=badges.public_keys(session, event),
                           event_tag=event_tag(event.id))
    missing = runner.invoke(args=["forum", "badge-keys", "retire", "NOPE", "--event",
                                  event.slug])
    assert missing.exit_code != 0 and "no key" in missing.output
