"""The program manager's API: rooms, tracks, sessions, speakers, warnings and publishing.

Rooms and tracks are named by slug, sessions and speakers by their public id. A save that
breaks a conflict rule answers 409 with the rule's code and the conflicting session named.
"""

from flask.views import MethodView

from forum import clock
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.events.models import Event
from forum.extensions import db
from forum.program import conflicts, service, speakers, versions
from forum.program.models import SessionStatus
from forum.program.schemas import (
    ProgramSessionIn,
    ProgramSessionOut,
    ProgramSessionPatch,
    ProgramSessionQuery,
    PublishIn,
    RoomIn,
    RoomOut,
    RoomPatch,
    SpeakerIn,
    SpeakerOut,
    SpeakerPatch,
    TrackIn,
    TrackOut,
    TrackPatch,
    VersionOut,
    WarningOut,
)

blp = Blueprint("program", __name__, url_prefix="/api/v1/events/<slug>",
                description="Program management: rooms, tracks, sessions, speakers")
P = Permission.PROGRAM
_RULES = ("room_double_booked, speaker_double_booked, outside_event_days, "
          "capacity_above_room (the conflicting session named)")


# --- rooms ---------------------------------------------------------------------------------

@blp.route("/rooms")
class Rooms(MethodView):
    @blp.staff(P)
    @blp.response(200, RoomOut(many=True))
    def get(self, *, event: Event, actor: Actor):
        """The event's rooms."""
        return service.rooms(db.session, event)

    @blp.staff(P)
    @blp.arguments(RoomIn)
    @blp.response(201, RoomOut)
    @blp.alt_response(409, schema="Problem", description="room_exists")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Add a room (hall) with its capacity."""
        room = service.create_room(db.session, event=event, data=data, now=clock.now(),
                                   actor=actor.ref)
        db.session.commit()
        return room


@blp.route("/rooms/<room_slug>")
class RoomItem(MethodView):
    @blp.staff(P)
    @blp.arguments(RoomPatch)
    @blp.response(200, RoomOut)
    @blp.alt_response(404, schema="Problem", description="room_not_found")
    @blp.alt_response(409, schema="Problem",
                      description="room_exists, capacity_above_room, outside_event_days")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, data: dict, room_slug: str, *, event: Event, actor: Actor):
        """Edit a room; its planned sessions must still fit its capacity and hours."""
        room = service.get_room(db.session, event, room_slug, for_update=True)
        service.update_room(db.session, room, data, event=event, now=clock.now(),
                            actor=actor.ref)
        db.session.commit()
        return room

    @blp.staff(P)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="room_not_found")
    @blp.alt_response(409, schema="Problem", description="room_in_use")
    def delete(self, room_slug: str, *, event: Event, actor: Actor):
        """Remove a room without sessions."""
        room = service.get_room(db.session, event, room_slug)
        service.delete_room(db.session, room, event=event, now=clock.now(), actor=actor.ref)
        db.session.commit()


# --- tracks --------------------------------------------------------------------------------

@blp.route("/tracks")
class Tracks(MethodView):
    @blp.staff(P)
    @blp.response(200, TrackOut(many=True))
    def get(self, *, event: Event, actor: Actor):
        """The event's tracks."""
        return service.tracks(db.session, event)

    @blp.staff(P)
    @blp.arguments(TrackIn)
    @blp.response(201, TrackOut)
    @blp.alt_response(409, schema="Problem", description="track_exists")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Add a track (a theme with a colour)."""
        track = service.create_track(db.session, event=event, data=data, now=clock.now(),
                                     actor=actor.ref)
        db.session.commit()
        return track


@blp.route("/tracks/<track_slug>")
class TrackItem(MethodView):
    @blp.staff(P)
    @blp.arguments(TrackPatch)
    @blp.response(200, TrackOut)
    @blp.alt_response(404, schema="Problem", description="track_not_found")
    @blp.alt_response(409, schema="Problem", description="track_exists")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, data: dict, track_slug: str, *, event: Event, actor: Actor):
        """Edit a track."""
        track = service.get_track(db.session, event, track_slug)
        service.update_track(db.session, track, data, event=event, now=clock.now(),
                             actor=actor.ref)
        db.session.commit()
        return track

    @blp.staff(P)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="track_not_found")
    @blp.alt_response(409, schema="Problem", description="track_in_use")
    def delete(self, track_slug: str, *, event: Event, actor: Actor):
        """Remove a track without sessions."""
        track = service.get_track(db.session, event, track_slug)
        service.delete_track(db.session, track, event=event, now=clock.now(), actor=actor.ref)
        db.session.commit()


# --- sessions ------------------------------------------------------------------------------

@blp.route("/sessions")
class Sessions(MethodView):
    @blp.staff(P)
    @blp.arguments(ProgramSessionQuery, location="query")
    @blp.response(200, ProgramSessionOut(many=True))
    def get(self, query: dict, *, event: Event, actor: Actor):
        """Every session of the event (drafts and cancelled ones too), in time order."""
        status = SessionStatus(query["status"]) if query["status"] else None
        return service.list_sessions(db.session, event, status=status)

    @blp.staff(P)
    @blp.arguments(ProgramSessionIn)
    @blp.response(201, ProgramSessionOut)
    @blp.alt_response(409, schema="Problem", description=_RULES)
    @blp.alt_response(422, schema="Problem", description="Invalid fields (unknown room, …)")
    def post(self, data: dict, *, event: Event, actor: Actor):
        """Plan a session; it is a draft unless ``status`` is published."""
        item = service.create_session(db.session, event=event, data=data, now=clock.now(),
                                      actor=actor.ref)
        db.session.commit()
        return item


@blp.route("/sessions/<session_id>")
class SessionItem(MethodView):
    @blp.staff(P)
    @blp.response(200, ProgramSessionOut)
    @blp.alt_response(404, schema="Problem", description="session_not_found")
    def get(self, session_id: str, *, event: Event, actor: Actor):
        """One session as organizers see it."""
        return service.get_session(db.session, event, session_id)

    @blp.staff(P)
    @blp.arguments(ProgramSessionPatch)
    @blp.response(200, ProgramSessionOut)
    @blp.alt_response(404, schema="Problem", description="session_not_found")
    @blp.alt_response(409, schema="Problem", description=_RULES)
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, data: dict, session_id: str, *, event: Event, actor: Actor):
        """Change a session (``speakers``, when given, replaces the list); cancel it with
        ``status: cancelled``."""
        item = service.get_session(db.session, event, session_id, for_update=True)
        service.update_session(db.session, item, data, event=event, now=clock.now(),
                               actor=actor.ref)
        db.session.commit()
        return item

    @blp.staff(P)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="session_not_found")
    def delete(self, session_id: str, *, event: Event, actor: Actor):
        """Delete a session (a published one shows as cancelled in the next version)."""
        item = service.get_session(db.session, event, session_id)
        service.delete_session(db.session, item, event=event, now=clock.now(), actor=actor.ref)
        db.session.commit()


# --- speakers ------------------------------------------------------------------------------

@blp.route("/speakers", methods=["POST"])
@blp.staff(P)
@blp.arguments(SpeakerIn)
@blp.response(201, SpeakerOut)
@blp.alt_response(409, schema="Problem", description="participant_not_speaker, "
                                                     "participant_taken")
@blp.alt_response(422, schema="Problem", description="Invalid fields (participant_not_found)")
def create_speaker(data: dict, *, event: Event, actor: Actor):
    """Add a speaker; linked to a registration in the speaker category, they get its badge."""
    speaker = speakers.create_speaker(db.session, event=event, data=data, now=clock.now(),
                                      actor=actor.ref)
    db.session.commit()
    return speaker


@blp.route("/speakers/<speaker_id>", methods=["PATCH", "DELETE"])
class SpeakerItem(MethodView):
    @blp.staff(P)
    @blp.arguments(SpeakerPatch)
    @blp.response(200, SpeakerOut)
    @blp.alt_response(404, schema="Problem", description="speaker_not_found")
    @blp.alt_response(409, schema="Problem", description="participant_not_speaker, "
                                                         "participant_taken")
    @blp.alt_response(422, schema="Problem", description="Invalid fields")
    def patch(self, data: dict, speaker_id: str, *, event: Event, actor: Actor):
        """Edit a speaker's profile, consents or registration link."""
        speaker = speakers.get_speaker(db.session, event, speaker_id)
        speakers.update_speaker(db.session, speaker, data, event=event, now=clock.now(),
                                actor=actor.ref)
        db.session.commit()
        return speaker

    @blp.staff(P)
    @blp.response(204)
    @blp.alt_response(404, schema="Problem", description="speaker_not_found")
    @blp.alt_response(409, schema="Problem", description="speaker_in_use")
    def delete(self, speaker_id: str, *, event: Event, actor: Actor):
        """Remove a speaker who is on no live session."""
        speaker = speakers.get_speaker(db.session, event, speaker_id)
        speakers.delete_speaker(db.session, speaker, event=event, now=clock.now(),
                                actor=actor.ref)
        db.session.commit()


