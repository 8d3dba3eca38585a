"""The resident's report form: questions first, every field checked, one report per form."""

import pytest
from sqlalchemy import func, select

from tests.factories import create_hazard_report
from tests.hazards.conftest import valid_report_data
from tests.hazards.images import INSIDE
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.notifications.models import OutboxMessage


def _count():
    return db.session.scalar(select(func.count(HazardReport.id)))


def test_the_form_first_asks_whether_someone_is_in_danger(client_request):
    page = client_request.get("/hazards/new")
    assert page.find("input", attrs={"name": "danger", "value": "yes"})
    assert not page.find("input", attrs={"name": "location"})
    assert "122" in text_of(page)


def test_answering_that_someone_is_in_danger_stops_the_form_and_shows_the_numbers(
    client_request,
):
    page = client_request.get("/hazards/new?danger=yes")
    assert not page.find("form", attrs={"enctype": "multipart/form-data"})
    assert page.find("a", href="tel:122") and page.find("a", href="tel:110")


def test_answering_no_shows_the_form_with_the_emergency_notice_beside_some_categories(
    client_request,
):
    page = client_request.get("/hazards/new?danger=no")
    assert page.find("input", attrs={"name": "location"})
    assert page.find(id="category-2-emergency")  # signal
    assert not page.find(id="category-1-emergency")  # sign


@pytest.mark.parametrize(
    ("lang", "answers"),
    [("zh", ["是：现在发生了事故、有人受伤或道路堵塞", "否"]), ("en", ["Yes: an accident", "No"])],
)
def test_the_danger_question_answers_are_in_the_readers_language(client_request, lang, answers):
    labels = client_request.get(f"/hazards/new?lang={lang}").select("label.choice span")
    for answer, label in zip(answers, labels, strict=True):
        assert label.get_text().startswith(answer)


def test_the_danger_question_unanswered_is_asked_again_with_a_message(client_request):
    page = client_request.get("/hazards/new?danger=")
    assert page.find(class_="error-summary")


def test_a_valid_report_is_saved_and_the_confirmation_shows_its_reference(
    client_request, app_context
):
    response = client_request.post(
        "/hazards/new", valid_report_data(form_token="t1"), expected_status=302
    )
    report = db.session.scalar(select(HazardReport))
    assert response.headers["Location"].endswith(f"/hazards/{report.reference}/received")
    assert report.reporter_phone == "13800138000"
    assert report.state == "submitted"
    page = client_request.get(response.headers["Location"])
    assert report.reference in text_of(page)
    assert page.find("a", href=f"/hazards/{report.reference}")


@pytest.mark.parametrize(
    "raw", ["+86 138-0013-8000", "138 0013 8000", "13800138000", "0086 13800138000"]
)
def test_the_phone_number_is_normalised(client_request, app_context, raw):
    client_request.post("/hazards/new", valid_report_data(reporter_phone=raw), expected_status=302)
    assert db.session.scalar(select(HazardReport.reporter_phone)) == "13800138000"


