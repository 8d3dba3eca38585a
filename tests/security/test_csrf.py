"""Every POST route refuses a request without a CSRF token, before doing anything."""

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.hazards.conftest import valid_report_data
from tests.security.conftest import build_url
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.staff.roles import Role

# The Open311 API is for machines: no cookie session, each call carries its API key,
# so it is exempt from CSRF by design (and refuses a call without a valid key, below).
MACHINE_API = "/open311/"


def _post_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith(MACHINE_API)
    ]


def test_there_are_post_routes_in_every_area(app):
    urls = [rule.rule for rule in _post_rules(app)]
    for prefix in ("/staff/", "/training/", "/appointments/", "/staff/appointments/"):
        assert any(url.startswith(prefix) for url in urls), prefix


@pytest.mark.parametrize("as_admin", [False, True], ids=["anonymous", "admin"])
def test_every_post_without_a_csrf_token_is_refused_with_400(
    app, client, client_for, world, as_admin
):
    client = client_for(Role.ADMIN) if as_admin else client
    values = world.url_values()
    for rule in _post_rules(app):
        url = build_url(rule, values)
        for data in ({}, {"csrf_token": "forged"}):
            response = client.post(url, data=data)
            assert response.status_code == 400, f"POST {url} {data}: {response.status_code}"
    # The admin's session survived all of that: nothing (not even logout) ran.
    if as_admin:
        assert client.get("/staff/accounts/").status_code == 200


def test_the_machine_api_refuses_a_post_without_a_valid_key(app, client, world):
    before = db.session.scalar(select(func.count()).select_from(HazardReport))
    for data in ({}, {"api_key": "guessed"}):
        response = client.post(
            "/open311/v2/requests.json",
            data={**data, "service_code": "guardrail", "description": "护栏坏了，很危险。"},
        )
        assert 400 <= response.status_code < 500, response.status_code
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(HazardReport)) == before


def test_a_form_shown_again_with_its_errors_carries_a_token_the_next_post_is_accepted_with(
    client,
):
    def token_on(html: str) -> str:
        field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
        assert field is not None and field["value"]
        return field["value"]

    first = token_on(client.get("/hazards/new?danger=no").get_data(as_text=True))
    refused = client.post(
        "/hazards/new", data={**valid_report_data(location=""), "csrf_token": first}
    )
    assert refused.status_code == 200
    again = token_on(refused.get_data(as_text=True))
    accepted = client.post("/hazards/new", data={**valid_report_data(), "csrf_token": again})
    assert accepted.status_code == 302
    assert "/received" in accepted.headers["Location"]
