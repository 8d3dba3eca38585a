"""Whatever a partner sends, the API answers in JSON: never a 500, never half a report."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.factories import create_api_key
from tests.fuzz.strategies import form_data, nasty_text
from webapp.extensions import db, limiter
from webapp.hazards.models import HazardReport

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
POST_FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "media_url",
]
QUERY_FIELDS = ["service_request_id", "service_code", "status", "start_date", "end_date", "page"]


def _count() -> int:
    return db.session.scalar(select(func.count(HazardReport.id)))


def test_any_post_is_answered_201_or_400_in_json(client, app_context):
    _key, token = create_api_key()

    @FUZZ_SETTINGS
    @given(data=form_data(POST_FIELDS))
    def post_anything(data):
        limiter.reset()
        before = _count()
        response = client.post("/open311/v2/requests.json", data={**data, "api_key": token})
        assert response.status_code in (201, 400), response.status_code
        assert response.mimetype == "application/json"
        db.session.rollback()
        assert _count() == before + (response.status_code == 201)

    post_anything()


def test_any_query_is_answered_200_or_400_in_json(client, app_context):
    @FUZZ_SETTINGS
    @given(data=form_data(QUERY_FIELDS), reference=nasty_text)
    def get_anything(data, reference):
        response = client.get("/open311/v2/requests.json", query_string=data)
        assert response.status_code in (200, 400), response.status_code
        assert response.mimetype == "application/json"
        single = client.get(f"/open311/v2/requests/{reference[:200]}.json")
        assert single.status_code in (400, 404), single.status_code

    get_anything()


def test_wrong_keys_of_any_shape_are_refused_with_403(client, app_context):
    @FUZZ_SETTINGS
    @given(token=st.one_of(nasty_text, st.just("")))
    def post_with(token):
        limiter.reset()
        response = client.post("/open311/v2/requests.json", data={"api_key": token})
        assert response.status_code == 403

    post_with()
