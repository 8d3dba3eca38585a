from sqlalchemy import select

from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.staff.models import User


def test_the_first_admin_is_created_from_the_command_line(runner, app_context):
    result = runner.invoke(
        args=["users", "create", "chief", "--role", "admin", "--password-stdin"],
        input="a-long-good-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "chief"))
    assert user.is_admin and user.check_password("a-long-good-passphrase")
    assert db.session.scalar(select(AuditEntry.action)) == "user.create"


def test_a_weak_password_is_refused_by_the_command(runner, app_context):
    result = runner.invoke(
        args=["users", "create", "chief", "--role", "admin", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "至少需要 10 个字符" in result.output or "at least 10" in result.output
    assert db.session.scalar(select(User)) is None


def test_set_password_changes_the_password(runner, app_context):
    runner.invoke(
        args=["users", "create", "chief", "--role", "admin", "--password-stdin"],
        input="a-long-good-passphrase\n",
    )
    result = runner.invoke(
        args=["users", "set-password", "chief", "--password-stdin"],
        input="another-long-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "chief"))
    assert user.check_password("another-long-passphrase")


def test_demo_load_is_idempotent_and_prints_the_admin_login(runner, app_context):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin" in first.output and "password" in first.output
    count = db.session.query(User).count()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert db.session.query(User).count() == count
