"""The demo loader: about a dozen requests across industries and states, added once."""

from sqlalchemy import select

from webapp.common.identifiers import normalise_credit_code
from webapp.extensions import db
from webapp.training.demo import load_demo_training_requests
from webapp.training.models import TrainingRequest
from webapp.training.states import TrainingState


def test_the_demo_loader_adds_varied_valid_requests_once(app_context):
    assert load_demo_training_requests() == "added 12 training requests"
    assert load_demo_training_requests() is None
    requests = db.session.scalars(select(TrainingRequest)).all()
    assert len(requests) == 12
    assert {r.state for r in requests} == set(TrainingState)
    assert len({r.industry for r in requests}) >= 8
    for training in requests:
        assert normalise_credit_code(training.credit_code) == training.credit_code
        assert training.reference.startswith("T")
        if training.is_scheduled or training.is_delivered:
            assert training.session_starts_at is not None
