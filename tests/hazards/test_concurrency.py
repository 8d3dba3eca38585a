"""Twenty residents send hazard reports at the same moment, through gunicorn workers:
each is saved whole, under its own reference, on the write path outside the session."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.faults.http import Browser
from tests.hazards.conftest import valid_report_data
from tests.live import serve_app
from webapp.common.audit import AuditEntry
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.notifications.models import OutboxMessage

RESIDENTS = 20
CONFIRMATION = re.compile(r"/hazards/(H\d{8}-[0-9A-Z]{6})/received$")


@pytest.mark.slow
def test_twenty_residents_reporting_at_once_each_get_a_saved_report(app, app_context):
    with serve_app(
        database_url=app.config["SQLALCHEMY_DATABASE_URI"],
        upload_dir=app.config["UPLOAD_DIR"],
        workers=4,
    ) as base_url:
        residents = [Browser(base_url) for _ in range(RESIDENTS)]
        forms = [
            {
                **valid_report_data(location=f"北大街{number}号门前"),
                "csrf_token": resident.csrf_token("/hazards/new?danger=no"),
            }
            for number, resident in enumerate(residents)
        ]
        start_together = threading.Barrier(RESIDENTS)

        def send(pair):
            resident, form = pair
            start_together.wait()
            status, _page = resident.open("/hazards/new", form)
            return status, resident.last_location

        with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
            answers = list(pool.map(send, zip(residents, forms, strict=True)))

    assert [status for status, _ in answers] == [302] * RESIDENTS
    references = [CONFIRMATION.search(location).group(1) for _, location in answers]
    assert len(set(references)) == RESIDENTS
    db.session.rollback()
    saved = dict(db.session.execute(select(HazardReport.reference, HazardReport.location)).all())
    assert sorted(saved) == sorted(references)
    assert sorted(saved.values()) == sorted(f"北大街{n}号门前" for n in range(RESIDENTS))
    for model in (WorkflowEvent, AuditEntry, OutboxMessage):
        assert db.session.scalar(select(func.count()).select_from(model)) == RESIDENTS, model