@blp.route("/program/speakers")
@blp.staff(P)
@blp.response(200, SpeakerOut(many=True))
def staff_speakers(*, event: Event, actor: Actor):
    """Every speaker with consents and registration (the public list is ``…/speakers``)."""
    return speakers.list_speakers(db.session, event)


# --- warnings and versions -----------------------------------------------------------------

@blp.route("/program/warnings")
@blp.staff(P)
@blp.response(200, WarningOut(many=True))
def warnings(*, event: Event, actor: Actor):
    """Every current conflict of the program, and sessions still missing a speaker."""
    return conflicts.warnings(db.session, event)


@blp.route("/program/publish", methods=["POST"])
@blp.staff(P)
@blp.arguments(PublishIn)
@blp.response(201, VersionOut)
@blp.alt_response(409, schema="Problem", description="version_exists, nothing_to_publish, "
                                                     "program_has_conflicts, publish_race")
@blp.alt_response(422, schema="Problem", description="Invalid fields")
def publish(data: dict, *, event: Event, actor: Actor):
    """Publish the program as a named version, with its changelog since the last one."""
    version = versions.publish(db.session, event=event, now=clock.now(), actor=actor.ref,
                               **data)
    db.session.commit()
    return version


@blp.route("/program/versions")
@blp.staff(P)
@blp.response(200, VersionOut(many=True))
def version_history(*, event: Event, actor: Actor):
    """The published versions, newest first, with their changelogs."""
    return versions.history(db.session, event)
