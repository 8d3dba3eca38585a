"""Markup typed into any text field comes back as text: on the public page, the staff
detail page and the CSV export (where formulas are also defused)."""

import csv
import io

import pytest

from tests.appointments.helpers import booking_answers
from tests.factories import create_session
from tests.hazards.conftest import valid_report_data
from tests.security.conftest import csrf_token
from tests.training.sample import VALID_CODE, request_form
from webapp.appointments.models import Booking
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.staff.roles import Role
from webapp.training.models import TrainingRequest

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
FORMULA = '=HYPERLINK("http://evil")'
TRAINING_TEXT_FIELDS = ["company_name", "contact_name", "address", "notes"]


def _assert_escaped(body: str, payload: str, *, shown=True) -> None:
    assert payload not in body, "raw markup on the page"
    assert "<img src=x" not in body and "<script>alert" not in body
    if shown:
        assert payload.replace("<", "&lt;").replace(">", "&gt;")[:12] in body.replace("&#34;", '"')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_refused_training_form_is_shown_back_as_text(app, client, payload):
    answers = request_form(**dict.fromkeys(TRAINING_TEXT_FIELDS, payload), industry="")
    response = client.post("/training/new", data={**answers, "csrf_token": csrf_token(app, client)})
    assert response.status_code == 200
    _assert_escaped(response.get_data(as_text=True), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_refused_booking_form_or_look_up_is_shown_back_as_text(
    app, client, app_context, payload
):
    session = create_session()
    answers = booking_answers(session, full_name=payload, phone="")
    token = csrf_token(app, client)
    pages = [
        client.post(
            f"/appointments/motorcycle_exam/?session_id={session.id}",
            data={**answers, "csrf_token": token},
        ),
        client.post(
            "/appointments/manage",
            data={"reference": payload, "id_number": payload, "csrf_token": token},
        ),
        client.post(
            "/training/manage",
            data={"reference": payload, "credit_code": payload, "csrf_token": token},
        ),
        client.post(
            "/staff/login", data={"username": payload, "password": "x", "csrf_token": token}
        ),
    ]
    for response in pages:
        assert response.status_code == 200
        _assert_escaped(response.get_data(as_text=True), payload)


def _submit_training(app, client, payload) -> TrainingRequest:
    answers = request_form(**dict.fromkeys(TRAINING_TEXT_FIELDS, payload))
    answers["company_name"] = FORMULA + payload
    response = client.post("/training/new", data={**answers, "csrf_token": csrf_token(app, client)})
    assert response.status_code == 302
    db.session.rollback()
    return db.session.query(TrainingRequest).one()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_stored_training_request_shows_markup_as_text_everywhere(
    app, client, client_for, world, payload
):
    db.session.delete(world.training)
    db.session.commit()
    training = _submit_training(app, client, payload)
    public = client.post(
        "/training/manage",
        data={
            "reference": training.reference,
            "credit_code": VALID_CODE,
            "csrf_token": csrf_token(app, client),
        },
        follow_redirects=True,
    )
    _assert_escaped(public.get_data(as_text=True), payload)
    officer = client_for(Role.EDUCATION_OFFICER)
    detail = officer.get(f"/staff/training/{training.id}")
    assert detail.status_code == 200
    _assert_escaped(detail.get_data(as_text=True), payload)
    _assert_safe_csv(officer.get("/staff/training/export.csv"), FORMULA + payload)


def _assert_safe_csv(response, value) -> None:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cells = [
        cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row
    ]
    assert "'" + value in cells, "the formula is not defused"
    assert value not in cells


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_stored_booking_shows_markup_as_text_to_staff(
    app, client, client_for, app_context, payload
):
    session = create_session()
    name = payload
    answers = booking_answers(session, full_name=name, confirm="1")
    url = f"/appointments/motorcycle_exam/?session_id={session.id}"
    response = client.post(url, data={**answers, "csrf_token": csrf_token(app, client)})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    db.session.rollback()
    booking = db.session.query(Booking).filter_by(session_id=session.id).one()
    assert booking.full_name == name
    clerk = client_for(Role.BOOKING_CLERK)
    for page in (
        f"/staff/appointments/bookings/{booking.id}",
        f"/staff/appointments/sessions/{session.id}",
    ):
        response = clerk.get(page)
        assert response.status_code == 200
        _assert_escaped(response.get_data(as_text=True), name)
    roster = clerk.get(f"/staff/appointments/sessions/{session.id}/roster.csv")
    assert roster.headers["Content-Disposition"].startswith("attachment")
    assert roster.headers["X-Content-Type-Options"] == "nosniff"
    rows = csv.reader(io.StringIO(roster.get_data(as_text=True)))
    assert name in [cell for row in rows for cell in row]


def _submit_hazard(app, client, payload) -> HazardReport:
    answers = valid_report_data(
        location=FORMULA + payload,
        description="护栏被车撞断，很危险。" + payload,
        reporter_name=payload,
    )
    response = client.post("/hazards/new", data={**answers, "csrf_token": csrf_token(app, client)})
    assert response.status_code == 302, response.status_code
    db.session.rollback()
    return db.session.query(HazardReport).filter_by(reporter_name=payload).one()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_stored_hazard_report_shows_markup_as_text_everywhere(
    app, client, client_for, app_context, payload
):
    report = _submit_hazard(app, client, payload)
    public = client.get(f"/hazards/{report.reference}")
    assert public.status_code == 200
    _assert_escaped(public.get_data(as_text=True), payload)
    officer = client_for(Role.HAZARD_OFFICER)
    for url in (f"/staff/hazards/{report.reference}", f"/staff/hazards/{report.reference}/letter"):
        page = officer.get(url)
        assert page.status_code == 200, url
        _assert_escaped(page.get_data(as_text=True), payload)
    export = officer.get("/staff/inbox.csv")
    assert export.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(export.get_data(as_text=True))) for cell in row]
    assert any(cell.startswith("'" + FORMULA) for cell in cells), "the formula is not defused"
    assert not any(cell.startswith(FORMULA) for cell in cells)
