"""Badge tokens: round trip, tampering, other events' keys, retired keys, QR size."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forum.badges import keys, service
from forum.badges.tokens import (
    TOKEN_LENGTH,
    TokenInvalid,
    TokenWrongEvent,
    decode_badge_token,
    encode_badge_token,
    event_tag,
)
from forum.registration.models import Status

from .. import factories
from ..factories import NOW


def _pair():
    private = Ed25519PrivateKey.generate()
    return private, private.public_key().public_bytes_raw()


def _token(private, **overrides):
    claims = dict(kid="0A1B", event_tag=event_tag(7), serial="ABCDEFGH", revision=3, category=12)
    claims.update(overrides)
    return encode_badge_token(private_key=private, **claims)


def test_round_trip_and_alphabet():
    private, public = _pair()
    code = _token(private)
    assert len(code) == TOKEN_LENGTH
    assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    claims = decode_badge_token(code, public_keys={"0A1B": public}, event_tag=event_tag(7))
    assert (claims.kid, claims.serial, claims.revision, claims.category) == (
        "0A1B", "ABCDEFGH", 3, 12)
    assert claims.event_tag == event_tag(7)
    # A callable key source works too, and lower case (a wedge scanner with caps lock) is read.
    again = decode_badge_token(code.lower(), public_keys=lambda kid: public if kid == "0A1B"
                               else None)
    assert again == claims


def test_every_tampered_byte_is_invalid():
    private, public = _pair()
    code = _token(private)
    raw = base64.b32decode(code + "=" * (-len(code) % 8))
    for i in range(len(raw)):
        for flip in (0x01, 0x80):
            bad = bytearray(raw)
            bad[i] ^= flip
            forged = base64.b32encode(bytes(bad)).decode().rstrip("=")
            with pytest.raises(TokenInvalid):
                decode_badge_token(forged, public_keys={"0A1B": public},
                                   event_tag=event_tag(7))


@pytest.mark.parametrize("code", ["", "HELLO", "A" * 127 + "=", "1" * 127, "A" * 126,
                                  "A" * 128, "A" * 126 + "B"])
def test_garbage_is_invalid(code):
    _private, public = _pair()
    with pytest.raises(TokenInvalid):
        decode_badge_token(code, public_keys={"0A1B": public})


def test_non_canonical_last_character_is_invalid():
    private, public = _pair()
    code = _token(private)
    # The last character carries 2 payload bits and 3 padding bits; setting padding bits
    # would decode to the same bytes, so it must be refused.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = alphabet.index(code[-1])
    other = code[:-1] + alphabet[last | 0b00001]
    assert other != code
    with pytest.raises(TokenInvalid):
        decode_badge_token(other, public_keys={"0A1B": public})


def test_unknown_version_is_invalid():
    private, public = _pair()
    raw = bytearray(base64.b32decode(_token(private) + "="))
    raw[0] = 2
    with pytest.raises(TokenInvalid):
        decode_badge_token(base64.b32encode(bytes(raw)).decode().rstrip("="),
                           public_keys={"0A1B": public})


def test_token_of_another_event_is_wrong_event():
    here, here_pub = _pair()
    there, there_pub = _pair()
    theirs = _token(there, kid="7777", event_tag=event_tag(8))
    with pytest.raises(TokenWrongEvent) as info:
        decode_badge_token(theirs, public_keys={"0A1B": here_pub}, event_tag=event_tag(7))
    assert info.value.claims.event_tag == event_tag(8)
    # With a server-wide key lookup the other event's token verifies and is still refused.
    with pytest.raises(TokenWrongEvent):
        decode_badge_token(theirs, public_keys={"0A1B": here_pub, "7777": there_pub},
                           event_tag=event_tag(7))
    # Signed with another key but claiming this event: forged.
    forged = _token(there, kid="0A1B", event_tag=event_tag(7))
    with pytest.raises(TokenInvalid):
        decode_badge_token(forged, public_keys={"0A1B": here_pub}, event_tag=event_tag(7))


def test_qr_fits_version_6_at_m():
    private, _ = _pair()
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(_token(private, revision=65535, category=65535))
    qr.make(fit=True)
    assert qr.data_list[0].mode == qrcode.util.MODE_ALPHA_NUM
    assert qr.version <= 6


def _confirmed(session, event, **kw):
    participant = factories.make_participant(session, event, **kw)
    assert participant.status is Status.CONFIRMED
    return participant


def test_service_token_verifies_with_event_keys(session, event):
    participant = _confirmed(session, event)
    badge = service.ensure_badge(session, participant, now=NOW)
    assert service.ensure_badge(session, participant, now=NOW + timedelta(hours=1)) is badge
    assert len(badge.serial) == 8 and badge.revision == 1
    code = service.badge_token(session, badge)
    claims = decode_badge_token(code, public_keys=service.public_keys(session, event),
                                event_tag=event_tag(event.id))
    assert claims.serial == badge.serial and claims.category == participant.category_id
    assert service.resolve(session, event, claims) == (badge, participant)
    assert not service.is_revoked(badge, participant, claims)
    # The private key is stored sealed: the raw private bytes never appear in the row.
    key = keys.signing_key(session, event.id, now=NOW)
    assert keys.private_key(key).private_bytes_raw() not in bytes(key.private_key_sealed)


def test_other_events_badge_is_wrong_event(session, event):
    other = factories.make_event(session)
    badge = service.ensure_badge(session, _confirmed(session, other), now=NOW)
    code = service.badge_token(session, badge)
    with pytest.raises(TokenWrongEvent):
        decode_badge_token(code, public_keys=service.public_keys(session, event),
                           event_tag=event_tag(event.id))


def test_reissue_revokes_older_revision(session, event):
    participant = _confirmed(session, event)
    badge = service.ensure_badge(session, participant, now=NOW)
    old = service.badge_token(session, badge)
    service.reissue(session, participant, now=NOW + timedelta(minutes=5), actor="test",
                    reason="lost")
    assert badge.revision == 2
    old_claims = decode_badge_token(old, public_keys=service.public_keys(session, event))
    found, holder = service.resolve(session, event, old_claims)
    assert found is badge and old_claims.revision < found.revision
    assert service.is_revoked(found, holder, old_claims)
    new_claims = decode_badge_token(service.badge_token(session, badge),
                                    public_keys=service.public_keys(session, event))
    assert not service.is_revoked(found, holder, new_claims)
    assert service.revoked_revisions(session, event) == [(badge.serial, 1)]


def test_rotation_and_retired_key(session, event):
    participant = _confirmed(session, event)
    badge = service.ensure_badge(session, participant, now=NOW)
    first = service.badge_token(session, badge)
    old_key = keys.signing_key(session, event.id, now=NOW)
    new_key = service.rotate_key(session, event, NOW + timedelta(seconds=1))
    second = service.badge_token(session, badge)
    assert decode_badge_token(second, public_keys=service.public_keys(session, event)).kid == (
        new_key.kid)
    # Until retired, the old key still verifies.
    decode_badge_token(first, public_keys=service.public_keys(session, event))
    keys.retire_key(session, old_key, now=NOW + timedelta(days=1))
    with pytest.raises(TokenInvalid):
        decode_badge_token(first, public_keys=service.public_keys(session, event),
                           event_tag=event_tag(event.id))


def test_cancelled_participant_is_revoked_and_has_no_badge(session, event):
    from forum.registration import service as registration

    participant = _confirmed(session, event)
    badge = service.ensure_badge(session, participant, now=NOW)
    registration.cancel(session, participant, now=NOW + timedelta(hours=1))
    assert service.revoked_revisions(session, event) == [(badge.serial, 1)]
    with pytest.raises(Exception) as info:
        service.ensure_badge(session, participant, now=NOW + timedelta(hours=2))
    assert info.value.code == "no_badge"
