"""Saving under a reference nobody has: a clash is drawn again, other refusals are not."""

from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.factories import create_hazard_report
from tests.hazards.images import jpeg_bytes
from webapp.common import references
from webapp.extensions import db
from webapp.hazards.models import HazardPhoto, HazardReport
from webapp.hazards.services import ReportDraft, Upload, submit_report
from webapp.transactions import transaction


def _count(column) -> int:
    db.session.rollback()  # see what the service committed
    return db.session.scalar(select(func.count(column)))


def test_when_every_reference_drawn_is_taken_nothing_is_kept(app, app_context, reference_draws):
    taken = create_hazard_report()
    reference_draws.extend([taken.reference] * references.ATTEMPTS)
    hazard_dir = Path(app.config["UPLOAD_DIR"]) / "hazards"
    files_before = set(hazard_dir.iterdir()) if hazard_dir.exists() else set()
    draft = ReportDraft(category="sign", location="解放路口", description="限速标志被树挡住了。")
    with pytest.raises(references.NoFreeReference):
        submit_report(draft, uploads=[Upload(BytesIO(jpeg_bytes()), "a.jpg")])
    assert reference_draws == []
    assert _count(HazardReport.id) == 1
    assert _count(HazardPhoto.id) == 0
    assert set(hazard_dir.iterdir()) == files_before


def test_a_refusal_that_is_not_the_reference_is_raised_at_once(app_context, reference_draws):
    create_hazard_report(submission_token="used-once")
    attempts = []

    def build(reference):
        attempts.append(reference)
        db.session.add(HazardReport(**_report(reference, submission_token="used-once")))

    with pytest.raises(IntegrityError), transaction():
        references.add_with_new_reference(build, prefix="H", model=HazardReport)
    assert len(attempts) == 1
    assert _count(HazardReport.id) == 1


def _report(reference, **fields) -> dict:
    return {
        "reference": reference,
        "category": "sign",
        "location": "解放路口",
        "description": "限速标志被树挡住了。",
        "state": "submitted",
        **fields,
    }
