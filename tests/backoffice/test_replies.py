"""Replies in the reporter's language: templates in both languages, their state chosen from
the workflow, the message prefilled in the report's language; no stored text carries a
fixed-language prefix (a reopen is an event whose label is translated when shown)."""

from datetime import timedelta

from sqlalchemy import select

from tests.factories import create_hazard_report, create_response_template
from tests.pages import text_of
from webapp.common.clock import utcnow
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.states import HazardState
from webapp.staff.models import ResponseTemplate
from webapp.staff.roles import Role


def _prefilled(page) -> str:
    return page.find("textarea", attrs={"name": "public_message"}).get_text().strip()


def test_the_reply_is_prefilled_in_the_language_of_the_report(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    create_response_template(title="已受理", body_zh="您反映的隐患已受理。", body_en="Accepted.")
    english_report = create_hazard_report(language="en")
    chinese_report = create_hazard_report(language="zh")

    page = client_request.get(f"/staff/hazards/{english_report.reference}?to=investigating")
    assert _prefilled(page) == "Accepted."  # the officer reads Chinese, the reporter English
    assert text_of(page.select_one("#reply-zh")) == "您反映的隐患已受理。"
    assert text_of(page.select_one("#reply-en")) == "Accepted."

    page = client_request.get(f"/staff/hazards/{chinese_report.reference}?to=investigating&lang=en")
    assert _prefilled(page) == "您反映的隐患已受理。"


def test_a_built_in_reply_is_offered_in_both_languages(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(language="en")
    page = client_request.get(f"/staff/hazards/{report.reference}?to=investigating&template=1")
    assert _prefilled(page).startswith("Thank you for your report")
    assert text_of(page.select_one("#reply-zh")).startswith("感谢您的反映")


def test_the_edited_reply_is_saved_as_the_officer_wrote_it(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report(language="en")
    client_request.post(
        f"/staff/hazards/{report.reference}/state",
        {"to_state": "investigating", "public_message": "Accepted; we will visit on Monday."},
        expected_status=302,
    )
    db.session.rollback()
    event = db.session.scalars(
        select(WorkflowEvent).where(WorkflowEvent.to_state == "investigating")
    ).one()
    assert event.public_message == "Accepted; we will visit on Monday."


def test_a_templates_state_is_chosen_from_the_workflows_states(client_request, login_as):
    login_as(Role.ADMIN)
    page = client_request.get("/staff/responses/new")
    options = {option["value"]: text_of(option) for option in page.select("#applies_to option")}
    assert options["hazard:rectifying"] == "道路隐患报告 · 整改中"
    assert "training:scheduled" in options and "booking:no_show" in options
    client_request.post(
        "/staff/responses/new",
        {
            "applies_to": "hazard:rectifying",
            "title": "已转办",
            "body_zh": "已转交市政部门整改。",
            "body_en": "Referred to the municipal works department.",
        },
        expected_status=302,
    )
    template = db.session.scalar(select(ResponseTemplate))
    assert (template.subject_type, template.state) == ("hazard", "rectifying")
    listed = text_of(client_request.get("/staff/responses/"))
    assert "整改中" in listed and "rectifying" not in listed
    page = client_request.get(f"/staff/responses/{template.id}")
    assert page.select_one('#applies_to option[value="hazard:rectifying"]').has_attr("selected")


def test_a_template_needs_both_texts_and_a_real_state(client_request, login_as):
    login_as(Role.ADMIN)
    page = client_request.post(
        "/staff/responses/new",
        {"applies_to": "hazard:made_up", "title": "新", "body_zh": "x", "body_en": ""},
    )
    assert page.select_one("#applies_to-error") is not None
    assert page.select_one("#body_en-error") is not None
    assert page.select_one("#title")["value"] == "新"
    assert db.session.scalars(select(ResponseTemplate)).all() == []


def test_a_reopen_is_stored_without_a_prefix_and_labelled_in_each_language(
    client_request, app_context
):
    report = create_hazard_report(
        state=HazardState.CLOSED,
        reporter_phone="13800138000",
        closed_at=utcnow() - timedelta(days=1),
    )
    client_request.post(
        "/hazards/reopen",
        {"reference": report.reference, "reporter_phone": "13800138000", "message": "护栏还是坏的"},
        follow_redirects=True,
    )
    db.session.rollback()
    event = db.session.scalars(select(WorkflowEvent).where(WorkflowEvent.kind == "reopen")).one()
    assert event.public_message == "护栏还是坏的"
    english = text_of(client_request.get(f"/hazards/{report.reference}?lang=en"))
    assert "The reporter says the hazard is still there." in english and "报告人" not in english
    chinese = text_of(client_request.get(f"/hazards/{report.reference}?lang=zh"))
    assert "报告人反映隐患仍然存在。" in chinese


def test_an_admin_edits_and_deletes_a_template_and_each_act_is_audited(client_request, login_as):
    from webapp.common.audit import AuditEntry

    login_as(Role.ADMIN)
    template = create_response_template(title="已受理")
    client_request.post(
        f"/staff/responses/{template.id}",
        {
            "applies_to": "hazard:closed",
            "title": "已销号",
            "body_zh": "隐患已整改，销号。",
            "body_en": "Fixed and closed.",
        },
        expected_status=302,
    )
    page = client_request.post(
        "/staff/responses/new",
        {"applies_to": "hazard:closed", "title": "已销号", "body_zh": "x", "body_en": "y"},
    )
    assert "已存在" in text_of(page.select_one(".error-summary"))
    client_request.post(f"/staff/responses/{template.id}/delete", expected_status=302)
    db.session.rollback()
    assert db.session.scalar(select(ResponseTemplate)) is None
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["template.save", "template.delete"]


def test_a_training_schedule_is_prefilled_in_the_companys_language(client_request, login_as):
    from tests.factories import create_training_request

    login_as(Role.EDUCATION_OFFICER)
    create_response_template(
        subject_type="training",
        state="scheduled",
        title="已安排",
        body_zh="培训已安排，请按时参加。",
        body_en="The training is scheduled; please be on time.",
    )
    training = create_training_request(state="reviewing", language="en")
    page = client_request.get(f"/staff/training/{training.id}/schedule")
    assert _prefilled(page) == "The training is scheduled; please be on time."
    assert text_of(page.select_one("#reply-zh")) == "培训已安排，请按时参加。"
