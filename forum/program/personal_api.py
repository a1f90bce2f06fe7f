"""A participant's own program (manage token): bookmarks, the calendar feed, workshop seats."""

from flask import Response, current_app
from flask.views import MethodView

from forum import clock
from forum.blueprint import Blueprint
from forum.extensions import db
from forum.program import agenda, bookings
from forum.program.personal_schemas import (
    AgendaIn,
    AgendaOut,
    BookingIn,
    BookingOut,
    BookingsOut,
    CalendarOut,
    CancelBookingOut,
)
from forum.registration.models import Participant

blp = Blueprint("personal_program", __name__, url_prefix="/api/v1",
                description="My agenda and workshop bookings (manage token)")


def _secret() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode()


def _url(token: str) -> str:
    return f"{current_app.config['FORUM_PUBLIC_URL']}/api/v1/calendars/{token}.ics"


@blp.route("/registrations/me/agenda")
class MyAgenda(MethodView):
    @blp.registrant
    @blp.writing
    @blp.response(200, AgendaOut)
    @blp.alt_response(409, schema="Problem", description="registration_inactive")
    def get(self, *, participant: Participant):
        """My bookmarked sessions and my personal calendar URL."""
        ids, token = agenda.agenda(db.session, participant, now=clock.now(), secret=_secret())
        db.session.commit()
        return {"sessions": ids, "calendar_url": _url(token)}

    @blp.registrant
    @blp.arguments(AgendaIn)
    @blp.response(200, AgendaOut)
    @blp.alt_response(409, schema="Problem", description="registration_inactive")
    @blp.alt_response(422, schema="Problem", description="Unknown session ids")
    def put(self, data: dict, *, participant: Participant):
        """Replace my bookmarks (ids of the published program's sessions)."""
        ids, token = agenda.replace(db.session, participant, data["sessions"], now=clock.now(),
                                    secret=_secret())
        db.session.commit()
        return {"sessions": ids, "calendar_url": _url(token)}


@blp.route("/registrations/me/agenda/calendar", methods=["POST"])
@blp.registrant
@blp.response(200, CalendarOut)
@blp.alt_response(409, schema="Problem", description="registration_inactive")
def rotate_calendar(*, participant: Participant):
    """A new personal calendar URL; the old one stops working."""
    token = agenda.rotate_calendar(db.session, participant, now=clock.now(), secret=_secret())
    db.session.commit()
    return {"calendar_url": _url(token)}


@blp.route("/calendars/<token>.ics")
@blp.public
@blp.response(200, content_type="text/calendar")
@blp.alt_response(404, schema="Problem", description="calendar_not_found")
def calendar(token: str):
    """A participant's calendar: bookmarked and booked sessions (the URL is the secret)."""
    owner = agenda.feed_owner(db.session, token)
    body = agenda.feed(db.session, owner, base_url=current_app.config["FORUM_PUBLIC_URL"])
    db.session.rollback()
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, max-age=300",
                             "Referrer-Policy": "no-referrer"})


@blp.route("/registrations/me/bookings")
class MyBookings(MethodView):
    @blp.registrant
    @blp.response(200, BookingsOut)
    def get(self, *, participant: Participant):
        """My workshop bookings and waitlist places."""
        return {"bookings": bookings.my_bookings(db.session, participant)}

    @blp.registrant
    @blp.arguments(BookingIn)
    @blp.response(201, BookingOut)
    @blp.idempotent(scope=lambda kwargs: f"booking:{kwargs['participant'].id}",
                    subject_of=lambda kwargs: kwargs["participant"].public_id)
    @blp.alt_response(409, schema="Problem",
                      description="already_booked, not_bookable, registration_not_confirmed, "
                                  "idempotency_key_reused")
    @blp.alt_response(422, schema="Problem", description="Not a session of the program")
    def post(self, data: dict, *, participant: Participant):
        """Book a workshop seat: booked, or waitlisted when full (warnings name clashes).

        Send an ``Idempotency-Key`` header: a retry gets the first answer, not already_booked.
        """
        done = bookings.book(db.session, participant, data["session"], now=clock.now())
        # The answer is stored as JSON for a replay: the time goes out as its ISO text.
        return {"session": done.session_id, "status": done.booking.status.value,
                "created_at": done.booking.created_at.isoformat(),
                "warnings": done.warnings}, 201


@blp.route("/registrations/me/bookings/<session_id>", methods=["DELETE"])
@blp.registrant
@blp.response(200, CancelBookingOut)
@blp.alt_response(404, schema="Problem", description="not_booked")
def cancel_booking(session_id: str, *, participant: Participant):
    """Give up my seat (the first waitlisted person gets it) or my waitlist place."""
    bookings.cancel(db.session, participant, session_id, now=clock.now())
    db.session.commit()
    return {"session": session_id, "status": "cancelled"}
