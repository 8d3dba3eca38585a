from sqlalchemy import select

from webapp.extensions import db
from webapp.hazards.demo import load_demo_hazards
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState


def test_the_demo_loader_adds_reports_in_every_state_once(app_context, hazard_dir):
    assert load_demo_hazards().startswith("added 30")
    reports = db.session.scalars(select(HazardReport)).all()
    assert {report.state for report in reports} == set(HazardState)
    assert len({report.category for report in reports}) == 12
    assert any(report.photos for report in reports)
    assert load_demo_hazards() is None
    assert len(db.session.scalars(select(HazardReport)).all()) == 30
