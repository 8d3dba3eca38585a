"""A company's request for a tailored road-safety training session."""

from datetime import date, datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from webapp.common.clock import to_local
from webapp.common.identifiers import mask_phone
from webapp.common.workflow import WorkflowSubject
from webapp.extensions import db
from webapp.training.states import OPEN_STATES, STATE_LABELS, TRAINING_TRANSITIONS, TrainingState
from webapp.training.vocabulary import industry_label, topic_label, venue_label


class TrainingRequest(WorkflowSubject, db.Model):
    __tablename__ = "training_requests"
    SUBJECT_TYPE = "training"
    TRANSITIONS = TRAINING_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    company_name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    industry: Mapped[str] = mapped_column(String(30), index=True)
    contact_name: Mapped[str] = mapped_column(String(50))
    contact_phone: Mapped[str] = mapped_column(String(11))
    contact_email: Mapped[str] = mapped_column(String(120), default="")
    audience_size: Mapped[int] = mapped_column()
    topics_text: Mapped[str] = mapped_column("topics", String(250))
    preferred_dates_text: Mapped[str] = mapped_column("preferred_dates", String(40))
    venue: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The language the company wrote in: messages to it are sent in the same one.
    language: Mapped[str] = mapped_column(String(5), default="zh")

    # Set when the brigade schedules the session (Beijing time is shown; UTC is stored).
    session_starts_at: Mapped[datetime | None] = mapped_column(index=True)
    session_venue: Mapped[str] = mapped_column(String(10), default="")
    session_address: Mapped[str] = mapped_column(String(200), default="")
    # The officer is the assignee (a staff account) or, for someone without one, a name.
    officer_name: Mapped[str] = mapped_column(String(80), default="")
    attendance: Mapped[int | None] = mapped_column()
    delivery_notes: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    # --- stored lists ------------------------------------------------------

    @property
    def topics(self) -> list[str]:
        return self.topics_text.split()

    @topics.setter
    def topics(self, codes) -> None:
        self.topics_text = " ".join(codes)

    @property
    def preferred_dates(self) -> list[date]:
        return [date.fromisoformat(day) for day in self.preferred_dates_text.split()]

    @preferred_dates.setter
    def preferred_dates(self, days) -> None:
        self.preferred_dates_text = " ".join(day.isoformat() for day in sorted(days))

    # --- labels ------------------------------------------------------------

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[TrainingState(self.state)])

    @property
    def industry_label(self) -> str:
        return industry_label(self.industry)

    @property
    def topic_labels(self) -> list[str]:
        return [topic_label(code) for code in self.topics]

    @property
    def venue_label(self) -> str:
        return venue_label(self.venue)

    @property
    def session_venue_label(self) -> str:
        return venue_label(self.session_venue) if self.session_venue else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def officer_display_name(self) -> str:
        return self.officer_name or (self.assignee.name if self.assignee else "")

    # --- questions ---------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_scheduled(self) -> bool:
        return self.state == TrainingState.SCHEDULED

    @property
    def is_delivered(self) -> bool:
        return self.state == TrainingState.DELIVERED

    @property
    def is_declined(self) -> bool:
        return self.state == TrainingState.DECLINED

    @property
    def local_session_start(self) -> datetime | None:
        return to_local(self.session_starts_at) if self.session_starts_at else None

    def session_has_started(self, now: datetime) -> bool:
        return self.session_starts_at is not None and self.session_starts_at <= now

    def can_withdraw(self, now: datetime) -> bool:
        """The company may withdraw until its scheduled session begins."""
        return self.can_move_to(TrainingState.WITHDRAWN) and not self.session_has_started(now)

    def can_record_delivery(self, now: datetime) -> bool:
        return self.can_move_to(TrainingState.DELIVERED) and self.session_has_started(now)

    def can_schedule(self) -> bool:
        return self.can_move_to(TrainingState.SCHEDULED)

    def can_decline(self) -> bool:
        return self.can_move_to(TrainingState.DECLINED)

    def can_start_review(self) -> bool:
        return self.can_move_to(TrainingState.REVIEWING)

    # --- queries -----------------------------------------------------------

    @classmethod
    def by_reference(cls, reference: str):
        return select(cls).where(cls.reference == reference)

    @classmethod
    def scheduled_in_date_order(cls):
        return (
            select(cls)
            .where(cls.state == TrainingState.SCHEDULED)
            .order_by(cls.session_starts_at, cls.id)
        )
