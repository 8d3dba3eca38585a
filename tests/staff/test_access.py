"""Convention tests over the URL map: every staff URL is guarded and names its roles."""

import pytest

from webapp.staff.access import PUBLIC_STAFF_ENDPOINTS


def _staff_rules(app):
    # Features' staff blueprints (/staff/FEATURE) have their own endpoint prefixes.
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/")]


def _example_url(rule) -> str:
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument].__class__.__name__
        values[argument] = 1 if converter == "IntegerConverter" else "X"
    return rule.build(values)[1]


def test_there_are_staff_routes_to_check(app):
    assert len(_staff_rules(app)) >= 3


def test_every_staff_url_sends_an_anonymous_user_to_the_login_page(app, client):
    for rule in _staff_rules(app):
        if rule.endpoint in PUBLIC_STAFF_ENDPOINTS:
            continue
        url = _example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "POST" and response.status_code == 400:
                continue  # refused for lack of a CSRF token before reaching the view
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/staff/login"), f"{method} {url}"


def test_every_staff_view_names_its_roles(app):
    for rule in _staff_rules(app):
        if rule.endpoint in PUBLIC_STAFF_ENDPOINTS:
            continue
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "required_roles"), f"{rule.endpoint} has no @requires_role"


@pytest.mark.parametrize("path", ["/staff/", "/staff/login"])
def test_staff_pages_answer(client, path):
    assert client.get(path).status_code in (200, 302)