BAD_VALUES = [
    ({"category": ""}, "category"),
    ({"category": "volcano"}, "category"),
    ({"location": ""}, "location"),
    ({"location": "北大"}, "location"),
    ({"location": "路" * 201}, "location"),
    ({"latitude": "abc", "longitude": "113.5"}, "latitude"),
    ({"latitude": "95", "longitude": "113.5"}, "latitude"),
    ({"latitude": "37.8", "longitude": "200"}, "longitude"),
    ({"latitude": "nan", "longitude": "113.5"}, "latitude"),
    ({"latitude": "37.86", "longitude": ""}, "latitude"),
    ({"description": ""}, "description"),
    ({"description": "太短了"}, "description"),
    ({"description": "长" * 2001}, "description"),
    ({"reporter_name": "名" * 81}, "reporter_name"),
    ({"reporter_phone": "12345"}, "reporter_phone"),
    ({"reporter_phone": "12800138000"}, "reporter_phone"),
    ({"reporter_phone": "1380013800a"}, "reporter_phone"),
    ({"consent": ""}, "consent"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_VALUES)
def test_every_bad_value_is_answered_with_a_message_on_the_page(
    client_request, app_context, changes, field
):
    data = valid_report_data(**changes)
    if changes.get("consent") == "":
        data.pop("consent")
    page = client_request.post("/hazards/new", data)
    summary = page.find(class_="error-summary")
    assert summary and summary.find("a", href=f"#{field}")
    assert page.find(id=f"{field}-error") or page.find(id=field).find_parent(class_="field-error")
    assert page.find("input", attrs={"name": "location"})["value"] == data["location"]
    assert _count() == 0


def test_the_messages_are_in_chinese_by_default_and_in_english_on_request(client_request):
    page = client_request.post("/hazards/new", valid_report_data(location=""))
    assert "请" in text_of(page.find(class_="error-summary")) or "输入" in text_of(page)
    page = client_request.post("/hazards/new?lang=en", valid_report_data(location=""))
    assert "Enter the road or intersection" in text_of(page)


def test_coordinates_outside_the_area_are_refused_with_a_clear_message(client_request, app_context):
    page = client_request.post(
        "/hazards/new?lang=en", valid_report_data(latitude="39.9042", longitude="116.4074")
    )
    assert "outside our area" in text_of(page)
    assert _count() == 0


def test_coordinates_inside_the_area_are_kept(client_request, app_context):
    client_request.post(
        "/hazards/new",
        valid_report_data(latitude=str(INSIDE[0]), longitude=str(INSIDE[1])),
        expected_status=302,
    )
    report = db.session.scalar(select(HazardReport))
    assert (report.latitude, report.longitude) == INSIDE
    assert not report.location_from_photo


def test_a_double_click_never_makes_two_reports(client_request, app_context):
    data = valid_report_data(form_token="same-form-token-123")
    first = client_request.post("/hazards/new", data, expected_status=302)
    second = client_request.post("/hazards/new", data, expected_status=302)
    assert _count() == 1
    assert first.headers["Location"] == second.headers["Location"]


def test_two_forms_make_two_reports_with_different_references(client_request, app_context):
    page = client_request.get("/hazards/new?danger=no")
    token_one = page.find("input", attrs={"name": "form_token"})["value"]
    token_two = client_request.get("/hazards/new?danger=no").find(
        "input", attrs={"name": "form_token"}
    )["value"]
    assert token_one != token_two
    client_request.post(
        "/hazards/new", valid_report_data(form_token=token_one), expected_status=302
    )
    client_request.post(
        "/hazards/new", valid_report_data(form_token=token_two), expected_status=302
    )
    references = db.session.scalars(select(HazardReport.reference)).all()
    assert len(set(references)) == 2
    for reference in references:
        assert reference.startswith("H") and len(reference) == len("H20260315-7KQ2XM")


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("zh", ["护栏损坏", "信号灯故障", "违停多发点"]),
        ("en", ["Damaged guardrail", "Street lighting"]),
    ],
)
def test_the_categories_are_offered_in_the_readers_language(client_request, lang, labels):
    text = text_of(client_request.get(f"/hazards/new?danger=no&lang={lang}"))
    for label in labels:
        assert label in text


def test_a_report_whose_reference_is_taken_is_saved_under_another_with_nothing_left_over(
    client_request, app_context, reference_draws
):
    taken = create_hazard_report(reporter_phone="13900000000")
    reference_draws.append(taken.reference)
    response = client_request.post("/hazards/new", valid_report_data(), expected_status=302)
    assert response.headers["Location"].endswith("-FRESH2/received")
    db.session.rollback()
    report = db.session.scalar(select(HazardReport).where(HazardReport.id != taken.id))
    assert report.reference.endswith("-FRESH2") and _count() == 2
    # One of each row for the new report: nothing is left of the refused attempt.
    events = db.session.scalars(WorkflowEvent.history_of("hazard", report.id)).all()
    assert [event.to_state for event in events] == ["submitted"]
    assert db.session.scalars(select(AuditEntry.target)).all() == [f"hazard:{report.reference}"]
    assert db.session.scalars(select(OutboxMessage.subject_id)).all() == [report.id]
