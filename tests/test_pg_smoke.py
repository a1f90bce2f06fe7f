import pytest

from forum.extensions import db
from tests import factories


@pytest.mark.postgres
def test_registration_on_both_backends(any_app):
    client = any_app.test_client()
    event = factories.make_event(db.session, slug="digital-bridge")
    db.session.commit()
    r = client.post(f"/api/v1/events/{event.slug}/registrations",
                    json=factories.payload(first_name="Әлия", last_name="Қасымова"))
    assert r.status_code == 201, r.json
    me = client.get("/api/v1/registrations/me",
                    headers={"Authorization": f"Bearer {r.json['manage_token']}"})
    assert me.json["first_name"] == "Әлия"
    assert me.json["created_at"].endswith("+00:00")
