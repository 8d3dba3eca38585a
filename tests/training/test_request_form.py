"""The public request form: what it accepts, what it refuses, and what it says."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import create_training_request, make_credit_code
from tests.pages import text_of
from tests.training.sample import VALID_CODE, error_messages, request_form
from webapp.common.clock import local_today
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.training.forms import TrainingRequestForm, preferred_dates_problem
from webapp.training.models import TrainingRequest


def _requests():
    return db.session.scalars(select(TrainingRequest)).all()


def test_the_form_page_answers_and_names_every_field(client_request):
    page = client_request.get("/training/new")
    names = {tag["name"] for tag in page.select("form [name]")}
    for name in (
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
    ):
        assert name in names
    assert len(page.select("input[name=preferred_dates]")) == 3


def test_a_valid_request_is_saved_and_the_confirmation_shows_its_reference(
    client_request, app_context
):
    response = client_request.post("/training/new", request_form(), expected_status=302)
    assert response.headers["Location"].endswith("/training/submitted")
    [training] = _requests()
    assert training.reference.startswith("T" + f"{local_today():%Y%m%d}-")
    assert training.state == "submitted"
    assert training.contact_phone == "13800138000"
    assert training.topics == ["fatigue_long_haul", "passenger_hazmat"]
    assert training.preferred_dates == [local_today() + timedelta(days=14)]
    events = db.session.scalars(WorkflowEvent.history_of("training", training.id)).all()
    assert [event.to_state for event in events] == ["submitted"]
    page = client_request.get("/training/submitted")
    assert training.reference in text_of(page)
    link = page.find("a", href=lambda href: href and "/training/manage" in href)
    assert training.reference in link["href"]


def test_the_confirmation_page_without_a_request_sends_you_to_the_form(client):
    response = client.get("/training/submitted")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/training/new")


def test_two_requests_get_different_references(client_request, app_context):
    client_request.post("/training/new", request_form(), expected_status=302)
    client_request.post("/training/new", request_form(), expected_status=302)
    first, second = _requests()
    assert first.reference != second.reference


@pytest.mark.parametrize(
    "code",
    [
        VALID_CODE,
        make_credit_code("91350100M000100Y"),
        make_credit_code("12100000400012345"),
        " ".join([VALID_CODE[:6], VALID_CODE[6:12], VALID_CODE[12:]]),
    ],
)
def test_valid_credit_codes_are_accepted_and_upper_cased(client_request, app_context, code):
    client_request.post(
        "/training/new", request_form(credit_code=code.lower()), expected_status=302
    )
    assert _requests()[0].credit_code == code.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (VALID_CODE[:17] + ("0" if VALID_CODE[17] != "0" else "1"), "does not match"),
        ("91140300MA0K1234I" + "0", "cannot contain"),
        ("91140300MA0K1234O" + "0", "cannot contain"),
        ("91S40300MA0K12340" + "0", "cannot contain"),
        ("91140300MV0K12340" + "0", "cannot contain"),
        ("91140300MA0Z12340" + "0", "cannot contain"),
        (VALID_CODE[:17], "18 characters"),
        (VALID_CODE + "1", "18 characters"),
    ],
)
def test_a_bad_credit_code_is_refused_with_a_message(client_request, app_context, code, message):
    page = client_request.post(
        "/training/new", request_form(credit_code=code), headers={"Accept-Language": "en"}
    )
    assert message in error_messages(page)
    assert page.find("input", attrs={"name": "credit_code"})["value"] == code
    assert _requests() == []


def _post_dates(client_request, days):
    values = [day.isoformat() if hasattr(day, "isoformat") else day for day in days]
    return client_request.post(
        "/training/new",
        request_form(preferred_dates=values),
        headers={"Accept-Language": "en"},
    )


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        ([], "at least one preferred date"),
        ([6], "at least 7 days"),
        ([0], "at least 7 days"),
        ([-3], "at least 7 days"),
        ([10, 10], "only once"),
        ([10, 200], "within six months"),
    ],
)
def test_preferred_dates_that_break_the_rules_are_refused(
    client_request, app_context, offsets, message
):
    today = local_today()
    page = _post_dates(client_request, [today + timedelta(days=n) for n in offsets])
    assert message in error_messages(page)
    assert _requests() == []


def test_an_unreadable_date_is_refused_and_kept_on_the_page(client_request, app_context):
    page = _post_dates(client_request, ["next tuesday"])
    assert "year-month-day" in error_messages(page)
    assert page.find(id="preferred_dates-0")["value"] == "next tuesday"


def test_more_than_three_preferred_dates_are_refused(client_request, app_context):
    today = local_today()
    page = _post_dates(client_request, [today + timedelta(days=n) for n in (8, 9, 10, 11)])
    assert "at most 3" in error_messages(page)


def test_three_preferred_dates_a_week_to_six_months_ahead_are_accepted(client_request, app_context):
    today = local_today()
    days = [today + timedelta(days=n) for n in (7, 30, 183)]
    client_request.post(
        "/training/new",
        request_form(preferred_dates=[d.isoformat() for d in days]),
        expected_status=302,
    )
    assert _requests()[0].preferred_dates == days


def test_the_date_rules_count_from_the_day_the_form_is_given(app):
    from datetime import date

    today = date(2026, 3, 1)
    assert preferred_dates_problem([date(2026, 3, 8)], [], today=today) is None
    assert preferred_dates_problem([date(2026, 3, 7)], [], today=today) is not None
    assert preferred_dates_problem([date(2026, 8, 31)], [], today=today) is None
    assert preferred_dates_problem([date(2026, 9, 1)], [], today=today) is not None
    with app.test_request_context():
        form = TrainingRequestForm(meta={"csrf": False}, today=today)
        assert form.today == today


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company_name", "", "Enter the company's name"),
        ("company_name", "甲", "at least 2 characters"),
        ("company_name", "公" * 101, "at most 100 characters"),
        ("credit_code", "", "Enter the unified social credit code"),
        ("industry", "", "Choose the industry"),
        ("industry", "pirates", "Choose the industry"),
        ("contact_name", "", "Enter the contact person's name"),
        ("contact_phone", "", "Enter a mobile number"),
        ("contact_phone", "0353-1234567", "starts with 13 to 19"),
        ("contact_phone", "1380013800", "11 digits"),
        ("contact_email", "not-an-address", "name@example.com"),
        ("contact_email", "a@b", "name@example.com"),
        ("contact_email", "a b@example.com", "name@example.com"),
        ("audience_size", "", "whole number from 1 to 2000"),
        ("audience_size", "0", "whole number from 1 to 2000"),
        ("audience_size", "2001", "whole number from 1 to 2000"),
        ("audience_size", "forty", "whole number from 1 to 2000"),
        ("topics", [], "Choose at least one topic"),
        ("topics", ["drunk_driving", "sky_diving"], "Choose topics from the list"),
        ("venue", "", "Choose where the training takes place"),
        ("venue", "the_moon", "Choose where the training takes place"),
        ("address", "", "Enter the address"),
        ("notes", "字" * 1001, "at most 1000 characters"),
    ],
)
def test_every_bad_value_is_answered_with_a_message_on_the_page(
    client_request, app_context, field, value, message
):
    page = client_request.post(
        "/training/new", request_form(**{field: value}), headers={"Accept-Language": "en"}
    )
    assert message in error_messages(page)
    assert _requests() == []


def test_the_address_is_not_needed_at_the_brigade(client_request, app_context):
    client_request.post(
        "/training/new", request_form(venue="brigade", address=""), expected_status=302
    )
    assert _requests()[0].venue == "brigade"


def test_a_valid_email_address_is_kept(client_request, app_context):
    client_request.post(
        "/training/new",
        request_form(contact_email="safety.office@shunda-bus.com.cn"),
        expected_status=302,
    )
    assert _requests()[0].contact_email == "safety.office@shunda-bus.com.cn"


def test_messages_are_in_chinese_by_default(client_request, app_context):
    page = client_request.post("/training/new", request_form(company_name=""))
    assert "请填写单位名称" in error_messages(page)


def test_the_form_is_in_the_main_navigation(client_request):
    page = client_request.get("/")
    assert page.select_one("nav.main-nav a[href='/training/new']") is not None


def test_a_request_whose_reference_is_taken_is_saved_under_another(
    client_request, app_context, reference_draws
):
    taken = create_training_request()
    reference_draws.append(taken.reference)
    client_request.post("/training/new", request_form(), expected_status=302)
    db.session.rollback()
    saved = db.session.scalar(select(TrainingRequest).where(TrainingRequest.id != taken.id))
    assert saved.reference.endswith("-FRESH2")
    assert len(_requests()) == 2
