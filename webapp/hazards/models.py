"""Hazard reports and their photos."""

from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.common.clock import to_local, utcnow
from webapp.common.identifiers import mask_personal_data_in_text
from webapp.common.workflow import WorkflowSubject
from webapp.extensions import db
from webapp.hazards.categories import category_label
from webapp.hazards.states import (
    OPEN_STATES,
    REOPEN_DAYS,
    REPORTER_ONLY_MOVES,
    TRANSITIONS,
    HazardState,
    state_label,
)


class HazardReport(WorkflowSubject, db.Model):
    __tablename__ = "hazard_reports"

    SUBJECT_TYPE = "hazard"
    TRANSITIONS = TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # The one-time token of the form that made the report: a second POST of
    # the same form finds this row instead of making another.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    location_from_photo: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text)
    reporter_name: Mapped[str] = mapped_column(String(80), default="")
    reporter_phone: Mapped[str] = mapped_column(String(11), default="", index=True)
    # The language the reporter used: messages to them are written in it.
    language: Mapped[str] = mapped_column(String(2), default="zh")
    is_private: Mapped[bool] = mapped_column(default=False)
    confirmations: Mapped[int] = mapped_column(default=0)
    responsible_party: Mapped[str] = mapped_column(String(200), default="")
    finding: Mapped[str] = mapped_column(Text, default="")
    rectification_request: Mapped[str] = mapped_column(Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("hazard_reports.id"))
    closed_at: Mapped[datetime | None] = mapped_column()
    # The reporter used the stop link of a text: no more texts when the state changes.
    reporter_texts_stopped_at: Mapped[datetime | None] = mapped_column()

    photos: Mapped[list["HazardPhoto"]] = relationship(
        back_populates="report", order_by="HazardPhoto.position", cascade="all, delete-orphan"
    )
    duplicate_of = relationship("HazardReport", remote_side=[id], lazy="joined")

    __table_args__ = (
        Index("ix_hazard_reports_public_list", "is_private", "created_at", "id"),
        Index("ix_hazard_reports_public_state", "is_private", "state", "created_at"),
        Index("ix_hazard_reports_public_category", "is_private", "category", "created_at"),
        Index("ix_hazard_reports_nearby", "category", "latitude", "longitude"),
        # The public map's box (/hazards.geojson): its newest reports found from the index alone.
        Index("ix_hazard_reports_map", "is_private", "latitude", "longitude", "created_at"),
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_closed(self) -> bool:
        return self.state == HazardState.CLOSED

    @property
    def is_duplicate(self) -> bool:
        return self.state == HazardState.DUPLICATE

    @property
    def is_referred(self) -> bool:
        """Handed to a named agency or company for rectification (shown publicly)."""
        referred = self.state in (HazardState.RECTIFYING, HazardState.CLOSED)
        return referred and bool(self.responsible_party)

    @property
    def tells_reporter(self) -> bool:
        """Whether a change of state is texted to the reporter."""
        return bool(self.reporter_phone) and self.reporter_texts_stopped_at is None

    def can_be_followed(self, now: datetime) -> bool:
        """Open, or closed and still to be reopened: its state may change again."""
        return self.is_open or self.can_be_reopened(now)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def received_on(self) -> date:
        """The local (Beijing) date the report arrived."""
        return to_local(self.created_at).date()

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def public_description(self) -> str:
        return mask_personal_data_in_text(self.description)

    @property
    def public_location(self) -> str:
        return mask_personal_data_in_text(self.location)

    def can_be_reopened(self, now: datetime) -> bool:
        return (
            self.is_closed
            and self.closed_at is not None
            and now - self.closed_at <= timedelta(days=REOPEN_DAYS)
        )

    def staff_can_move_to(self, state: str) -> bool:
        return self.can_move_to(state) and (self.state, state) not in REPORTER_ONLY_MOVES

    def next_states(self) -> list[str]:
        """The states staff may move this report to."""
        return [state for state in HazardState if self.staff_can_move_to(state)]

    @classmethod
    def by_reference(cls, reference: str):
        return select(cls).where(cls.reference == reference)

    @classmethod
    def public(cls):
        return select(cls).where(cls.is_private.is_(False))


class HazardPhoto(db.Model):
    """A re-encoded photo of a report; files named by the server under UPLOAD_DIR/hazards/."""

    __tablename__ = "hazard_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("hazard_reports.id"), index=True)
    position: Mapped[int] = mapped_column()
    file_name: Mapped[str] = mapped_column(String(64), unique=True)
    thumbnail_name: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()

    report: Mapped[HazardReport] = relationship(back_populates="photos")


class HazardFollower(db.Model):
    """A mobile number that asked to be texted when a report changes state.

    It is confirmed by a code sent to it; `code_hash` keeps an HMAC of that code,
    never the code. Retention blanks the number (hazards/retention.py).
    """

    __tablename__ = "hazard_followers"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("hazard_reports.id"), index=True)
    phone: Mapped[str] = mapped_column(String(11))
    # The language the follower used: the texts are written in it.
    language: Mapped[str] = mapped_column(String(2), default="zh")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    code_sent_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column()
    unsubscribed_at: Mapped[datetime | None] = mapped_column()

    report: Mapped[HazardReport] = relationship()

    @property
    def is_active(self) -> bool:
        """Confirmed, not stopped, and not anonymised."""
        return bool(self.phone) and self.confirmed_at is not None and self.unsubscribed_at is None

    @classmethod
    def active_of(cls, report_id: int):
        return (
            select(cls)
            .where(
                cls.report_id == report_id,
                cls.phone != "",
                cls.confirmed_at.is_not(None),
                cls.unsubscribed_at.is_(None),
            )
            .order_by(cls.confirmed_at, cls.id)
        )

    @classmethod
    def by_number(cls, report_id: int, phone: str):
        return select(cls).where(cls.report_id == report_id, cls.phone == phone).order_by(cls.id)
