import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.hazards import demo
from webapp.hazards.demo import load_demo_hazards
from webapp.hazards.models import HazardReport
from webapp.hazards.staff_services import change_report_state
from webapp.hazards.states import HazardState


def test_the_demo_loader_adds_reports_in_every_state_once(app_context, hazard_dir):
    assert load_demo_hazards().startswith("added 30")
    reports = db.session.scalars(select(HazardReport)).all()
    assert {report.state for report in reports} == set(HazardState)
    assert len({report.category for report in reports}) == 12
    assert any(report.photos for report in reports)
    assert load_demo_hazards() is None
    assert len(db.session.scalars(select(HazardReport)).all()) == 30


def test_a_demo_load_that_fails_half_way_keeps_nothing_and_can_be_run_again(
    app_context, hazard_dir, monkeypatch
):
    steps = []

    def fail_at_the_tenth_step(*args, **kwargs):
        steps.append(args)
        if len(steps) == 10:
            raise RuntimeError("the database went away")
        return change_report_state(*args, **kwargs)

    monkeypatch.setattr(demo, "change_report_state", fail_at_the_tenth_step)
    with pytest.raises(RuntimeError):
        load_demo_hazards()
    db.session.rollback()
    assert db.session.scalars(select(HazardReport)).all() == []

    monkeypatch.setattr(demo, "change_report_state", change_report_state)
    assert load_demo_hazards().startswith("added 30")
