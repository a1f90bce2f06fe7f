from tests.factories import payload


def test_register_and_view(client, event):
    r = client.post(f"/api/v1/events/{event.slug}/registrations", json=payload())
    assert r.status_code == 201, r.json
    token = r.json["manage_token"]
    assert r.json["status"] == "confirmed"
    me = client.get("/api/v1/registrations/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["last_name"] == "Nurlanqyzy"
