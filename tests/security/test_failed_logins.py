"""A failed login keeps the name typed only when it names an account, and not for ever."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import create_user
from tests.security.database_scan import where_found
from webapp.common.audit import AuditEntry, record_audit
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.staff.services import LoginRefused, authenticate

# What a hurried officer types into the name field: the password.
PASSWORD_AS_NAME = "Qiu-Shui-2026!"


def _failures() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    return db.session.execute(
        select(AuditEntry.actor_name, AuditEntry.ip, AuditEntry.detail)
        .where(AuditEntry.action == "login.failure")
        .order_by(AuditEntry.id)
    ).all()


def _log_in(client_request, username: str, password: str) -> None:
    client_request.post(
        "/staff/login", {"username": username, "password": password}, expected_status=200
    )


def test_a_name_that_is_no_account_is_not_stored(client_request, app_context):
    create_user(username="wang")

    _log_in(client_request, PASSWORD_AS_NAME, "anything-at-all")
    _log_in(client_request, "13912345678", "anything-at-all")

    assert [name for name, _, _ in _failures()] == ["(unknown)", "(unknown)"]
    assert where_found({"password": PASSWORD_AS_NAME, "phone": "13912345678"}) == []


def test_a_name_that_is_an_account_is_stored_as_the_accounts_name(client_request, app_context):
    user = create_user(username="wang")

    _log_in(client_request, " WANG ", "wrong-password-1")

    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failure"))
    assert (entry.actor_name, entry.actor_id) == ("wang", user.id)


def test_the_service_refuses_an_unknown_name_without_keeping_it(app_context):
    with pytest.raises(LoginRefused):
        authenticate(PASSWORD_AS_NAME, "x", ip="198.51.100.9")

    assert _failures() == [("(unknown)", "198.51.100.9", "unknown user")]


def test_old_failed_logins_lose_the_name_typed_and_the_address(runner, app_context):
    user = create_user(username="wang")
    long_ago = utcnow() - timedelta(days=400)
    # Written before names were checked: a password typed as the name.
    old_unknown = record_audit(
        "login.failure", actor_name=PASSWORD_AS_NAME, ip="198.51.100.7", detail="unknown user"
    )
    old_wrong = record_audit(
        "login.failure", actor=user, ip="198.51.100.8", detail="wrong password (1)"
    )
    old_unknown.created_at = old_wrong.created_at = long_ago
    record_audit("login.failure", actor=user, ip="198.51.100.9", detail="wrong password (2)")
    old_success = record_audit("login.success", actor=user, ip="198.51.100.10")
    old_success.created_at = long_ago
    db.session.commit()
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))

    result = runner.invoke(args=["retention", "apply"])

    assert "audit log: 2 anonymised" in result.output
    assert _failures() == [
        ("", "", "unknown user"),
        ("", "", "wrong password (1)"),
        ("wang", "198.51.100.9", "wrong password (2)"),
    ]
    assert where_found({"password": PASSWORD_AS_NAME}) == []
    # Nothing is deleted; the account of an old failure is still known, and other
    # acts keep who did them and from where.
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == count
    assert (
        db.session.scalar(
            select(func.count()).where(
                AuditEntry.action == "login.failure", AuditEntry.actor_id == user.id
            )
        )
        == 2
    )
    db.session.refresh(old_success)
    assert (old_success.actor_name, old_success.ip) == ("wang", "198.51.100.10")
    assert "audit log: 0 anonymised" in runner.invoke(args=["retention", "apply"]).output
