"""References cannot be enumerated: they are random, and look-ups are rate-limited."""

import re

import pytest

from tests.security.conftest import csrf_token
from tests.training.sample import request_form
from webapp.common.clock import local_today
from webapp.common.identifiers import make_reference
from webapp.extensions import db
from webapp.training.models import TrainingRequest

LOOKUPS = [
    ("/appointments/manage", {"reference": "A20260101-ZZZZZZ", "id_number": "x"}),
    ("/training/manage", {"reference": "T20260101-ZZZZZZ", "credit_code": "x"}),
]


def test_references_made_on_one_day_are_distinct_and_follow_no_sequence():
    references = [make_reference("H", local_today()) for _ in range(2000)]
    # 31⁶ ≈ 8.9 × 10⁸ random parts: one repeat in 2,000 draws comes about once in 450
    # runs (the unique index and add_with_new_reference deal with it); two, about
    # once in 400,000. A counter or a weak generator repeats far more.
    assert len(references) - len(set(references)) <= 1
    tails = [reference.rsplit("-", 1)[1] for reference in references]
    assert all(re.fullmatch(r"[0-9A-Z]{6,}", tail) for tail in tails)
    # Random, not counted: neighbours rarely share their first characters.
    same_start = sum(a[:2] == b[:2] for a, b in zip(tails, tails[1:], strict=False))
    assert same_start < len(tails) // 20


def test_submitted_requests_get_unrelated_references(app, client, app_context):
    for _ in range(5):
        response = client.post(
            "/training/new", data={**request_form(), "csrf_token": csrf_token(app, client)}
        )
        assert response.status_code == 302
    db.session.rollback()
    references = [training.reference for training in db.session.query(TrainingRequest)]
    tails = sorted(reference.rsplit("-", 1)[1] for reference in references)
    assert len(set(tails)) == 5
    assert not any(tail.isdigit() for tail in tails)


@pytest.mark.parametrize(("url", "data"), LOOKUPS, ids=[lookup[0] for lookup in LOOKUPS])
def test_a_look_up_is_answered_429_after_the_limit_while_another_address_is_served(
    app, client, url, data
):
    limit = int(app.config["LOOKUP_RATE_LIMIT"].split()[0])
    form = {**data, "csrf_token": csrf_token(app, client)}
    one = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(limit):
        assert client.post(url, data=form, environ_base=one).status_code == 200
    refused = client.post(url, data=form, environ_base=one)
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.get_data(as_text=True)
    other = client.post(url, data=form, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 200
