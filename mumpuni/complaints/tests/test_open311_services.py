"""Open311 GeoReport v2: service list, service definitions, discovery, and the errors every endpoint shares
(404 unknown service or jurisdiction or path, 405 wrong method), in JSON and XML."""

from __future__ import annotations

import json
from xml.etree.ElementTree import fromstring

from django.test import override_settings
from django.urls import reverse

from mumpuni.complaints.models import Complaint
from mumpuni.complaints.open311.catalogue import SERVICES
from mumpuni.queueing.tests.points_fixtures import setup_points
from mumpuni.testing import BaseTestCase

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}


def xml(response):  # our own generated XML, parsed in tests only
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return fromstring(response.content)


def assert_error(test, response, status, fmt="json", contains=""):
    test.assertEqual(response.status_code, status)
    if fmt == "json":
        test.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        body = json.loads(response.content)
        test.assertIsInstance(body, list)
        test.assertEqual(body[0]["code"], status)
        text = " ".join(item["description"] for item in body)
    else:
        root = xml(response)
        test.assertEqual(root.tag, "errors")
        error = root.find("error")
        test.assertEqual(error.findtext("code"), str(status))
        text = " ".join(e.findtext("description") for e in root.findall("error"))
    test.assertIn(contains, text)
    return text


class ServiceListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        setup_points(cls)

    def test_it_lists_every_complaint_category_as_a_service_in_json(self):
        response = self.client.get("/open311/v2/services.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        services = response.json()
        self.assertEqual({s["service_code"] for s in services}, set(Complaint.Category.values))
        for service in services:
            self.assertEqual(set(service), SERVICE_FIELDS)
            self.assertEqual(service["type"], "realtime")
        waiting = next(s for s in services if s["service_code"] == "waktu_tunggu")
        self.assertEqual(waiting["service_name"], "Waktu tunggu")
        self.assertIs(waiting["metadata"], True)
        self.assertIn("antrean", waiting["keywords"])

    def test_it_lists_services_in_xml(self):
        response = self.client.get("/open311/v2/services.xml")
        self.assertEqual(response.status_code, 200)
        root = xml(response)
        self.assertEqual(root.tag, "services")
        services = root.findall("service")
        self.assertEqual(len(services), len(Complaint.Category.values))
        for service in services:
            self.assertEqual({child.tag for child in service}, SERVICE_FIELDS)
        waiting = next(s for s in services if s.findtext("service_code") == "waktu_tunggu")
        self.assertEqual(waiting.findtext("metadata"), "true")
        self.assertEqual(waiting.findtext("group"), "Pelayanan di tempat layanan")

    def test_it_accepts_our_jurisdiction_and_refuses_others(self):
        ok = self.client.get("/open311/v2/services.json", {"jurisdiction_id": "semarangkota.go.id"})
        self.assertEqual(ok.status_code, 200)
        wrong = self.client.get("/open311/v2/services.xml", {"jurisdiction_id": "sf.gov"})
        assert_error(self, wrong, 404, "xml", "sf.gov")

    @override_settings(MUMPUNI_OPEN311_JURISDICTION_ID="kota.example.id")
    def test_the_jurisdiction_is_a_setting(self):
        response = self.client.get("/open311/v2/services.json", {"jurisdiction_id": "semarangkota.go.id"})
        assert_error(self, response, 404, "json", "kota.example.id")

    def test_it_refuses_other_methods_with_405(self):
        response = self.client.post("/open311/v2/services.json")
        assert_error(self, response, 405, "json", "POST")
        self.assertIn("GET", response["Allow"])
        response = self.client.delete("/open311/v2/requests.xml")
        assert_error(self, response, 405, "xml", "DELETE")
        self.assertEqual(response["Allow"], "GET, HEAD, POST")

    def test_unknown_paths_are_404_in_the_spec_format(self):
        assert_error(self, self.client.get("/open311/v2/nothing.json"), 404, "json")
        assert_error(self, self.client.get("/open311/v2/services.yaml.xml"), 404, "xml")
        assert_error(self, self.client.get("/open311/v2/services.csv"), 404, "json")


class ServiceDefinitionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        setup_points(cls)

    def test_every_service_has_a_definition(self):
        for code in Complaint.Category.values:
            response = self.client.get(f"/open311/v2/services/{code}.json")
            self.assertEqual(response.status_code, 200, code)
            self.assertEqual(response.json()["service_code"], code)
        self.assertEqual(set(SERVICES), set(Complaint.Category.values))

    def test_waiting_time_requires_kind_and_point_in_json(self):
        response = self.client.get(reverse("open311:service_definition", args=["waktu_tunggu", "json"]))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        attributes = {a["code"]: a for a in body["attributes"]}
        self.assertEqual(
            list(attributes), ["kind", "point", "service", "ticket_number", "ticket_date", "identity"]
        )
        for attribute in body["attributes"]:
            self.assertTrue(set(attribute) >= ATTRIBUTE_FIELDS)
            self.assertIs(attribute["variable"], True)
        self.assertIs(attributes["point"]["required"], True)
        self.assertIs(attributes["kind"]["required"], True)
        self.assertIs(attributes["ticket_number"]["required"], False)
        self.assertEqual(attributes["point"]["datatype"], "singlevaluelist")
        self.assertEqual(
            attributes["point"]["values"],
            [
                {"key": "33.74.10", "name": "Kecamatan Tembalang"},
                {"key": "33.74.11", "name": "Kecamatan Banyumanik"},
            ],
        )
        self.assertEqual(
            [v["key"] for v in attributes["kind"]["values"]], ["pengaduan", "aspirasi", "informasi"]
        )
        self.assertEqual(attributes["ticket_number"]["datatype"], "string")
        self.assertNotIn("values", attributes["ticket_number"])
        self.assertEqual([a["order"] for a in body["attributes"]], [1, 2, 3, 4, 5, 6])

    def test_a_definition_in_xml_uses_the_spec_elements(self):
        response = self.client.get("/open311/v2/services/perilaku.xml")
        root = xml(response)
        self.assertEqual(root.tag, "service_definition")
        self.assertEqual(root.findtext("service_code"), "perilaku")
        attributes = root.find("attributes").findall("attribute")
        point = next(a for a in attributes if a.findtext("code") == "point")
        self.assertEqual(point.findtext("required"), "true")
        self.assertEqual(point.findtext("variable"), "true")
        self.assertEqual(point.findtext("datatype"), "singlevaluelist")
        values = point.find("values").findall("value")
        self.assertEqual(values[0].findtext("key"), "33.74.10")
        self.assertEqual(values[0].findtext("name"), "Kecamatan Tembalang")

    def test_inactive_points_are_not_offered(self):
        self.other_point.active = False
        self.other_point.save(update_fields=["active"])
        body = self.client.get("/open311/v2/services/waktu_tunggu.json").json()
        point = next(a for a in body["attributes"] if a["code"] == "point")
        self.assertEqual([v["key"] for v in point["values"]], ["33.74.10"])

    def test_other_services_have_optional_attributes_only(self):
        for code in ("kualitas", "lainnya"):
            body = self.client.get(f"/open311/v2/services/{code}.json").json()
            self.assertTrue(body["attributes"])
            self.assertFalse(any(a["required"] for a in body["attributes"]), code)

    def test_an_unknown_service_is_404(self):
        assert_error(
            self, self.client.get("/open311/v2/services/jalan_rusak.json"), 404, "json", "jalan_rusak"
        )
        assert_error(self, self.client.get("/open311/v2/services/jalan_rusak.xml"), 404, "xml", "jalan_rusak")


class DiscoveryTests(BaseTestCase):
    def test_it_describes_the_v2_endpoint_in_json(self):
        response = self.client.get("/open311/discovery.json")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(set(body), {"changeset", "contact", "key_service", "endpoints"})
        self.assertIn("+07:00", body["changeset"])
        (endpoint,) = body["endpoints"]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertEqual(endpoint["url"], "http://testserver/open311/v2/")
        self.assertEqual(endpoint["type"], "production")
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])
        self.assertIn("create_api_key", body["key_service"])

    def test_it_describes_the_v2_endpoint_in_xml(self):
        root = xml(self.client.get("/open311/discovery.xml"))
        self.assertEqual(root.tag, "discovery")
        endpoint = root.find("endpoints").find("endpoint")
        self.assertEqual(endpoint.findtext("url"), "http://testserver/open311/v2/")
        self.assertEqual(
            [f.text for f in endpoint.find("formats").findall("format")], ["text/xml", "application/json"]
        )

    def test_the_v2_base_answers_with_the_discovery_document(self):
        response = self.client.get("/open311/v2/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["endpoints"][0]["url"], "http://testserver/open311/v2/")
