"""API keys in the back office: admins issue (token shown once, only its hash kept) and revoke."""

import hashlib

import pytest
from sqlalchemy import select

from tests.factories import create_api_key
from tests.open311.conftest import post_data
from tests.pages import text_of
from tests.staff.reauth import confirm_password
from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.open311.models import ApiKey
from webapp.staff.roles import Role

URL = "/open311/v2/requests.json"


def _issue(client_request, name="城市数字化管理平台") -> str:
    page = client_request.post("/staff/open311/keys/new", {"name": name})
    return page.select_one("[data-token]").get_text(strip=True)


def _audit(action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_every_key_screen_is_for_admins_only(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("open311_staff.")]
    assert len(rules) == 3
    for rule in rules:
        assert app.view_functions[rule.endpoint].required_roles == {Role.ADMIN}


@pytest.mark.parametrize("role", [Role.HAZARD_OFFICER, Role.BOOKING_CLERK])
@pytest.mark.parametrize("url", ["/staff/open311/keys/", "/staff/open311/keys/new"])
def test_other_roles_cannot_open_the_key_screens(client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/staff/open311/keys/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_an_issued_token_is_shown_once_and_only_its_hash_is_stored(
    client, client_request, login_as
):
    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    token = _issue(client_request)
    assert len(token) >= 40
    db.session.rollback()
    key = db.session.scalar(select(ApiKey))
    assert key.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert key.created_by_id == admin.id
    stored = [str(value) for value in db.session.execute(select(ApiKey.__table__)).one()]
    assert token not in stored
    listing = client_request.get("/staff/open311/keys/")
    assert token not in str(listing)
    assert "城市数字化管理平台" in text_of(listing)
    (entry,) = _audit("open311.key_issue")
    key = db.session.scalar(select(ApiKey))
    assert (entry.actor_id, entry.target, entry.detail) == (
        admin.id,
        f"open311_key:{key.id}",
        "城市数字化管理平台",
    )


def test_the_issued_token_works_for_posting(client, client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    token = _issue(client_request)
    assert client.post(URL, data=post_data(token)).status_code == 201
    assert "Never" not in text_of(client_request.get("/staff/open311/keys/?lang=en"))


def test_the_page_showing_a_token_is_never_cached(client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    response = client_request.client.post(
        "/staff/open311/keys/new",
        data={"name": "合作方", "csrf_token": client_request.csrf_token()},
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_a_key_without_a_partner_name_is_answered_on_the_form(client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    page = client_request.post("/staff/open311/keys/new?lang=en", {"name": " "})
    assert "Enter the partner's name" in text_of(page)
    db.session.rollback()
    assert db.session.scalar(select(ApiKey)) is None


def test_a_revoked_key_is_refused_and_the_revocation_audited(client, client_request, login_as):
    admin = login_as(Role.ADMIN)
    confirm_password(client_request)
    key, token = create_api_key(name="旧平台")
    client_request.post(f"/staff/open311/keys/{key.id}/revoke", expected_status=302)
    (entry,) = _audit("open311.key_revoke")
    assert (entry.actor_id, entry.target, entry.detail) == (
        admin.id,
        f"open311_key:{key.id}",
        "旧平台",
    )
    assert db.session.get(ApiKey, key.id).revoked_at is not None
    response = client.post(URL, data=post_data(token))
    assert response.status_code == 403
    page = client_request.get("/staff/open311/keys/?lang=en")
    assert "Revoked on" in text_of(page)
    assert page.select("form[action$='/revoke']") == []


def test_revoking_twice_writes_one_audit_row(client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    key, _token = create_api_key()
    for _ in range(2):
        client_request.post(f"/staff/open311/keys/{key.id}/revoke", expected_status=302)
    assert len(_audit("open311.key_revoke")) == 1


def test_revoking_an_unknown_key_is_a_404(client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    client_request.post("/staff/open311/keys/999/revoke", expected_status=404)
