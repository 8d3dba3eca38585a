"""The company's look-up: by reference and credit code, generic when wrong, rate-limited."""

from datetime import timedelta

import pytest

from tests.factories import create_training_request
from tests.pages import text_of
from webapp.common.clock import to_local, utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.training.states import TrainingState as S

EN = {"Accept-Language": "en"}


def _look_up(client_request, training, *, reference=None, credit_code=None, **kwargs):
    return client_request.post(
        "/training/manage",
        {
            "reference": reference if reference is not None else training.reference,
            "credit_code": credit_code if credit_code is not None else training.credit_code,
        },
        headers=EN,
        **kwargs,
    )


def _found_page(client_request, training):
    _look_up(client_request, training, expected_status=302)
    return client_request.get("/training/manage", headers=EN)


def test_the_look_up_form_takes_the_reference_from_the_link(client_request):
    page = client_request.get("/training/manage?reference=T20260101-ABCDEF")
    assert page.find("input", attrs={"name": "reference"})["value"] == "T20260101-ABCDEF"


def test_the_right_pair_shows_the_request_without_personal_data(client_request, app_context):
    training = create_training_request(contact_name="张安全", contact_phone="13912345678")
    page = _found_page(client_request, training)
    text = text_of(page)
    assert training.reference in text
    assert page.find(id="training-state").get_text(strip=True) == "Submitted"
    assert "13912345678" not in text and "张安全" not in text


def test_lower_case_and_spaces_in_the_pair_are_accepted(client_request, app_context):
    training = create_training_request()
    response = _look_up(
        client_request,
        training,
        reference=" " + training.reference.lower(),
        credit_code=training.credit_code.lower(),
        expected_status=302,
    )
    assert response.headers["Location"].endswith("/training/manage")


@pytest.mark.parametrize("wrong", ["reference", "credit_code", "malformed_code"])
def test_a_wrong_pair_gets_the_same_generic_answer(client_request, app_context, wrong):
    training = create_training_request()
    other = create_training_request()
    values = {
        "reference": {"reference": "T20260101-ZZZZZZ"},
        "credit_code": {"credit_code": other.credit_code},
        "malformed_code": {"credit_code": "12345"},
    }[wrong]
    page = _look_up(client_request, training, **values)
    assert "could not find a training request with this reference and credit code" in text_of(page)
    assert page.find(id="training-state") is None


def test_empty_fields_are_answered_with_messages(client_request):
    page = client_request.post("/training/manage", {"reference": "", "credit_code": ""}, headers=EN)
    summary = text_of(page.find(class_="error-summary"))
    assert "Enter the reference" in summary
    assert "Enter the unified social credit code" in summary


def test_a_scheduled_session_shows_its_date_venue_and_the_brigades_message(
    client_request, app_context
):
    start = utcnow() + timedelta(days=9)
    training = create_training_request(
        state=S.SCHEDULED, session_starts_at=start, session_venue="brigade"
    )
    db.session.add(
        WorkflowEvent(
            subject_type="training",
            subject_id=training.id,
            from_state="reviewing",
            to_state="scheduled",
            public_message="请提前15分钟到场",
        )
    )
    db.session.commit()
    page = _found_page(client_request, training)
    local = to_local(start)
    shown = page.find(id="session-time").get_text(" ", strip=True)
    assert f"{local:%B} {local.day}, {local.year}" in shown
    assert f"{local:%H:%M}" in shown
    text = text_of(page)
    assert "At the traffic police brigade" in text
    assert "请提前15分钟到场" in text
    assert "First Traffic Police Brigade" in text_of(page.find(class_="message-list"))


def test_a_declined_request_shows_the_reason(client_request, app_context):
    training = create_training_request(state=S.DECLINED, decline_reason="本月宣讲已排满")
    assert "本月宣讲已排满" in text_of(_found_page(client_request, training))


def test_the_company_can_withdraw_before_the_session(client_request, app_context):
    training = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() + timedelta(days=2)
    )
    page = _found_page(client_request, training)
    assert page.find("form", action="/training/manage/withdraw") is not None
    client_request.post("/training/manage/withdraw", headers=EN, expected_status=302)
    page = client_request.get("/training/manage", headers=EN)
    assert page.find(id="training-state").get_text(strip=True) == "Withdrawn"
    assert "has been withdrawn" in text_of(page)
    assert page.find("form", action="/training/manage/withdraw") is None
    db.session.rollback()
    assert training.state == S.WITHDRAWN


def test_the_company_cannot_withdraw_once_the_session_has_begun(client_request, app_context):
    training = create_training_request(
        state=S.SCHEDULED, session_starts_at=utcnow() - timedelta(minutes=10)
    )
    page = _found_page(client_request, training)
    assert page.find("form", action="/training/manage/withdraw") is None
    page = client_request.post("/training/manage/withdraw", headers=EN)
    assert "can no longer be withdrawn" in text_of(page)
    db.session.rollback()
    assert training.state == S.SCHEDULED


@pytest.mark.parametrize("state", [S.DELIVERED, S.DECLINED, S.WITHDRAWN])
def test_a_closed_request_cannot_be_withdrawn(client_request, app_context, state):
    training = create_training_request(state=state)
    page = _found_page(client_request, training)
    assert page.find("form", action="/training/manage/withdraw") is None
    page = client_request.post("/training/manage/withdraw", headers=EN)
    assert "not possible" in text_of(page)
    db.session.rollback()
    assert training.state == state


def test_withdrawing_without_a_look_up_goes_to_the_look_up(client_request):
    response = client_request.post("/training/manage/withdraw", expected_status=302)
    assert response.headers["Location"].endswith("/training/manage")


def test_look_up_another_forgets_the_request(client_request, app_context):
    training = create_training_request()
    _found_page(client_request, training)
    client_request.post("/training/manage/another", expected_status=302)
    page = client_request.get("/training/manage")
    assert page.find("input", attrs={"name": "credit_code"}) is not None


def test_the_look_up_is_rate_limited(app, client_request, app_context, monkeypatch):
    monkeypatch.setitem(app.config, "LOOKUP_RATE_LIMIT", "3 per minute")
    training = create_training_request()
    for _ in range(3):
        _look_up(client_request, training, credit_code="91350100M000100Y0X")
    _look_up(client_request, training, expected_status=429)


def test_a_link_to_another_request_asks_for_its_credit_code(client_request, app_context):
    first = create_training_request()
    second = create_training_request()
    _found_page(client_request, first)
    page = client_request.get(f"/training/manage?reference={first.reference}")
    assert page.find(id="training-state") is not None
    page = client_request.get(f"/training/manage?reference={second.reference}")
    assert page.find("input", attrs={"name": "reference"})["value"] == second.reference
