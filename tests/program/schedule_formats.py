"""What the conference-app formats require, restated here for the tests of our feeds.

The published definitions are c3voc's ``validator/xsd/schedule.xml.xsd`` (frab schedule.xml)
and ``validator/json/schema.json`` (schedule.json) in the voc/schedule repository, read at
commit 0a403ee5239e0f7883b539a0e05e08f42b737ecb. No package on PyPI or npm ships them
(c3voc-schedule-tools 1.1.0 has the converter code only), and third-party files are not
copied into this repository, so the schemas below are written here for our output: each
element, attribute and field those definitions require, with the patterns they impose
(identifiers, times, durations, acronym, slug, colours, time zone). They are not copies.
"""

from __future__ import annotations

# -- schedule.xml --------------------------------------------------------------------------
# Required by the upstream XSD: <version>, <conference>, at least one <day index start end>;
# <room name>; <event id guid> with room, title, type, date, start, duration, abstract and
# track; guid, id and slug unique across events, day index unique.
_UUID = "[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
_OFFSET_TIME = ".+(Z|[+\\-][0-9]{1,2}:[0-9]{2})"

FRAB_XSD = f"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:simpleType name="Guid"><xs:restriction base="xs:string">
    <xs:pattern value="{_UUID}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Moment"><xs:restriction base="xs:dateTime">
    <xs:pattern value="{_OFFSET_TIME}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="DayOrMoment"><xs:union memberTypes="Moment xs:date"/></xs:simpleType>
  <xs:simpleType name="ClockTime"><xs:restriction base="xs:string">
    <xs:pattern value="[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Length"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9]{{1,2}}:[0-9]{{2}}(:[0-9]{{1,2}})?"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Web"><xs:restriction base="xs:anyURI">
    <xs:pattern value="https?://.*"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Acronym"><xs:restriction base="xs:string">
    <xs:pattern value="[a-z0-9_\\-]{{4,}}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="EventSlug"><xs:restriction base="xs:string">
    <xs:pattern value="[a-z0-9_]{{4,}}-[a-z0-9_\\-]{{4,}}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Colour"><xs:restriction base="xs:string">
    <xs:pattern value="#[0-9a-fA-F]{{6}}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="TrackSlug"><xs:restriction base="xs:string">
    <xs:pattern value="[a-z][a-z0-9\\-]+"/></xs:restriction></xs:simpleType>

  <xs:complexType name="Named"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="id" type="xs:integer"/><xs:attribute name="guid" type="Guid"/>
    <xs:attribute name="href" type="xs:string"/><xs:attribute name="type" type="xs:string"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="People"><xs:sequence>
    <xs:element name="person" type="Named" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Links"><xs:sequence>
    <xs:element name="link" type="Named" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Files"><xs:sequence>
    <xs:element name="attachment" type="Named" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>

  <xs:complexType name="Talk">
    <xs:all>
      <xs:element name="date" type="Moment"/>
      <xs:element name="start" type="ClockTime"/>
      <xs:element name="duration" type="Length"/>
      <xs:element name="room" type="xs:string"/>
      <xs:element name="title" type="xs:string"/>
      <xs:element name="type" type="xs:string"/>
      <xs:element name="abstract" type="xs:string"/>
      <xs:element name="track" type="xs:string"/>
      <xs:element name="slug" type="EventSlug" minOccurs="0"/>
      <xs:element name="url" type="Web" minOccurs="0"/>
      <xs:element name="subtitle" type="xs:string" minOccurs="0"/>
      <xs:element name="language" type="xs:string" minOccurs="0"/>
      <xs:element name="description" type="xs:string" minOccurs="0"/>
      <xs:element name="persons" type="People" minOccurs="0"/>
      <xs:element name="links" type="Links" minOccurs="0"/>
      <xs:element name="attachments" type="Files" minOccurs="0"/>
    </xs:all>
    <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
    <xs:attribute name="guid" type="Guid" use="required"/>
  </xs:complexType>

  <xs:complexType name="Hall"><xs:sequence>
    <xs:element name="event" type="Talk" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence>
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="guid" type="Guid"/>
  </xs:complexType>

  <xs:complexType name="Day"><xs:sequence>
    <xs:element name="room" type="Hall" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence>
    <xs:attribute name="index" type="xs:positiveInteger" use="required"/>
    <xs:attribute name="date" type="xs:date"/>
    <xs:attribute name="start" type="Moment" use="required"/>
    <xs:attribute name="end" type="Moment" use="required"/>
  </xs:complexType>

  <xs:complexType name="Track"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="color" type="Colour"/>
    <xs:attribute name="slug" type="TrackSlug"/>
  </xs:extension></xs:simpleContent></xs:complexType>

  <xs:element name="schedule">
    <xs:complexType><xs:sequence>
      <xs:element name="generator" minOccurs="0"><xs:complexType>
        <xs:attribute name="name" type="xs:string"/>
        <xs:attribute name="version" type="xs:string"/>
      </xs:complexType></xs:element>
      <xs:element name="version" type="xs:string"/>
      <xs:element name="conference"><xs:complexType><xs:sequence>
        <xs:choice minOccurs="0" maxOccurs="unbounded">
          <xs:element name="acronym" type="Acronym"/>
          <xs:element name="title" type="xs:string"/>
          <xs:element name="start" type="DayOrMoment"/>
          <xs:element name="end" type="DayOrMoment"/>
          <xs:element name="days" type="xs:integer"/>
          <xs:element name="timeslot_duration" type="Length"/>
          <xs:element name="base_url" type="Web"/>
          <xs:element name="url" type="Web"/>
          <xs:element name="time_zone_name" type="xs:string"/>
          <xs:element name="track" type="Track"/>
        </xs:choice>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="day" type="Day" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
    <xs:unique name="one_guid"><xs:selector xpath="day/room/event"/>
      <xs:field xpath="@guid"/></xs:unique>
    <xs:unique name="one_id"><xs:selector xpath="day/room/event"/>
      <xs:field xpath="@id"/></xs:unique>
    <xs:unique name="one_slug"><xs:selector xpath="day/room/event/slug"/>
      <xs:field xpath="."/></xs:unique>
    <xs:unique name="one_index"><xs:selector xpath="day"/>
      <xs:field xpath="@index"/></xs:unique>
  </xs:element>
