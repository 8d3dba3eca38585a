"""When each scheduled job last ran: one row per job, kept across restarts."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class ScheduledRun(db.Model):
    __tablename__ = "scheduled_runs"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    # When the run in progress began; left set by a run that failed, until it expires.
    claimed_at: Mapped[datetime | None] = mapped_column()
    # When the last run that finished well began: everything due before it is done.
    covered_until: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(500), default="")
