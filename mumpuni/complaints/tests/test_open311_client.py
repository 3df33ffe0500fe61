"""A real Open311 client from PyPI (`georeport`) against our endpoint on pytest-django's live server, in JSON
and XML: service list, service definition, create (POST), then the request by id and in the list.

georeport 0.3.1 (the newest release) only reads; it has no create method. The POST is therefore made with
`requests` — the HTTP library georeport itself uses — form-encoded exactly as the spec describes, and the XML
answer is parsed with xmltodict as georeport parses its own. The live server runs in another thread on a
transactional database, so the Celery task runs eagerly on commit and the POST answers with the id.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
import xmltodict
from georeport import GeoReport

from mumpuni.complaints.models import Complaint
from mumpuni.complaints.tests.test_open311_requests import DESCRIPTION, EMAIL, PHONE, make_key
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import Cast, create_cast

JURISDICTION = "semarangkota.go.id"


@pytest.fixture
def city(transactional_db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # never route the live server through a proxy
    cast = Cast()
    create_cast(cast)
    setup_points(cast)
    _record, cast.key = make_key(unit=cast.city)
    return cast


def create_request(base: str, fmt: str, key: str, **fields: str) -> dict[str, Any]:
    data = {"jurisdiction_id": JURISDICTION, "api_key": key, **fields}
    response = requests.post(f"{base}/requests.{fmt}", data=data, timeout=30)
    assert response.status_code == 200, response.text
    if fmt == "json":
        (item,) = response.json()
        return item
    return xmltodict.parse(response.content)["service_requests"]["request"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_and_writes_our_endpoint(live_server: Any, city: Any, fmt: str) -> None:
    base = f"{live_server.url}/open311/v2"
    client = GeoReport(base, jurisdiction=JURISDICTION, api_key=city.key, output_format=fmt)

    services = client.get_service_list()
    codes = [service["service_code"] for service in services]
    assert sorted(codes) == sorted(Complaint.Category.values)
    waiting = next(service for service in services if service["service_code"] == "waktu_tunggu")
    assert str(waiting["metadata"]).lower() == "true"

    definition = client.get_service_definition("waktu_tunggu")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    point = next(attribute for attribute in attributes if attribute["code"] == "point")
    assert str(point["required"]).lower() == "true"
    values = point["values"] if fmt == "json" else point["values"]["value"]
    assert values[0]["key"] == "33.74.10"

    created = create_request(
        base,
        fmt,
        city.key,
        service_code="waktu_tunggu",
        lat="-7.0512345",
        long="110.4412345",
        description=DESCRIPTION,
        first_name="Sulastri",
        last_name="Wibowo",
        email=EMAIL,
        phone=PHONE,
        **{"attribute[kind]": "pengaduan", "attribute[point]": values[0]["key"]},
    )
    assert created["token"]
    complaint = Complaint.objects.get()
    assert created["service_request_id"] == complaint.tracking_code
    assert complaint.source == Complaint.Source.OPEN311
    assert complaint.name == "Sulastri Wibowo"

    one = client.get_service_request(complaint.tracking_code)
    assert one["service_request_id"] == complaint.tracking_code
    assert one["status"] == "open"
    assert one["service_code"] == "waktu_tunggu"
    assert one["requested_datetime"].endswith("+07:00")
    assert str(one["lat"]) == "-7.051"
    assert "Sulastri" not in str(one) and EMAIL not in str(one) and PHONE not in str(one)

    # Not listed before the desk verifies it (the lookup by id above works at once).
    if fmt == "json":
        assert client.get_service_requests(service_code="waktu_tunggu") == []
    Complaint.objects.filter(pk=complaint.pk).update(status=Complaint.Status.VERIFIED)
    listed = client.get_service_requests(service_code="waktu_tunggu", status="open")
    rows = [listed] if isinstance(listed, dict) else listed  # xmltodict gives a dict for a single element
    assert [row["service_request_id"] for row in rows] == [complaint.tracking_code]
    by_id = client.get_service_requests(service_request_id=complaint.tracking_code)
    rows = [by_id] if isinstance(by_id, dict) else by_id
    assert rows[0]["service_request_id"] == complaint.tracking_code

    if fmt == "json":  # georeport cannot read an empty XML list (<service_requests />): it indexes None
        assert client.get_service_requests(status="closed") == []


def test_the_client_sees_spec_errors(live_server: Any, city: Any) -> None:
    client = GeoReport(f"{live_server.url}/open311/v2", output_format="json")
    with pytest.raises(requests.HTTPError) as caught:
        client.get_service_request("ADU-AAAA-AAAA")
    assert caught.value.response.status_code == 404
    assert caught.value.response.json()[0]["code"] == 404
    response = requests.post(
        f"{live_server.url}/open311/v2/requests.xml",
        data={"api_key": "mpn_salah", "service_code": "waktu_tunggu"},
        timeout=30,
    )
    assert response.status_code == 403
    assert xmltodict.parse(response.content)["errors"]["error"]["code"] == "403"
