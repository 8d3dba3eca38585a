"""The security baseline: headers on every kind of answer, CSRF, cookies."""

import pytest

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _assert_security_headers(response):
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "Permissions-Policy" in response.headers


@pytest.mark.parametrize(
    "url", ["/", "/healthz", "/static/css/site.css", "/no-such-page", "/staff/login", "/staff/"]
)
def test_every_kind_of_response_carries_the_security_headers(client, url):
    _assert_security_headers(client.get(url))


def test_a_post_without_a_csrf_token_is_refused_with_400(client):
    response = client.post("/staff/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "无法处理该请求" in response.get_data(as_text=True)


def test_a_post_with_a_wrong_csrf_token_is_refused_with_400(client):
    response = client.post(
        "/staff/login", data={"username": "a", "password": "b", "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.get("/?lang=en")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