</xs:schema>
"""

# -- schedule.json ------------------------------------------------------------------------
# Required upstream: schedule {version, conference}, no top-level rooms; conference {title,
# acronym, days, daysCount, start, end, timeslot_duration} and no unknown keys; a day {index,
# date, day_start, day_end, rooms: {name: [event]}}; an event {guid, id, date, start,
# duration, room, slug, url, title, subtitle, track, type, language, abstract, persons,
# links} and no unknown keys; a room {name, guid}; a person either frab's {public_name, id}
# or pretalx's {name}, not both; a link {url, type?}.
_NULLABLE_TEXT = {"type": ["string", "null"]}
_LINK = {"type": "object", "required": ["url"], "additionalProperties": False,
         "properties": {"url": {"type": "string", "format": "uri"}, "title": {"type": "string"},
                        "type": {"enum": ["slides", "paper", "web", "blog", "article", "media",
                                          "related", "activitypub"]}}}
_PERSON = {
    "type": "object",
    "oneOf": [{"required": ["public_name", "id"]},
              {"required": ["name"], "not": {"required": ["public_name", "id"]}}],
    "properties": {"name": {"type": "string"}, "guid": {"type": "string", "format": "uuid"},
                   "id": {"type": "integer"}, "public_name": {"type": "string"}},
}
_TALK = {
    "type": "object", "additionalProperties": False,
    "required": ["guid", "id", "date", "start", "duration", "room", "slug", "url", "title",
                 "subtitle", "track", "type", "language", "abstract", "persons", "links"],
    "properties": {
        "guid": {"type": "string", "format": "uuid"},
        "id": {"type": "integer", "minimum": 1},
        "date": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "start": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        "duration": {"type": "string", "pattern": "^[0-9]+:[0-9]{2}$"},
        "room": {"type": "string"},
        "slug": {"type": "string", "pattern": "^[a-z0-9_-]+[a-z0-9]$"},
        "url": {"type": "string", "format": "uri"},
        "title": {"type": "string"}, "subtitle": _NULLABLE_TEXT, "track": _NULLABLE_TEXT,
        "type": {"type": "string"}, "language": _NULLABLE_TEXT, "abstract": _NULLABLE_TEXT,
        "description": _NULLABLE_TEXT,
        "persons": {"type": "array", "items": _PERSON},
        "links": {"type": "array", "items": _LINK},
        "attachments": {"type": "array", "items": _LINK},
    },
}
_HALL = {"type": "object", "required": ["name", "guid"], "additionalProperties": False,
         "properties": {"name": {"type": "string"},
                        "slug": {"type": "string", "pattern": "^[a-z0-9_-]+[a-z0-9]$"},
                        "guid": {"type": "string", "format": "uuid"},
                        "description": {"type": ["string", "null", "object"]},
                        "capacity": {"type": ["number", "null"]}}}
_DAY = {"type": "object", "additionalProperties": False,
        "required": ["index", "date", "day_start", "day_end", "rooms"],
        "properties": {"index": {"type": "integer"},
                       "date": {"type": "string", "format": "date"},
                       "day_start": {"type": "string", "format": "date-time"},
                       "day_end": {"type": "string", "format": "date-time"},
                       "rooms": {"type": "object",
                                 "additionalProperties": {"type": "array", "items": _TALK}}}}
SCHEDULE_JSON = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object", "required": ["schedule"], "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string"},
        "generator": {"type": "object"},
        "schedule": {
            "type": "object", "required": ["version", "conference"],
            "properties": {
                "version": {"type": "string"},
                "base_url": {"type": "string", "format": "uri"},
                "rooms": False,
                "conference": {
                    "type": "object", "additionalProperties": False,
                    "required": ["title", "acronym", "days", "daysCount", "start", "end",
                                 "timeslot_duration"],
                    "properties": {
                        "acronym": {"type": "string",
                                    "pattern": "^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$"},
                        "title": {"type": "string"},
                        "start": {"type": "string"}, "end": {"type": "string"},
                        "daysCount": {"type": "integer"},
                        "timeslot_duration": {"type": "string"},
                        "time_zone_name": {"type": "string",
                                           "pattern": "^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$"},
                        "url": {"type": "string", "format": "uri"},
                        "tracks": {"type": "array", "items": {
                            "type": "object",
                            "properties": {"name": {"type": "string"},
                                           "slug": {"type": "string",
                                                    "pattern": "^[a-z0-9_-]+[a-z0-9]$"},
                                           "color": {"type": "string"}}}},
                        "rooms": {"type": "array", "items": _HALL},
                        "days": {"type": "array", "items": _DAY},
                    },
                },
            },
        },
    },
}
