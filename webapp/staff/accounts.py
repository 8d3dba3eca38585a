"""Account management by an admin, and each user's own password change.

Every verb writes its audit entry and is one transaction. An admin can never
remove the last active admin (issue 7): the check locks the admin rows where the
database can (PostgreSQL), so two admins cannot demote each other at once.
"""

from flask_babel import lazy_gettext as _l

from webapp.common.audit import record_audit
from webapp.extensions import db
from webapp.staff.models import User
from webapp.staff.roles import Role
from webapp.staff.services import AccountError, create_user, password_check, set_password
from webapp.transactions import transaction, transactional


class LastAdminError(AccountError):
    def __init__(self):
        super().__init__(
            _l("This is the last active administrator: make another administrator first.")
        )


def list_accounts() -> list[User]:
    return list(db.session.scalars(User.by_name()))


def get_account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _refuse_removing_last_admin(user: User) -> None:
    if not (user.active and user.is_admin):
        return
    admins = db.session.scalars(User.active_admins().with_for_update())
    if not any(admin.id != user.id and admin.is_admin for admin in admins):
        raise LastAdminError()


@transactional
def create_account(
    *, username: str, display_name: str, password: str, roles, actor: User, ip: str
) -> User:
    """Create an account whose holder must choose a new password at first login."""
    return create_user(
        username,
        password=password,
        roles=roles,
        display_name=display_name,
        actor=actor,
        ip=ip,
        must_change_password=True,
    )


@transactional
def deactivate_account(user: User, *, actor: User, ip: str) -> None:
    """Stop the account from logging in and end its sessions at once."""
    _refuse_removing_last_admin(user)
    user.active = False
    user.session_version += 1
    record_audit("user.deactivate", actor=actor, target=f"user:{user.id}", ip=ip)


@transactional
def reactivate_account(user: User, *, actor: User, ip: str) -> None:
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    record_audit("user.reactivate", actor=actor, target=f"user:{user.id}", ip=ip)


@transactional
def change_roles(user: User, roles, *, actor: User, ip: str) -> None:
    """Give the account exactly these roles; it keeps at least one."""
    new_roles = {Role(role) for role in roles}
    if not new_roles:
        raise AccountError(_l("Choose at least one role."))
    if Role.ADMIN not in new_roles:
        _refuse_removing_last_admin(user)
    before = user.roles_text
    user.roles = new_roles
    record_audit(
        "user.roles",
        actor=actor,
        target=f"user:{user.id}",
        ip=ip,
        detail=f"{before} -> {user.roles_text}",
    )


@transactional
def reset_password(user: User, *, new_password: str, actor: User, ip: str) -> None:
    """Set a temporary password; the holder must change it at next login."""
    set_password(
        user, new_password, actor=actor, ip=ip, must_change=True, action="user.password_reset"
    )


@transactional
def reset_two_factor(user: User, *, actor: User, ip: str) -> None:
    """Forget the account's authenticator (a lost phone); it enrols again."""
    user.totp_secret = None
    user.totp_last_step = None
    user.session_version += 1
    record_audit("totp.reset", actor=actor, target=f"user:{user.id}", ip=ip)


class SamePassword(AccountError):
    def __init__(self):
        super().__init__(_l("Choose a password different from the current one."))


def change_own_password(user: User, *, current: str, new: str, ip: str) -> None:
    """Change one's own password after proving the current one; other sessions end.

    A wrong current password counts towards the lockout like a failed login: it is
    saved, then WrongPassword or AccountLocked is raised. A new password that the
    policy refuses raises AccountError and changes nothing.
    """
    with transaction():
        refusal = password_check(user, current, ip=ip)
        if refusal is None:
            if current == new:
                raise SamePassword()
            set_password(user, new, actor=user, ip=ip, action="user.password_change")
    if refusal is not None:
        raise refusal
