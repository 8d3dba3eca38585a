"""Deactivating an account says what it does, and does nothing until confirmed."""

from tests.factories import create_user
from tests.pages import text_of
from tests.staff.reauth import confirm_password
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role

EN = {"Accept-Language": "en"}


def test_deactivating_an_account_is_confirmed_first(client_request, login_as):
    login_as(Role.ADMIN)
    confirm_password(client_request)
    officer = create_user(roles=[Role.HAZARD_OFFICER], display_name="王警官")
    url = f"/staff/accounts/{officer.id}/active"
    page = client_request.post(url, {"active": "0"}, headers=EN)
    assert text_of(page.select_one("h1")) == f"Deactivate the account {officer.username}?"
    assert "王警官" in text_of(page.select_one("dl.summary"))
    assert "logged out everywhere" in text_of(page.select_one(".notice-warning"))
    db.session.rollback()
    assert db.session.get(User, officer.id).active

    client_request.post(url, {"active": "0", "confirmed": "1"}, expected_status=302)
    db.session.rollback()
    assert not db.session.get(User, officer.id).active
    # Reactivating takes nothing away: it needs no confirmation.
    client_request.post(url, {"active": "1"}, expected_status=302)
    db.session.rollback()
    assert db.session.get(User, officer.id).active
