"""discovery.json, services.json and services/<code>.json, and the answers to other formats."""

import pytest

from webapp.hazards.categories import Category

BASE = "/open311/v2"


def test_discovery_names_the_specification_the_endpoint_and_json_only(client):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(document)
    assert document["changeset"].endswith("+08:00")
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://localhost/open311/v2"
    assert endpoint["formats"] == ["application/json"]
    assert endpoint["type"] == "production"
    assert "page_size" in endpoint["paging"]


def test_services_are_the_hazard_categories_with_the_georeport_fields(client):
    services = client.get(f"{BASE}/services.json?lang=en").get_json()
    assert [service["service_code"] for service in services] == [c.value for c in Category]
    guardrail = services[0]
    assert guardrail == {
        "service_code": "guardrail",
        "service_name": "Damaged guardrail",
        "description": "Guardrails that are bent, broken or missing.",
        "metadata": False,
        "type": "realtime",
        "keywords": "guardrail, Damaged guardrail",
        "group": "road hazards",
    }


def test_services_are_named_in_chinese_by_default_and_by_accept_language(client):
    services = client.get(f"{BASE}/services.json").get_json()
    assert services[0]["service_name"] == "护栏损坏"
    english = client.get(f"{BASE}/services.json", headers={"Accept-Language": "en"}).get_json()
    assert english[0]["service_name"] == "Damaged guardrail"


def test_a_service_definition_has_no_attributes(client):
    response = client.get(f"{BASE}/services/signal.json")
    assert response.status_code == 200
    assert response.get_json() == {"service_code": "signal", "attributes": []}


def test_an_unknown_service_is_a_404_in_the_error_format(client):
    response = client.get(f"{BASE}/services/volcano.json?lang=en")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json() == [
        {"code": 404, "description": "There is no service with the code volcano."}
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/discovery.xml"),
        ("GET", "/services.xml"),
        ("GET", "/services/signal.xml"),
        ("GET", "/requests.xml"),
        ("POST", "/requests.xml"),
        ("GET", "/requests/H20261127-ABCDEF.xml"),
    ],
)
def test_xml_is_answered_400_saying_only_json_is_supported(client, method, path):
    response = client.open(f"{BASE}{path}?lang=en", method=method)
    assert response.status_code == 400
    (error,) = response.get_json()
    assert error["code"] == 400
    assert "Only JSON is supported" in error["description"]


def test_an_unknown_address_under_the_api_is_a_json_404(client):
    response = client.get(f"{BASE}/nothing-here.json")
    assert response.status_code == 404
    assert response.get_json()[0]["code"] == 404
