"""GET/POST /api/v1/markers: read positions per timeline, versions, conflicts and scopes."""

import re

import pytest

from timelines.models import Marker
from timelines.services.markers import MarkerConflict, do_set_markers, save_position

OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}


def test_save_and_read_positions(alice, bob, http_for, api_for) -> None:
    client = http_for(alice)
    assert client.get("/api/v1/markers").json() == {}
    created = client.post("/api/v1/markers", data={"home[last_read_id]": "103194548672408537"})
    assert created.status_code == 200
    home = created.json()["home"]
    assert set(created.json()) == {"home"}
    assert home["last_read_id"] == "103194548672408537" and home["version"] == 0
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", home["updated_at"])
    moved = client.post(
        "/api/v1/markers",
        json={"home": {"last_read_id": "103194548672408999"}, "notifications": {"last_read_id": 5}},
    ).json()
    assert moved["home"]["version"] == 1 and moved["notifications"]["version"] == 0
    unchanged = client.post("/api/v1/markers", data={"home[last_read_id]": "103194548672408999"})
    assert unchanged.json()["home"]["version"] == 1
    both = client.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").json()
    assert both["home"]["last_read_id"] == "103194548672408999"
    assert both["notifications"] == moved["notifications"]
    assert set(client.get("/api/v1/markers?timeline[]=notifications").json()) == {"notifications"}
    assert http_for(bob).get("/api/v1/markers?timeline[]=home").json() == {}
    read = api_for(alice).markers_get(["home"])
    assert read.home.last_read_id == "103194548672408999"


def test_bad_positions_change_nothing(alice, http_for) -> None:
    client = http_for(alice)
    client.post("/api/v1/markers", data={"home[last_read_id]": "10"})
    for body in ({"home[last_read_id]": "abc"}, {"home[last_read_id]": ""}):
        response = client.post("/api/v1/markers", data=body)
        assert response.status_code == 422
        assert response.json() == {"error": "Validation failed: Last read can't be blank"}
    assert Marker.objects.get(account=alice.account).last_read_id == 10
    ignored = client.post("/api/v1/markers", data={"public[last_read_id]": "5"})
    assert ignored.status_code == 200 and ignored.json() == {}


def test_a_stale_write_is_a_conflict(alice) -> None:
    do_set_markers(account=alice.account, positions={"home": 10})
    stale = Marker.objects.get(account=alice.account)
    do_set_markers(account=alice.account, positions={"home": 20})
    with pytest.raises(MarkerConflict):
        save_position(stale, 30)
    marker = Marker.objects.get(account=alice.account)
    assert (marker.last_read_id, marker.version) == (20, 1)


def test_scopes(alice, http_for) -> None:
    client = http_for(alice, scope="read:notifications")
    response = client.get("/api/v1/markers?timeline[]=home")
    assert response.status_code == 403 and response.json() == OUT_OF_SCOPE
    reader = http_for(alice, scope="read:statuses")
    assert reader.get("/api/v1/markers").status_code == 200
    refused = reader.post("/api/v1/markers", data={"home[last_read_id]": "10"})
    assert refused.status_code == 403 and refused.json() == OUT_OF_SCOPE
    assert not Marker.objects.exists()
