"""Filling in the booking form as an applicant does."""

from tests.factories import make_id_number
from webapp.extensions import db


def read_fresh() -> None:
    """End the test's read transaction, so that what the app committed is seen."""
    db.session.rollback()


def booking_answers(session, **changes) -> dict:
    answers = {
        "session_id": str(session.id),
        "full_name": "张伟",
        "id_number": make_id_number(),
        "phone": "138 0013 8000",
        "subject": "2",
        "licence_class": "E",
    }
    if session.service == "licence_renewal":
        answers.pop("subject")
        answers.pop("licence_class")
        answers["licence_expiry"] = "2026-04-01"
    elif session.service == "review_education":
        answers.pop("subject")
        answers["licence_class"] = "B2"
    answers.update(changes)
    return answers


def book_url(session) -> str:
    return f"/appointments/{session.service}/"
