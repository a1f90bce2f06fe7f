"""From paper to the door: a badge PDF, read back from its pixels, at the check-in API."""

from __future__ import annotations

import io

from PIL import Image

from ..auth import staff_headers
from ..checkin.conftest import gates, scan, scanner  # noqa: F401  (fixtures)
from ..factories import payload
from .helpers import decode_image, render_page

EVENT = "/api/v1/events/digital-bridge"


def test_printed_badge_is_admitted_once_and_reissue_revokes_it(
        client, session, event, scanner):  # noqa: F811  (the check-in fixture)
    r = client.post(f"{EVENT}/registrations", json=payload(first_name="Ержан"))
    headers = {"Authorization": f"Bearer {r.get_json()['manage_token']}"}
    public_id = r.get_json()["id"]
    pdf = client.get("/api/v1/registrations/me/badge.pdf", headers=headers).data
    [code] = decode_image(render_page(pdf))

    entrance, vip = scanner("main-entrance"), scanner("vip-lounge")
    first = scan(client, entrance, code).get_json()
    assert first["status"] == "ok" and first["participant"]["display_name"].startswith("Ержан")
    second = scan(client, entrance, code).get_json()
    assert second["status"] == "already_checked_in" and second["first_checkin"]["at"]
    refused = scan(client, vip, code, gate="vip-lounge")
    assert refused.get_json()["status"] == "not_allowed", refused.get_json()

    org = staff_headers(session, event=event)
    assert client.post(f"{EVENT}/participants/{public_id}/badge/reissue",
                       json={"reason": "lost"}, headers=org).status_code == 201
    plenary = scanner("plenary-door")
    assert scan(client, plenary, code, gate="plenary-door").get_json()["status"] == "revoked"
    png = client.get("/api/v1/registrations/me/qr.png", headers=headers).data
    [new_code] = decode_image(Image.open(io.BytesIO(png)))
    assert scan(client, plenary, new_code, gate="plenary-door").get_json()["status"] == "ok"
