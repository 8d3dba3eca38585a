"""Every route from the URL map, asked anonymously, by each role, and for foreign objects."""

import pytest

from tests.security.conftest import (
    BOOKING_NAME,
    COMPANY_NAME,
    REPORTER_NAME,
    build_url,
    csrf_token,
    may_open,
    staff_rules,
)
from webapp.staff.roles import Role


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_answers_an_anonymous_visitor_without_a_server_error(app, client, world):
    values = world.url_values()
    for rule in app.url_map.iter_rules():
        url = build_url(rule, values)
        response = client.get(url) if "GET" in rule.methods else client.post(url)
        assert response.status_code < 500, f"{rule.rule}: {response.status_code}"


def test_no_staff_page_is_reached_anonymously_even_with_a_csrf_token(app, client, world):
    values, token = world.url_values(), csrf_token(app, client)
    for rule in staff_rules(app):
        url = build_url(rule, values)
        for method in _methods(rule):
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/staff/login"), f"{method} {url}"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_every_staff_page_that_does_not_name_it(app, client_for, world, role):
    client, values = client_for(role), world.url_values()
    token = csrf_token(app, client)
    refused = 0
    for rule in staff_rules(app):
        url = build_url(rule, values)
        if may_open(app, rule, role):
            if "GET" in rule.methods:
                assert client.get(url).status_code in (200, 302), url
            continue
        for method in _methods(rule):
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 403, f"{role}: {method} {url}"
            refused += 1
    assert (refused > 0) == (role != Role.ADMIN)


# (URL pattern of a feature's object, the role that owns it, a text only that object shows)
FEATURE_OBJECTS = [
    ("/staff/appointments/bookings/{booking_id}", Role.BOOKING_CLERK, BOOKING_NAME),
    ("/staff/appointments/sessions/{session_id}", Role.BOOKING_CLERK, BOOKING_NAME),
    ("/staff/appointments/sessions/{session_id}/roster.csv", Role.BOOKING_CLERK, BOOKING_NAME),
    ("/staff/training/{request_id}", Role.EDUCATION_OFFICER, COMPANY_NAME),
    ("/staff/hazards/{reference}", Role.HAZARD_OFFICER, REPORTER_NAME),
    ("/staff/hazards/{reference}/letter", Role.HAZARD_OFFICER, "北大街邮局门前"),
    ("/staff/hazards/{reference}/photos/{position}", Role.HAZARD_OFFICER, ""),
]


@pytest.mark.parametrize(("pattern", "owner", "secret"), FEATURE_OBJECTS)
def test_a_feature_object_is_shown_to_its_own_role_only(client_for, world, pattern, owner, secret):
    url = pattern.format(**world.url_values())
    own = client_for(owner).get(url)
    assert own.status_code == 200 and secret.encode() in own.data
    for role in set(Role) - {owner, Role.ADMIN}:
        response = client_for(role).get(url)
        assert response.status_code == 403, f"{role} opened {url}"
        assert response.mimetype == "text/html"
        assert not secret or secret not in response.get_data(as_text=True)


SECRETS = {
    Role.BOOKING_CLERK: BOOKING_NAME,
    Role.EDUCATION_OFFICER: COMPANY_NAME,
    Role.HAZARD_OFFICER: "北大街邮局门前",
}


@pytest.mark.parametrize("role", list(SECRETS))
def test_the_shared_inbox_and_its_export_hide_other_roles_objects(client_for, world, role):
    client = client_for(role)
    for url in ("/staff/", "/staff/inbox.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for other, secret in SECRETS.items():
            if other != role:
                assert secret not in body, f"{role} sees {other}'s object on {url}"


def test_the_admins_inbox_export_lists_every_features_objects(client_for, world):
    response = client_for(Role.ADMIN).get("/staff/inbox.csv")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for reference in (world.training.reference, world.hazard.reference):
        assert reference in body
