"""Property-based fuzzing of every public form and look-up.

Whatever arrives, the answer is a page (200 or 400, or a redirect after a real
success), never a 500, and a refused submission leaves nothing in the database.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from tests.fuzz.strategies import form_data
from tests.pages import ClientRequest
from webapp.extensions import db, limiter
from webapp.training.models import TrainingRequest

TRAINING_FIELDS = [
    "company_name",
    "credit_code",
    "industry",
    "contact_name",
    "contact_phone",
    "contact_email",
    "audience_size",
    "topics",
    "preferred_dates",
    "venue",
    "address",
    "notes",
]

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (url, field names, model whose rows a refused submission must not add)
PUBLIC_FORMS = [
    ("/staff/login", ["username", "password"], None),
    ("/training/new", TRAINING_FIELDS, TrainingRequest),
    ("/training/manage", ["reference", "credit_code"], None),
]


def _row_count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) if model else 0


@pytest.mark.parametrize(("url", "fields", "model"), PUBLIC_FORMS, ids=[f[0] for f in PUBLIC_FORMS])
def test_a_public_form_answers_any_input_with_a_page(app, client, app_context, url, fields, model):
    requests = ClientRequest(app, client)

    @FUZZ_SETTINGS
    @given(data=form_data(fields))
    def post_anything(data):
        limiter.reset()
        before = _row_count(model)
        response = client.post(url, data={**data, "csrf_token": requests.csrf_token()})
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code != 302:
            assert _row_count(model) == before
            assert response.mimetype == "text/html"

    post_anything()
