"""The audit log reads as phrases in the officer's language, one entry per act."""

from flask_babel import force_locale
from sqlalchemy import select

from tests.factories import create_booking, create_hazard_report, create_user
from tests.pages import text_of
from webapp.common.audit import AuditEntry, record_audit
from webapp.extensions import db
from webapp.hazards.states import HazardState
from webapp.staff.audit_phrases import action_name, describe
from webapp.staff.roles import Role


def _entry(action, *, target="", detail="") -> AuditEntry:
    return AuditEntry(action=action, target=target, detail=detail, actor_name="wang")


def test_a_state_change_reads_as_a_sentence_in_both_languages(app_context):
    entry = _entry(
        "hazard.state_change",
        target="hazard:H20261203-7KQ2XM",
        detail="investigating -> rectifying",
    )
    assert describe(entry) == "将 H20261203-7KQ2XM 的状态由“排查中”改为“整改中”"
    with force_locale("en"):
        assert describe(entry) == (
            "changed the state of H20261203-7KQ2XM from Investigating to Rectifying"
        )


def test_accounts_outcomes_and_unknown_codes_are_named(app_context):
    user = create_user(username="liu")
    assert describe(
        _entry("user.deactivate", target=f"user:{user.id}"), users={user.id: "liu"}
    ) == ("停用了账户 liu")
    corrected = _entry(
        "booking.result_corrected", target="booking:A20260302-X", detail="no_show → pass: 迟到"
    )
    with force_locale("en"):
        assert describe(corrected) == (
            "corrected the outcome of A20260302-X from No-show to Pass (reason: 迟到)"
        )
        assert action_name("session.closed") == "closed … to new bookings"
    assert describe(_entry("something.new", target="x:1", detail="d")) == "something.new x:1 d"


def test_the_audit_page_shows_phrases_and_labels_its_date_filters(client_request, login_as):
    login_as(Role.ADMIN)
    report = create_hazard_report(state=HazardState.INVESTIGATING)
    record_audit(
        "hazard.state_change",
        actor_name="wang",
        target=f"hazard:{report.reference}",
        detail="investigating -> rectifying",
    )
    db.session.commit()
    page = client_request.get("/staff/audit")
    assert f"将 {report.reference} 的状态由“排查中”改为“整改中”" in text_of(
        page.select_one("tbody")
    )
    labels = {label["for"]: text_of(label) for label in page.select("form.filters label")}
    assert labels["date_from"].startswith("起始日期")
    assert labels["date_to"].startswith("截止日期") and "收件人" not in text_of(page)
    options = [text_of(option) for option in page.select("#action option")]
    assert "将 … 的状态由“…”改为“…”" in options


def test_a_state_change_from_the_report_page_writes_one_entry(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    report = create_hazard_report()
    client_request.post(
        f"/staff/hazards/{report.reference}/state",
        {"to_state": "investigating", "public_message": "已受理。"},
        expected_status=302,
    )
    db.session.rollback()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target == f"hazard:{report.reference}")
    ).all()
    assert [(e.action, e.detail) for e in entries] == [
        ("hazard.state_change", "submitted -> investigating")
    ]


def test_a_bulk_change_writes_one_entry_per_row_with_the_state_it_left(client_request, login_as):
    login_as(Role.HAZARD_OFFICER)
    reports = [create_hazard_report(), create_hazard_report()]
    client_request.post(
        "/staff/inbox/bulk",
        {
            "row": [f"hazard:{r.id}" for r in reports],
            "action": "state",
            "target_state": "investigating",
            "message": "",
            "confirmed": "1",
        },
        expected_status=200,
    )
    db.session.rollback()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "state.change")
    ).all()
    assert sorted(e.target for e in entries) == sorted(f"hazard:{r.reference}" for r in reports)
    assert {e.detail for e in entries} == {"submitted -> investigating"}
    assert describe(entries[0]).endswith("的状态由“待受理”改为“排查中”")


def test_a_booking_no_show_in_bulk_reads_as_a_state_change(app_context):
    booking = create_booking()
    entry = _entry(
        "state.change", target=f"booking:{booking.reference}", detail="active -> no_show"
    )
    assert describe(entry) == f"将 {booking.reference} 的状态由“已预约”改为“缺考”"
