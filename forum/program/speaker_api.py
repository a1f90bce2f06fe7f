"""Speaker photos and private links: the organizers' side, the public photo, and the
speaker's own profile behind their link (``Authorization: Bearer <link token>``)."""

from __future__ import annotations

from flask import Response, current_app, request
from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.program import photos, speaker_links, speakers
from forum.program.models import Speaker, SpeakerPhoto
from forum.program.speaker_schemas import (
    OwnProfileOut,
    OwnProfilePatch,
    PhotoFile,
    PhotoOut,
    SpeakerLinkOut,
)

blp = Blueprint("speaker_profiles", __name__, url_prefix="/api/v1/events/<slug>",
                description="Speaker photos and private profile links")
own_blp = Blueprint("speaker_self", __name__, url_prefix="/api/v1/speakers/me",
                    description="A speaker's own profile (private link token)")
P = Permission.PROGRAM
_PHOTO_REFUSALS = ("photo_unsupported (not a readable JPEG, PNG or WebP), "
                   "photo_too_many_pixels")
# A day: long enough for a morning crowd, short enough that a withdrawn consent or a
# replaced photo leaves shared caches soon (the URL changes with the photo anyway).
PHOTO_CACHE = "public, max-age=86400"


def _base_url() -> str:
    return current_app.config["FORUM_PUBLIC_URL"]


def _upload() -> bytes:
    return request.files["photo"].read(photos.MAX_BYTES + 1)


def _image(photo: SpeakerPhoto, cache_control: str) -> Response:
    response = Response(photo.content, mimetype=photo.media_type,
                        headers={"Cache-Control": cache_control,
                                 "X-Content-Type-Options": "nosniff"})
    response.set_etag(photo.key)
    db.session.rollback()
    return response.make_conditional(request)


# --- organizers ------------------------------------------------------------------------------

@blp.route("/speakers/<speaker_id>/photo", methods=["PUT", "DELETE"])
class SpeakerPhotoItem(MethodView):
    @blp.staff(P)
    @blp.arguments(PhotoFile, location="files")
    @blp.response(200, PhotoOut)
    @blp.alt_response(404, schema="Problem", description="speaker_not_found")
    @blp.alt_response(413, schema="Problem", description="photo_too_large")
    @blp.alt_response(422, schema="Problem", description=_PHOTO_REFUSALS)
    def put(self, _files: dict, speaker_id: str, *, event: Event, actor: Actor):
        """Upload a speaker's photo (multipart ``photo``), re-encoded as a small JPEG."""
        speaker = speakers.get_speaker(db.session, event, speaker_id)
        photo = photos.store(db.session, speaker, _upload(), event=event, now=clock.now(),
                             actor=actor.ref)
        db.session.commit()
        return photo

    @blp.staff(P)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="speaker_not_found, photo_not_found")
    def delete(self, speaker_id: str, *, event: Event, actor: Actor):
        """Remove a speaker's photo."""
        speaker = speakers.get_speaker(db.session, event, speaker_id)
        photos.remove(db.session, speaker, event=event, now=clock.now(), actor=actor.ref)
        db.session.commit()


@blp.route("/speakers/<speaker_id>/link", methods=["POST", "DELETE"])
class SpeakerLinkItem(MethodView):
    @blp.staff(P)
    @blp.response(201, SpeakerLinkOut)
    @blp.alt_response(404, schema="Problem", description="speaker_not_found")
    def post(self, speaker_id: str, *, event: Event, actor: Actor):
        """Create or renew the speaker's private profile link (the previous one stops)."""
        speaker = speakers.get_speaker(db.session, event, speaker_id)
        token = speaker_links.issue(db.session, speaker, event=event, now=clock.now(),
                                    actor=actor.ref)
        db.session.commit()
        return {"token": token, "url": f"{_base_url()}/speaker#token={token}"}

    @blp.staff(P)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem",
                      description="speaker_not_found, invalid_speaker_link (none to revoke)")
    def delete(self, speaker_id: str, *, event: Event, actor: Actor):
        """Revoke the speaker's private link."""
        speaker = speakers.get_speaker(db.session, event, speaker_id)
        speaker_links.revoke(db.session, speaker, event=event, now=clock.now(),
                             actor=actor.ref)
        db.session.commit()


@blp.route("/speakers/<speaker_id>/photo", methods=["GET"])
@blp.public
@blp.response(200, content_type="image/jpeg")
@blp.alt_response(404, schema="Problem", description="speaker_not_found, photo_not_found "
                                                     "(none, or not agreed to be shown)")
@blp.revalidated
def public_photo(speaker_id: str, *, event: Event):
    """A speaker's photo, when they agreed to show it (strong ETag, cached for a day)."""
    speaker = speakers.get_speaker(db.session, event, speaker_id)
    return _image(photos.public_photo(db.session, speaker), PHOTO_CACHE)


# --- the speaker, through their private link ----------------------------------------------

class _Own:
    """The speaker as OwnProfileOut reads them: their columns, the photo's public URL and
    the event."""

    def __init__(self, speaker: Speaker) -> None:
        self._speaker = speaker
        event = speaker_links.event_of(db.session, speaker)
        self.photo = photos.public_url(speaker, event, _base_url())
        self.has_photo = bool(speaker.photo)
        self.event = event

    def __getattr__(self, name: str):
        return getattr(self._speaker, name)


def _own(speaker: Speaker) -> _Own:
    return _Own(speaker)


@own_blp.route("")
class OwnProfile(MethodView):
    @own_blp.speaker
    @own_blp.response(200, OwnProfileOut)
    def get(self, *, speaker: Speaker):
        """My speaker profile and consents."""
        return _own(speaker)

    @own_blp.speaker
    @own_blp.arguments(OwnProfilePatch)
    @own_blp.response(200, OwnProfileOut)
    @own_blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, changes: dict, *, speaker: Speaker):
        """Change my profile (name, title, organization, country, bio, links) or consents."""
        speaker_links.update_own(db.session, speaker, changes, now=clock.now())
        db.session.commit()
        return _own(speaker)


@own_blp.route("/photo")
class OwnPhoto(MethodView):
    @own_blp.speaker
    @own_blp.response(200, content_type="image/jpeg")
    @own_blp.alt_response(404, schema="Problem", description="photo_not_found")
    def get(self, *, speaker: Speaker):
        """My photo as stored (whatever my consent)."""
        return _image(photos.own(db.session, speaker), "private, no-store")

    @own_blp.speaker
    @own_blp.arguments(PhotoFile, location="files")
    @own_blp.response(200, OwnProfileOut)
    @own_blp.alt_response(413, schema="Problem", description="photo_too_large")
    @own_blp.alt_response(422, schema="Problem", description=_PHOTO_REFUSALS)
    def put(self, _files: dict, *, speaker: Speaker):
        """Upload my photo (multipart ``photo``)."""
        photos.store(db.session, speaker, _upload(),
                     event=speaker_links.event_of(db.session, speaker), now=clock.now(),
                     actor=speaker_links.actor_ref(speaker))
        db.session.commit()
        return _own(speaker)

    @own_blp.speaker
    @own_blp.response(200, OwnProfileOut)
    @own_blp.alt_response(404, schema="Problem", description="photo_not_found")
    def delete(self, *, speaker: Speaker):
        """Remove my photo."""
        photos.remove(db.session, speaker, event=speaker_links.event_of(db.session, speaker),
                      now=clock.now(), actor=speaker_links.actor_ref(speaker))
        db.session.commit()
        return _own(speaker)
