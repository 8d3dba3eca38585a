"""The referral letter says what the officer decided, is reviewed before printing, and is
kept with the report as sent."""

from datetime import date

from sqlalchemy import select

from tests.factories import create_hazard_report, create_user
from tests.pages import text_of
from webapp.common.audit import AuditEntry
from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards import letters
from webapp.hazards.services import public_timeline
from webapp.hazards.states import HazardState
from webapp.staff.roles import Role

DETAILS = letters.LetterDetails(
    deadline_days=7,
    contact_name="王警官",
    contact_unit="交警一大队秩序科",
    contact_phone="0353-2021234",
)


def _rectifying_report():
    return create_hazard_report(
        state=HazardState.RECTIFYING,
        location="漾泉大道魏家峪村口",
        responsible_party="市园林绿化中心",
        finding="绿化带缺失，车辆在村口随意掉头。",
    )


def test_the_letter_carries_the_officers_deadline_and_contact(app_context):
    text = letters.compose_letter(_rectifying_report(), DETAILS, today=date(2026, 12, 3))
    assert "请于收函之日起 7 个工作日内完成整改" in text
    assert "十五个工作日" not in text
    assert "联系人：王警官（交警一大队秩序科）　联系电话：0353-2021234" in text
    assert text.splitlines()[-1] == "2026年12月3日"


def test_a_kept_letter_is_an_event_with_its_text_and_no_change_of_state(app_context):
    officer = create_user(roles=[Role.HAZARD_OFFICER])
    report = _rectifying_report()
    event = letters.keep_letter(report, DETAILS, actor=officer)
    db.session.rollback()
    kept = db.session.get(WorkflowEvent, event.id)
    assert (kept.kind, kept.from_state, kept.to_state) == ("letter", "rectifying", "rectifying")
    assert "7 个工作日" in kept.detail and kept.public_message == ""
    assert report.state == HazardState.RECTIFYING
    assert kept not in public_timeline(report)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hazard.letter"))
    assert entry.target == f"hazard:{report.reference}"


def test_the_officer_reviews_the_letter_with_their_details(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    report = _rectifying_report()
    url = f"/staff/hazards/{report.reference}/letter"
    page = client_request.get(
        url,
        query_string={
            "deadline_days": "10",
            "contact_name": "李警官",
            "contact_unit": "交警一大队",
            "contact_phone": "13800138000",
        },
    )
    preview = text_of(page.select_one("#letter-preview"))
    assert "10 个工作日" in preview and "李警官（交警一大队）" in preview
    assert "13800138000" in preview
    assert page.select_one('form[method="post"] input[name="deadline_days"]')["value"] == "10"

    page = client_request.get(
        url,
        query_string={
            "deadline_days": "0",
            "contact_name": "李警官",
            "contact_unit": "交警一大队",
            "contact_phone": "call me",
        },
    )
    assert page.select_one("#letter-preview") is None
    assert page.select_one("#deadline_days-error") and page.select_one("#contact_phone-error")
    assert page.select_one("#contact_name")["value"] == "李警官"


def test_the_kept_letter_is_printed_and_shown_in_the_history(client_request, login_as):
    login_as(Role.HAZARD_OFFICER, display_name="王警官")
    report = _rectifying_report()
    answer = client_request.post(
        f"/staff/hazards/{report.reference}/letter",
        {
            "deadline_days": "12",
            "contact_name": "王警官",
            "contact_unit": "交警一大队",
            "contact_phone": "0353-122",
        },
        expected_status=302,
    )
    kept = client_request.get(answer.location)
    assert "12 个工作日" in text_of(kept.select_one("#kept-letter"))
    history = client_request.get(f"/staff/hazards/{report.reference}?lang=en")
    assert "Referral letter sent." in text_of(history)
    assert "12 个工作日" in text_of(history.select_one("details pre"))
    public = client_request.get(f"/hazards/{report.reference}")
    assert "个工作日" not in text_of(public) and "转办函" not in text_of(public)
