"""A speaker's private link: created and renewed by organizers, stored hashed, and opening
the speaker's own profile (fields, photo, consents) and nothing else."""

from __future__ import annotations

import io

from sqlalchemy import select

from forum.accounts.models import Role
from forum.audit.models import AuditEntry
from forum.program.models import SpeakerLink
from forum.tokens import token_hash
from tests import factories
from tests.auth import staff_headers
from tests.program.test_photos import png_with_metadata
from tests.test_registration_api import assert_problem

EVENT = "/api/v1/events/digital-bridge"
ME = "/api/v1/speakers/me"


def _link(client, session, event, speaker):
    r = client.post(f"{EVENT}/speakers/{speaker.public_id}/link",
                    headers=staff_headers(session, Role.PROGRAM, event=event))
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.json


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_link_is_shown_once_kept_hashed_and_renewing_kills_the_previous(client, session,
                                                                            event):
    speaker = factories.make_speaker(session, event)
    session.commit()
    first = _link(client, session, event, speaker)
    assert first["url"].endswith(f"/speaker#token={first['token']}")
    stored = session.scalar(select(SpeakerLink).where(SpeakerLink.speaker_id == speaker.id))
    assert stored.token_hash == token_hash(first["token"]) != first["token"]
    assert client.get(ME, headers=_bearer(first["token"])).json["name"] == speaker.name

    second = _link(client, session, event, speaker)
    assert second["token"] != first["token"]
    assert_problem(client.get(ME, headers=_bearer(first["token"])), 401,
                   "invalid_speaker_link")
    assert client.get(ME, headers=_bearer(second["token"])).status_code == 200

    staff = staff_headers(session, Role.PROGRAM, event=event)
    assert client.delete(f"{EVENT}/speakers/{speaker.public_id}/link",
                         headers=staff).status_code == 204
    assert_problem(client.get(ME, headers=_bearer(second["token"])), 401,
                   "invalid_speaker_link")
    assert_problem(client.get(ME), 401, "missing_token")


def test_the_speaker_changes_their_profile_and_consents_and_the_public_sees_it(
        client, session, event):
    speaker = factories.make_speaker(session, event, consent_bio=False)
    factories.make_session(session, event, speakers=[speaker])
    factories.publish(session, event)
    session.commit()
    token = _link(client, session, event, speaker)["token"]
    assert client.get(f"{EVENT}/speakers/{speaker.public_id}").json["bio"] is None

    r = client.patch(ME, headers=_bearer(token), json={
        "bio": {"en": "Builds bridges.", "kk": "Көпір салады."}, "title": "CEO",
        "consent": {"bio": True}})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["bio"]["kk"] == "Көпір салады." and r.json["consent"]["bio"] is True
    assert r.json["event"] == {"slug": event.slug, "name": event.name}
    public = client.get(f"{EVENT}/speakers/{speaker.public_id}?lang=en").json
    assert (public["bio"], public["title"]) == ("Builds bridges.", "CEO")

    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "speaker.update")
                            .order_by(AuditEntry.id.desc())).first()
    assert entry.actor == f"speaker:{speaker.public_id}"


def test_the_speaker_cannot_touch_anything_else(client, session, event):
    speaker = factories.make_speaker(session, event)
    person = factories.make_participant(session, event)
    session.commit()
    token = _link(client, session, event, speaker)["token"]
    r = client.patch(ME, headers=_bearer(token), json={"participant": person.public_id})
    assert r.status_code == 422 and "participant" in r.json["errors"]
    bad = client.patch(ME, headers=_bearer(token), json={"name": ""})
    assert bad.status_code == 422 and "name" in bad.json["errors"]
    # The link is no staff credential.
    assert client.get(f"{EVENT}/program/speakers", headers=_bearer(token)).status_code == 401
    assert client.patch(f"{EVENT}/speakers/{speaker.public_id}", json={"name": "X"},
                        headers=_bearer(token)).status_code == 401
    session.refresh(speaker)
    assert speaker.participant_id is None and speaker.name != "X"


def test_the_speaker_uploads_and_removes_their_photo(client, session, event):
    speaker = factories.make_speaker(session, event)
    session.commit()
    token = _link(client, session, event, speaker)["token"]
    r = client.put(f"{ME}/photo", headers=_bearer(token), content_type="multipart/form-data",
                   data={"photo": (io.BytesIO(png_with_metadata()), "me.png", "image/png")})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["has_photo"] is True and r.json["photo"] is None  # no photo consent yet
    own = client.get(f"{ME}/photo", headers=_bearer(token))
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert own.headers["Cache-Control"] == "private, no-store"
    assert_problem(client.get(f"{EVENT}/speakers/{speaker.public_id}/photo"), 404,
                   "photo_not_found")

    agreed = client.patch(ME, headers=_bearer(token), json={"consent": {"photo": True}})
    assert agreed.json["photo"].endswith(f"/speakers/{speaker.public_id}/photo"
                                         f"?v={agreed.json['photo'].split('=')[-1]}")
    assert client.get(f"{EVENT}/speakers/{speaker.public_id}/photo").status_code == 200

    fake = client.put(f"{ME}/photo", headers=_bearer(token), content_type="multipart/form-data",
                      data={"photo": (io.BytesIO(b"\xff\xd8\xffnope"), "me.jpg", "image/jpeg")})
    assert_problem(fake, 422, "photo_unsupported")
    gone = client.delete(f"{ME}/photo", headers=_bearer(token))
    assert gone.status_code == 200 and gone.json["has_photo"] is False
    assert_problem(client.get(f"{ME}/photo", headers=_bearer(token)), 404, "photo_not_found")


def test_photo_and_link_live_in_the_database_and_go_with_the_speaker(any_app):
    """On SQLite and PostgreSQL: the bytes round-trip, and deleting the speaker takes its
    photo and link along (the foreign keys cascade)."""
    from forum.extensions import db
    from forum.program import photos, speaker_links, speakers
    from forum.program.models import SpeakerPhoto

    session = db.session
    event = factories.make_event(session, slug="digital-bridge")
    speaker = factories.make_speaker(session, event)
    stored = photos.store(session, speaker, png_with_metadata(), event=event, now=factories.NOW,
                          actor="t")
    token = speaker_links.issue(session, speaker, event=event, now=factories.NOW, actor="t")
    session.commit()
    content, speaker_id = stored.content, speaker.id
    session.expire_all()
    assert session.get(SpeakerPhoto, speaker_id).content == content
    assert speaker_links.authenticate(session, token).id == speaker_id

    speakers.delete_speaker(session, session.get(type(speaker), speaker_id), event=event,
                            now=factories.NOW, actor="t")
    session.commit()
    session.expire_all()
    assert session.get(SpeakerPhoto, speaker_id) is None
    assert session.scalar(select(SpeakerLink).where(SpeakerLink.speaker_id == speaker_id)) is None


def test_the_speaker_page_is_served_like_the_other_pages(client):
    r = client.get("/speaker")
    assert r.status_code == 200 and b'src="/static/speaker/speaker.js"' in r.data
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "img-src 'self' data: blob:" in csp
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert b'<meta name="referrer" content="no-referrer">' in r.data
