"""Response templates: admins keep them; features read them by type and state."""

from sqlalchemy import select

from tests.factories import create_response_template
from webapp.common.audit import AuditEntry
from webapp.extensions import db
from webapp.staff.models import ResponseTemplate
from webapp.staff.responses import template_choices, templates_for
from webapp.staff.roles import Role


def test_templates_for_a_type_and_state_are_listed_by_title(app_context):
    create_response_template(title="B 已派员")
    create_response_template(title="A 已受理")
    create_response_template(state="closed", title="已销号")
    create_response_template(subject_type="training", title="培训")
    assert [t.title for t in templates_for("hazard", "investigating")] == ["A 已受理", "B 已派员"]


def test_a_state_change_form_gets_the_messages_as_choices(app_context):
    create_response_template(title="已受理", body_en="Accepted.")
    assert template_choices("hazard", "investigating", language="en") == [("Accepted.", "已受理")]
    assert template_choices("hazard", "closed", language="zh") == []


def test_a_template_speaks_english_when_it_has_english(app_context):
    template = create_response_template(body_en="")
    assert template.body_for("en") == template.body_zh
    template.body_en = "Accepted."
    assert template.body_for("en") == "Accepted."


def test_an_admin_adds_edits_and_deletes_a_template(client_request, login_as):
    login_as(Role.ADMIN)
    client_request.post(
        "/staff/responses/new",
        {
            "subject_type": "hazard",
            "state": "rectifying",
            "title": "已转办",
            "body_zh": "已转交市政部门整改。",
            "body_en": "Referred to the municipal works department.",
        },
        expected_status=302,
    )
    template = db.session.scalar(select(ResponseTemplate))
    assert (template.subject_type, template.state, template.title) == (
        "hazard",
        "rectifying",
        "已转办",
    )
    page = client_request.get("/staff/responses/")
    assert "已转办" in page.get_text()
    client_request.post(f"/staff/responses/{template.id}/delete", expected_status=302)
    db.session.rollback()  # see what the request committed
    assert db.session.scalar(select(ResponseTemplate)) is None
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["template.save", "template.delete"]


def test_a_duplicate_title_or_a_bad_state_code_is_answered_on_the_form(client_request, login_as):
    login_as(Role.ADMIN)
    create_response_template(title="已受理")
    page = client_request.post(
        "/staff/responses/new",
        {"subject_type": "hazard", "state": "investigating", "title": "已受理", "body_zh": "x"},
    )
    assert "已存在" in page.select_one(".error-summary").get_text()
    page = client_request.post(
        "/staff/responses/new",
        {"subject_type": "hazard", "state": "Bad State!", "title": "新", "body_zh": "x"},
    )
    assert page.select_one("#state-error") is not None
    assert page.select_one("#title")["value"] == "新"
    assert len(db.session.scalars(select(ResponseTemplate)).all()) == 1
