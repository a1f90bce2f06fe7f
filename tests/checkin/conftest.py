"""Check-in fixtures: demo zones and gates, scanner tokens, badge codes, an organizer."""

from __future__ import annotations

import uuid

import pytest

from forum.badges import service as badges
from forum.checkin import devices
from forum.checkin.demo import setup_demo_zones

from .. import factories
from ..auth import staff_headers


@pytest.fixture(autouse=True)
def _fresh_device_cache():
    # Every test has its own database; cached device contexts must not leak between them.
    devices.clear_cache()
    yield
    devices.clear_cache()


@pytest.fixture
def gates(session, event):
    found = setup_demo_zones(session, event, now=factories.NOW)
    session.commit()
    return found


@pytest.fixture
def scanner(session, gates):
    """scanner("vip-lounge") → a bearer token of a new device at that gate."""

    def issue(gate: str = "main-entrance", name: str = "lane 1") -> str:
        _device, token = devices.issue(session, gate=gates[gate], name=name, now=factories.NOW,
                                       actor="test")
        session.commit()
        return token

    return issue


@pytest.fixture
def badge_code(session, event):
    """badge_code(category="vip") → (participant, QR text) of a confirmed participant."""

    def make(category: str = "attendee", **overrides):
        participant = factories.make_participant(session, event, category=category,
                                                 organization="Astana Hub", **overrides)
        badge = badges.ensure_badge(session, participant, now=factories.NOW)
        code = badges.badge_token(session, badge)
        session.commit()
        return participant, code

    return make


@pytest.fixture
def organizer(session, event):
    """Bearer headers of an organizer of the event."""
    return staff_headers(session, event=event)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def scan(client, token: str, code: str, gate: str = "main-entrance", **extra):
    body = {"code": code, "gate": gate, "nonce": extra.pop("nonce", str(uuid.uuid4()))}
    body.update(extra)
    return client.post("/api/v1/checkins", json=body, headers=auth(token))
