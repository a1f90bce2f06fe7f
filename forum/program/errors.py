"""Error codes of the program (clients branch on these)."""

from forum.errors import DomainError, register_unique

ROOM_NOT_FOUND = "room_not_found"
TRACK_NOT_FOUND = "track_not_found"
SESSION_NOT_FOUND = "session_not_found"
SPEAKER_NOT_FOUND = "speaker_not_found"
ROOM_EXISTS = "room_exists"  # one slug per event
TRACK_EXISTS = "track_exists"
ROOM_IN_USE = "room_in_use"  # sessions are planned in it
TRACK_IN_USE = "track_in_use"
SPEAKER_IN_USE = "speaker_in_use"  # on a session that is not cancelled
VERSION_EXISTS = "version_exists"  # a version name is used once per event
PUBLISH_RACE = "publish_race"  # another version was published at the same moment
NOTHING_TO_PUBLISH = "nothing_to_publish"
PROGRAM_HAS_CONFLICTS = "program_has_conflicts"  # publishing waits until they are resolved
NO_PUBLISHED_VERSION = "no_published_version"  # the public program before the first publish
PARTICIPANT_NOT_FOUND = "participant_not_found"
PARTICIPANT_NOT_SPEAKER = "participant_not_speaker"  # linked registrations get speaker badges
PARTICIPANT_TAKEN = "participant_taken"  # already another speaker's registration

# The conflict rules: saving a session that breaks one answers 409 with the session named.
ROOM_DOUBLE_BOOKED = "room_double_booked"
SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
OUTSIDE_EVENT_DAYS = "outside_event_days"  # also outside the room's opening hours
CAPACITY_ABOVE_ROOM = "capacity_above_room"
CONFLICT_CODES = (ROOM_DOUBLE_BOOKED, SPEAKER_DOUBLE_BOOKED, OUTSIDE_EVENT_DAYS,
                  CAPACITY_ABOVE_ROOM)

# The unique keys are the last guard when two organizers create the same slug at once.
register_unique("room", ("event_id", "slug"), code=ROOM_EXISTS,
                title="A room with this slug already exists at the event.")
register_unique("track", ("event_id", "slug"), code=TRACK_EXISTS,
                title="A track with this slug already exists at the event.")
register_unique("schedule_version", ("event_id", "name"), code=VERSION_EXISTS,
                title="A version with this name was already published.")
register_unique("schedule_version", ("event_id", "number"), code=PUBLISH_RACE,
                title="Another version was published at the same moment; try again.")
register_unique("speaker", ("participant_id",), code=PARTICIPANT_TAKEN,
                title="This registration already belongs to another speaker.")

# A participant's own program (forum.program.bookings, forum.program.agenda).
ALREADY_BOOKED = "already_booked"  # a seat or a waitlist place in this session already
NOT_BOOKABLE = "not_bookable"  # not a bookable session of the published program, or cancelled
NOT_BOOKED = "not_booked"  # cancelling a booking that does not exist
REGISTRATION_NOT_CONFIRMED = "registration_not_confirmed"  # only confirmed people book seats
CALENDAR_NOT_FOUND = "calendar_not_found"  # an unknown, rotated or cancelled calendar token

register_unique("session_booking", ("session_id", "participant_id"), code=ALREADY_BOOKED,
                title="You already booked this session.")

# Speaker photos (forum.program.photos): checked by their content, never by name or type.
PHOTO_TOO_LARGE = "photo_too_large"  # 413: more bytes than photos.MAX_BYTES
PHOTO_TOO_MANY_PIXELS = "photo_too_many_pixels"  # 422: past photos.MAX_PIXELS (bombs too)
PHOTO_UNSUPPORTED = "photo_unsupported"  # 422: not a readable JPEG, PNG or WebP image
PHOTO_NOT_FOUND = "photo_not_found"  # 404: none, or the speaker did not agree to show it
# A speaker's private profile link (forum.program.speaker_links).
INVALID_SPEAKER_LINK = "invalid_speaker_link"  # 401: unknown, renewed or revoked token


class PhotoTooLarge(DomainError):
    status = 413
    code = PHOTO_TOO_LARGE
    title = "The photo is too large"
