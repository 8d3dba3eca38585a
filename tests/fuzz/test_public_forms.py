"""Property-based fuzzing of every public form and look-up.

Whatever arrives, the answer is a page (200 or 400, or a redirect after a real
success), never a 500, and a refused submission leaves nothing in the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.appointments.helpers import booking_answers
from tests.factories import (
    create_booking,
    create_hazard_report,
    create_session,
    create_training_request,
    create_user,
)
from tests.fuzz.strategies import form_data, nasty_text, with_valid
from tests.hazards.conftest import upload, valid_report_data
from tests.hazards.images import jpeg_bytes
from tests.pages import ClientRequest
from tests.training.sample import VALID_CODE, request_form
from webapp.common.clock import utcnow
from webapp.extensions import db, limiter
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role

FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI failures can be replayed
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BOOKING_FIELDS = [
    "session_id",
    "full_name",
    "id_number",
    "phone",
    "subject",
    "licence_class",
    "licence_expiry",
    "confirm",
    "edit",
]
TRAINING_FIELDS = list(request_form())
HAZARD_FIELDS = [*valid_report_data(), "photos", "form_token", "check"]
# What a submission writes: a refused one must add no row to any of these.
WRITTEN_BY_SUBMISSIONS = (
    "bookings",
    "training_requests",
    "hazard_reports",
    "hazard_photos",
    "outbox",
    "workflow_events",
)


@dataclass(frozen=True)
class PublicForm:
    """A public form: `prepare(client)` sets the scene and returns (url, valid answers)."""

    name: str
    fields: list[str]
    prepare: Callable
    tables: tuple[str, ...] = field(default=WRITTEN_BY_SUBMISSIONS)


def _booking_step(service):
    def prepare(client):
        session = create_session(service=service)
        answers = booking_answers(session)
        answers["confirm"] = "1"
        return f"/appointments/{service}/?session_id={session.id}", answers

    return prepare


def _booking_lookup(client):
    booking = create_booking()
    return "/appointments/manage", {"reference": booking.reference, "id_number": booking.id_number}


def _booking_move(client):
    booking = create_booking()
    other = create_session(day=booking.session.day)
    with client.session_transaction() as session:
        session["appointment_booking"] = booking.id
    return "/appointments/manage/move", {"session_id": str(other.id)}


def _training_new(client):
    return "/training/new", request_form()


def _training_lookup(client):
    training = create_training_request(credit_code=VALID_CODE)
    return "/training/manage", {"reference": training.reference, "credit_code": VALID_CODE}


def _hazard_new(client):
    return "/hazards/new", {**valid_report_data(), "photos": upload(jpeg_bytes())}


def _hazard_reopen(client):
    report = create_hazard_report(
        state=HazardState.CLOSED,
        closed_at=utcnow(),
        reporter_phone="13800138000",
        responsible_party="市园林绿化中心",
    )
    valid = {
        "reference": report.reference,
        "reporter_phone": "13800138000",
        "message": "护栏还是坏的，没人修。",
    }
    return "/hazards/reopen", valid


def _staff_login(client):
    user = create_user(roles=(Role.BOOKING_CLERK,))
    return "/staff/login", {"username": user.username, "password": "correct-horse-battery"}


def _staff_login_code(client):
    secret = pyotp.random_base32()
    user = create_user(roles=(Role.BOOKING_CLERK,), totp_secret=secret)
    pending = {"user": user.id, "at": utcnow().timestamp(), "next": "/staff/"}
    with client.session_transaction() as session:
        session.clear()
        session["pending_login"] = pending
    return "/staff/login/code", {"code": pyotp.TOTP(secret).now()}


PUBLIC_FORMS = [
    PublicForm("booking motorcycle exam", BOOKING_FIELDS, _booking_step("motorcycle_exam")),
    PublicForm("booking licence renewal", BOOKING_FIELDS, _booking_step("licence_renewal")),
    PublicForm("booking review education", BOOKING_FIELDS, _booking_step("review_education")),
    PublicForm("booking look-up", ["reference", "id_number"], _booking_lookup),
    PublicForm("booking move", ["session_id"], _booking_move, tables=("bookings", "outbox")),
    PublicForm("training request", TRAINING_FIELDS, _training_new),
    PublicForm("hazard report", HAZARD_FIELDS, _hazard_new),
    PublicForm(
        "hazard reopen",
        ["reference", "reporter_phone", "message"],
        _hazard_reopen,
        tables=("hazard_reports", "outbox"),
    ),
    PublicForm("training look-up", ["reference", "credit_code"], _training_lookup),
    # Logging in writes audit entries by design; the forms must still never fail.
    PublicForm("staff login", ["username", "password"], _staff_login, tables=()),
    PublicForm("staff login code", ["code"], _staff_login_code, tables=()),
]


def _row_counts(tables) -> dict:
    db.session.rollback()  # read what the app committed
    metadata = db.metadata.tables
    counts = {
        name: db.session.scalar(select(func.count()).select_from(metadata[name])) for name in tables
    }
    db.session.rollback()  # and hold no read lock while the app writes
    return counts


def _stored_files(app) -> set:
    return {str(path) for path in Path(app.config["UPLOAD_DIR"]).rglob("*") if path.is_file()}


def _assert_a_page_or_a_success(response) -> None:
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert response.mimetype == "text/html"
        assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("form", PUBLIC_FORMS, ids=[form.name for form in PUBLIC_FORMS])
def test_a_public_form_answers_any_input_with_a_page(app, client, app_context, form):
    requests = ClientRequest(app, client)

    @FUZZ_SETTINGS
    @given(data=form_data(form.fields, keep_valid=True))
    def post_anything(data):
        limiter.reset()
        url, valid = form.prepare(client)
        db.session.rollback()
        answers = with_valid(data, valid)
        before, files = _row_counts(form.tables), _stored_files(app)
        response = client.post(url, data={**answers, "csrf_token": requests.csrf_token()})
        _assert_a_page_or_a_success(response)
        if response.status_code != 302:
            assert _row_counts(form.tables) == before
            assert _stored_files(app) == files, "a refused submission left a file"

    post_anything()


def test_the_valid_answers_the_fuzzing_starts_from_are_accepted(app, client, app_context):
    """Without this the fuzzing could be mixing hostile input into answers that always fail."""
    requests = ClientRequest(app, client)
    for form in PUBLIC_FORMS:
        limiter.reset()
        url, valid = form.prepare(client)
        db.session.rollback()
        response = client.post(url, data={**valid, "csrf_token": requests.csrf_token()})
        assert response.status_code == 302, form.name


# Look-ups and lists that read the query string.
PUBLIC_QUERIES = [
    ("/training/manage", ["reference"]),
    ("/appointments/motorcycle_exam/", ["session_id"]),
    ("/search", ["q"]),
    ("/hazards/", ["state", "category", "page"]),
    ("/hazards/new", ["danger"]),
    ("/hazards/reopen", ["reference"]),
    ("/knowledge/", ["tag", "page"]),
    ("/exposures/", ["tag", "cause", "page"]),
    ("/?", ["lang"]),
    ("/staff/login", ["next"]),
]


@pytest.mark.parametrize(("url", "names"), PUBLIC_QUERIES, ids=[q[0] for q in PUBLIC_QUERIES])
def test_a_public_look_up_answers_any_query_with_a_page(client, app_context, url, names):
    create_session()

    @FUZZ_SETTINGS
    @given(
        query=st.fixed_dictionaries(
            dict.fromkeys(names, st.one_of(nasty_text, st.lists(nasty_text, max_size=3)))
        )
    )
    def get_anything(query):
        response = client.get(url.rstrip("?"), query_string=query)
        assert response.status_code in (200, 302, 400, 404), response.status_code
        assert "Traceback" not in response.get_data(as_text=True)

    get_anything()


# Look-ups by a reference or code in the address itself.
PUBLIC_PATHS = ["/hazards/{}", "/hazards/{}/received", "/appointments/{}/", "/knowledge/{}"]


@pytest.mark.parametrize("pattern", PUBLIC_PATHS)
def test_a_public_look_up_by_address_answers_any_reference_with_a_page(client, pattern):
    @FUZZ_SETTINGS
    @given(segment=nasty_text.filter(lambda text: "/" not in text and text.strip()))
    def get_anything(segment):
        response = client.get(pattern.format(quote(segment, safe="")))
        assert response.status_code in (200, 301, 302, 308, 400, 404), response.status_code
        assert "Traceback" not in response.get_data(as_text=True)

    get_anything()
