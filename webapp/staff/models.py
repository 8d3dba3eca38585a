"""Staff accounts."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.staff.roles import ROLE_VALUES, Role


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    roles_text: Mapped[str] = mapped_column("roles", String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped by logout, password change and deactivation: every cookie carrying
    # the old value stops working at once.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    must_change_password: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last time-step whose code was accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(name) for name in self.roles_text.split() if name in ROLE_VALUES)

    @roles.setter
    def roles(self, values) -> None:
        self.roles_text = " ".join(sorted({Role(value).value for value in values}))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def has_any_role(self, roles) -> bool:
        return self.is_admin or bool(self.roles & set(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret)

    @property
    def needs_totp_enrolment(self) -> bool:
        """Admins must use a second factor (issue 7); others may."""
        return self.is_admin and not self.has_totp

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @classmethod
    def by_username(cls, username: str):
        return select(cls).where(func.lower(cls.username) == username.strip().lower())

    @classmethod
    def by_name(cls):
        return select(cls).order_by(func.lower(cls.username))

    @classmethod
    def active_admins(cls):
        return select(cls).where(cls.active.is_(True), cls.roles_text.contains(Role.ADMIN.value))


class ResponseTemplate(db.Model):
    """A bilingual public message that staff may pick when changing a submission's state."""

    __tablename__ = "response_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(80))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("subject_type", "state", "title"),)

    @classmethod
    def listed(cls):
        return select(cls).order_by(cls.subject_type, cls.state, cls.title)

    @classmethod
    def for_state(cls, subject_type: str, state: str):
        return (
            select(cls)
            .where(cls.subject_type == subject_type, cls.state == str(state))
            .order_by(cls.title)
        )
