"""The hazard officer's queue, detail page and referral letter."""

from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import select

from tests.factories import create_hazard_report, create_user
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.hazards.states import HazardState
from webapp.staff.access import requires_role
from webapp.staff.roles import Role


def _hazard_staff_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("hazards_staff.")]


def test_every_hazard_staff_url_sends_an_anonymous_user_to_the_login_page(app, client):
    rules = _hazard_staff_rules(app)
    assert len(rules) >= 6
    for rule in rules:
        url = rule.build(
            {name: 1 if name in ("position", "event_id") else "X" for name in rule.arguments}
        )[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "POST" and response.status_code == 400:
                continue
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/staff/login")


def test_every_hazard_staff_view_names_the_hazard_officer_role(app):
    for rule in _hazard_staff_rules(app):
        roles = app.view_functions[rule.endpoint].required_roles
        assert roles == {Role.HAZARD_OFFICER}, rule.endpoint


@pytest.mark.parametrize("role", [Role.BOOKING_CLERK, Role.EDUCATION_OFFICER])
def test_other_roles_cannot_open_the_hazard_queue(client, login_as, role):
    login_as(role)
    assert client.get("/staff/hazards/").status_code == 403


def test_a_hazard_officer_cannot_open_other_queues(app, app_context):
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    other_views = [
        view
        for endpoint, view in app.view_functions.items()
        if endpoint.startswith("staff")
        and getattr(view, "required_roles", None)
        and Role.HAZARD_OFFICER not in view.required_roles
    ]
    other_views.append(requires_role(Role.BOOKING_CLERK)(lambda: "bookings queue"))
    with app.test_request_context("/staff/appointments/"):
        login_user(officer)
        for view in other_views:
            with pytest.raises(Exception) as refused:
                view()
            assert getattr(refused.value, "code", None) == 403


def test_admin_opens_the_hazard_queue(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/staff/hazards/").status_code == 200


def test_the_queue_masks_phones_shows_age_and_filters(client_request, login_as, app_context):
    officer = login_as(Role.HAZARD_OFFICER)
    old = create_hazard_report(
        reporter_phone="13912345678", created_at=utcnow() - timedelta(days=10)
    )
    mine = create_hazard_report(category="signal", assignee_id=officer.id)
    closed = create_hazard_report(state=HazardState.CLOSED)
    page = client_request.get("/staff/hazards/?lang=en")
    text = text_of(page)
    assert "139****5678" in text and "13912345678" not in text
    assert "10 days" in text
    overdue = [cell.find_parent("tr").get_text() for cell in page.select("td.overdue")]
    assert len(overdue) == 1 and old.reference in overdue[0]
    assert all(r.reference in text for r in (old, mine, closed))
    only_mine = text_of(client_request.get("/staff/hazards/?mine=y"))
    assert mine.reference in only_mine and old.reference not in only_mine
    by_state = text_of(client_request.get("/staff/hazards/?state=closed"))
    assert closed.reference in by_state and old.reference not in by_state
    by_category = text_of(client_request.get("/staff/hazards/?category=signal"))
    assert mine.reference in by_category and old.reference not in by_category
    today = (utcnow() + timedelta(hours=8)).date()
    recent = text_of(client_request.get(f"/staff/hazards/?date_from={today - timedelta(days=2)}"))
    assert mine.reference in recent and old.reference not in recent


def test_the_queue_searches_by_reference_or_phone(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    wanted = create_hazard_report(reporter_phone="13912345678")
    other = create_hazard_report(reporter_phone="13800000000")
    by_phone = text_of(client_request.get("/staff/hazards/?q=139 1234 5678"))
    assert wanted.reference in by_phone and other.reference not in by_phone
    by_reference = text_of(client_request.get(f"/staff/hazards/?q={wanted.reference.lower()}"))
    assert wanted.reference in by_reference and other.reference not in by_reference


def test_the_detail_shows_contact_details_and_writes_the_view_to_the_audit_log(
    client_request, login_as, app_context
):
    officer = login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(reporter_name="张三丰", reporter_phone="13912345678")
    text = text_of(client_request.get(f"/staff/hazards/{report.reference}"))
    assert "张三丰" in text and "13912345678" in text
    db.session.rollback()  # a fresh snapshot
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "personal_data.view"))
    assert entry.actor_id == officer.id and entry.target == f"hazard:{report.reference}"


def test_an_officer_moves_a_report_along_with_templates_notes_and_assignment(
    client_request, login_as, app_context
):
    officer = login_as(Role.HAZARD_OFFICER, display_name="王警官")
    report = create_hazard_report(language="en")  # the reply is prefilled in English
    form = client_request.get(f"/staff/hazards/{report.reference}?to=investigating")
    message = form.find("textarea", attrs={"name": "public_message"}).get_text().strip()
    assert message.startswith("Thank you for your report")
    client_request.post(
        f"/staff/hazards/{report.reference}/state",
        {"to_state": "investigating", "public_message": message},
        expected_status=302,
    )
    client_request.post(
        f"/staff/hazards/{report.reference}/state",
        {
            "to_state": "rectifying",
            "responsible_party": "市园林绿化中心",
            "public_message": "已向市园林绿化中心送达建议书。",
            "finding": "绿化带缺失，车辆随意掉头。",
        },
        expected_status=302,
    )
    client_request.post(
        f"/staff/hazards/{report.reference}/notes", {"body": "联系人李科长"}, expected_status=302
    )
    client_request.post(
        f"/staff/hazards/{report.reference}/assign",
        {"assignee": str(officer.id)},
        expected_status=302,
    )
    db.session.rollback()
    assert report.state == HazardState.RECTIFYING
    assert report.responsible_party == "市园林绿化中心"
    assert report.assignee_id == officer.id
    entries = db.session.execute(select(AuditEntry.action, AuditEntry.target)).all()
    assert sorted(entries) == [
        ("hazard.assign", f"hazard:{report.reference}"),
        ("hazard.state_change", f"hazard:{report.reference}"),
        ("hazard.state_change", f"hazard:{report.reference}"),
    ]
    text = text_of(client_request.get(f"/staff/hazards/{report.reference}"))
    assert "联系人李科长" in text and "王警官" in text


def test_an_officer_can_make_a_report_private(client_request, login_as, app_context):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    client_request.post(
        f"/staff/hazards/{report.reference}/privacy", {"private": "1"}, expected_status=302
    )
    db.session.rollback()
    assert report.is_private
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hazard.private"))
    assert entry.target == f"hazard:{report.reference}"
    assert client_request.client.get(f"/hazards/{report.reference}").status_code == 404
    assert client_request.client.get(f"/staff/hazards/{report.reference}").status_code == 200


def test_the_referral_letter_contains_the_reports_facts(client_request, login_as, app_context):
    officer = login_as(Role.HAZARD_OFFICER, display_name="王警官")
    report = create_hazard_report(
        state=HazardState.RECTIFYING,
        category="sight_line",
        location="漾泉大道魏家峪村口",
        responsible_party="市园林绿化中心",
        finding="绿化带缺失，车辆在村口随意掉头，存在事故隐患。",
        assignee_id=officer.id,
    )
    page = client_request.get(f"/staff/hazards/{report.reference}/letter?lang=en")
    letter = text_of(page.find("article"))
    for fact in (
        report.reference,
        "漾泉大道魏家峪村口",
        "市园林绿化中心",
        "绿化带缺失，车辆在村口随意掉头",
        "遮挡视线",
        "交警一大队",
        "王警官",
        "0353-122",
        "函",
    ):
        assert fact in letter, fact


def test_staff_see_the_photos_of_a_private_report(
    client_request, login_as, app_context, photo_store
):
    from tests.hazards.conftest import upload, valid_report_data
    from tests.hazards.images import jpeg_bytes
    from webapp.hazards.models import HazardReport

    client_request.post(
        "/hazards/new",
        {**valid_report_data(), "photos": [upload(jpeg_bytes())]},
        content_type="multipart/form-data",
        expected_status=302,
    )
    report = db.session.scalar(select(HazardReport))
    report.is_private = True
    db.session.commit()
    assert client_request.client.get(f"/hazards/{report.reference}/photos/1").status_code == 404
    login_as(Role.HAZARD_OFFICER)
    for path in ("photos/1", "thumbnails/1"):
        answer = client_request.client.get(f"/staff/hazards/{report.reference}/{path}")
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"


def test_the_state_form_offers_the_administrators_templates_first(
    client_request, login_as, app_context
):
    from tests.factories import create_response_template

    login_as(Role.HAZARD_OFFICER)
    create_response_template(
        state="investigating", title="已受理", body_zh="您反映的隐患已受理。", body_en="Accepted."
    )
    report = create_hazard_report()
    page = client_request.get(f"/staff/hazards/{report.reference}?to=investigating")
    assert page.find("textarea", attrs={"name": "public_message"}).get_text().strip() == (
        "您反映的隐患已受理。"
    )
    second = client_request.get(f"/staff/hazards/{report.reference}?to=investigating&template=2")
    assert "感谢您的反映" in second.find("textarea", attrs={"name": "public_message"}).get_text()
