"""Rosters in and out: spreadsheet imports (dry run first), templates, streamed exports.

A delegation head or a company manager imports and exports their own people only: the server
binds every imported row to their delegation or company and narrows every export to it.
"""

from __future__ import annotations

from flask import Response, current_app, stream_with_context
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from sqlalchemy import and_

from forum import clock
from forum import db as dbmod
from forum.accounts.auth import Actor
from forum.accounts.permissions import Permission
from forum.blueprint import Blueprint
from forum.errors import Forbidden, ValidationFailed
from forum.events.models import Event
from forum.extensions import db
from forum.registration import search
from forum.registration.schemas import ParticipantQuery
from forum.rosters import exporter, importer, templates
from forum.rosters.columns import RosterKind
from forum.rosters.exporter import ExportFormat

blp = Blueprint("rosters", __name__, url_prefix="/api/v1/events/<slug>",
                description="Roster import and export")
P = Permission


class ImportForm(Schema):
    kind = fields.String(load_default=RosterKind.PARTICIPANTS.value,
                         validate=validate.OneOf([k.value for k in RosterKind]))
    dry_run = fields.Boolean(load_default=True, metadata={
        "description": "true (default): check every row and write nothing"})


class ImportFile(Schema):
    file = Upload(required=True, metadata={"description": "A CSV or XLSX file"})


class RowErrorOut(Schema):
    row = fields.Integer(metadata={"description": "As the spreadsheet numbers it (header: 1)"})
    field = fields.String()
    message = fields.String()


class ImportOut(Schema):
    kind = fields.Function(lambda r: r.kind.value)
    dry_run = fields.Boolean()
    format = fields.String()
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    statuses = fields.Dict(keys=fields.String(), values=fields.Integer())
    ignored_columns = fields.List(fields.String())
    errors = fields.List(fields.Nested(RowErrorOut))


class TemplateQuery(Schema):
    kind = fields.String(load_default=RosterKind.PARTICIPANTS.value,
                         validate=validate.OneOf([k.value for k in RosterKind]))
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))


class ExportQuery(ParticipantQuery):
    """The search's filters (its sort and paging are not used), and the file's shape."""

    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))
    columns = fields.String(load_default=None, validate=validate.Length(1, 500),
                            metadata={"description": "Comma-separated column names"})
    minimized = fields.Boolean(load_default=False,
                               metadata={"description": "Without contact data"})


_NOT_FILTERS = ("format", "columns", "minimized", "sort", "page", "per_page")


def _bound_group(actor: Actor) -> tuple[int | None, int | None]:
    """The one delegation or company a scoped actor's rows go to (None, None: unscoped)."""
    scope = actor.scope
    if scope is None:
        return None, None
    groups = [*scope.delegation_ids, *scope.company_ids]
    if len(groups) != 1:
        raise Forbidden("Import from the account of one delegation or company.",
                        code="insufficient_role")
    if scope.delegation_ids:
        return next(iter(scope.delegation_ids)), None
    return None, next(iter(scope.company_ids))


@blp.route("/imports", methods=["POST"])
@blp.staff(P.PARTICIPANTS_WRITE)
@blp.arguments(ImportForm, location="form")
@blp.arguments(ImportFile, location="files")
@blp.response(200, ImportOut)
@blp.alt_response(400, schema="Problem", description="empty_file, bad_encoding")
@blp.alt_response(413, schema="Problem", description="file_too_large")
@blp.alt_response(415, schema="Problem", description="unsupported_file")
@blp.alt_response(422, schema="Problem",
                  description="roster_invalid (errors per row; nothing written), "
                              "unknown_columns, missing_columns, too_many_rows")
def import_roster(form: dict, files: dict, *, event: Event, actor: Actor):
    """Check (``dry_run=true``) or import a roster; a commit writes every row or none."""
    upload = files["file"]
    delegation_id, company_id = _bound_group(actor)
    result = importer.import_roster(
        db.session, event=event, data=upload.read(), filename=upload.filename or "",
        content_type=upload.mimetype or "", kind=RosterKind(form["kind"]),
        dry_run=form["dry_run"], now=clock.now(), actor=actor.ref,
        delegation_id=delegation_id, company_id=company_id,
        max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    if form["dry_run"]:
        db.session.rollback()
    else:
        db.session.commit()
    return result


@blp.route("/imports/template")
@blp.staff(P.PARTICIPANTS_WRITE)
@blp.arguments(TemplateQuery, location="query")
@blp.doc(responses={"200": {"description": "A blank roster with one example row"}})
def template(query: dict, *, event: Event, actor: Actor):
    """A blank roster of a kind, as CSV or XLSX, to fill in."""
    fmt = ExportFormat(query["format"])
    body = templates.roster_template(RosterKind(query["kind"]), fmt)
    return Response(body, mimetype=exporter.CONTENT_TYPES[fmt].split(";")[0], headers={
        "Content-Disposition": f'attachment; filename="roster-{query["kind"]}.{fmt.value}"',
        "Cache-Control": "no-store"})


@blp.route("/participants/export")
@blp.staff(P.PARTICIPANTS_READ)
@blp.arguments(ExportQuery, location="query")
@blp.doc(responses={"200": {"description": "CSV (with a header row) or XLSX, streamed"}})
def export(query: dict, *, event: Event, actor: Actor):
    """The participants matching the filters as a spreadsheet, streamed; every export is
    audited with its filters and row count."""
    columns = [c.strip() for c in query["columns"].split(",")] if query["columns"] else None
    if columns is not None and not all(columns):
        raise ValidationFailed(errors={"columns": ["Separate column names with commas."]})
    filters = {k: v for k, v in query.items() if k not in _NOT_FILTERS}
    where = and_(*search.conditions(db.session, event, scope=actor.scope, **filters))
    stream = exporter.export_participants(
        db.session, event=event, format=ExportFormat(query["format"]), columns=columns,
        minimized=query["minimized"], where=where, now=clock.now(),
        filters={k: v for k, v in filters.items() if v is not None})

    def chunks():
        yield from stream
        # The read is over; the audit entry gets a short writing transaction of its own.
        db.session.rollback()
        with dbmod.sqlite_begin_mode("BEGIN IMMEDIATE"):
            exporter.record_export(db.session, stream, actor=actor.ref, now=clock.now())
            db.session.commit()

    return Response(stream_with_context(chunks()), mimetype=stream.content_type, headers={
        "Content-Disposition": f'attachment; filename="{stream.filename}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
