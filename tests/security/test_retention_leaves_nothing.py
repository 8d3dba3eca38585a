"""After `flask retention apply`, nothing personal of an anonymised submission is left.

Each kind of submission is seeded with its person's name, phone, ID number, e-mail,
plate and address typed into every free-text place (as citizens and staff type
them), aged past RETENTION_DAYS, and then every text column of every row of every
table is searched for those values. The figures (states, categories, dates,
counts) must stay.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Date, DateTime, func, select, update

from tests.factories import (
    create_booking,
    create_hazard_report,
    create_outbox_message,
    create_session,
    create_training_request,
    create_user,
)
from tests.security.database_scan import where_found
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.staff_services import mark_no_show
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.states import EntryState
from webapp.common.audit import AuditEntry, record_audit, target_of
from webapp.common.clock import local_today
from webapp.common.identifiers import id_number_check_char
from webapp.common.workflow import WorkflowEvent, WorkflowNote, add_note
from webapp.extensions import db
from webapp.hazards.letters import LetterDetails, keep_letter
from webapp.hazards.models import HazardFollower, HazardReport
from webapp.hazards.staff_services import StateChange, change_report_state
from webapp.hazards.states import HazardState
from webapp.notifications.models import OutboxMessage
from webapp.notifications.retention import NOTE_REMOVED, declared_columns
from webapp.notifications.states import MessageStatus
from webapp.staff.roles import Role
from webapp.training import services as training_services
from webapp.training.models import TrainingRequest
from webapp.training.states import TrainingState

AGE = timedelta(days=800)  # well past the default RETENTION_DAYS (365)


def _id_number(first17: str) -> str:
    return first17 + id_number_check_char(first17)


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    id_number: str
    email: str
    plate: str  # as typed, e.g. 晋M·7K3Q9
    ip: str

    @property
    def needles(self) -> dict[str, str]:
        """What must not be found anywhere: the plate by its serial part."""
        return {
            "name": self.name,
            "phone": self.phone,
            "ID number": self.id_number,
            "e-mail": self.email,
            "plate": self.plate[-5:],
            "address": self.ip,
        }

    def everything(self) -> str:
        return f"{self.name}，手机{self.phone}，身份证{self.id_number}，邮箱{self.email}，车牌{self.plate}"


REPORTER = Person(
    "欧阳明月",
    "13912340001",
    _id_number("14080219900307123"),
    "oy.mingyue@example.com",
    "晋M·7K3Q9",
    "203.0.113.71",
)
CONTACT = Person(
    "司徒安全",
    "13712340002",
    _id_number("14030219850101456"),
    "situ.anquan@example.com",
    "晋A·5X8W2",
    "203.0.113.72",
)
APPLICANT = Person(
    "上官考生",
    "15812340003",
    _id_number("14090119950620789"),
    "sg.kaosheng@example.com",
    "晋K·3H6P4",
    "203.0.113.73",
)
PEOPLE = (REPORTER, CONTACT, APPLICANT)


def find_personal_data() -> list[str]:
    """Every `table.column: what` where a seeded value is found, over the whole database."""
    return where_found(
        {
            f"{person.name}'s {kind}": value
            for person in PEOPLE
            for kind, value in person.needles.items()
        }
    )


def _columns_holding_personal_data() -> set[str]:
    return {hit.partition(":")[0] for hit in find_personal_data()}


def _age_everything(by: timedelta) -> None:
    """Move every date and time in the database back, as if it all happened long ago."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, DateTime | Date):
                continue
            for key, value in db.session.execute(select(*table.primary_key.columns, column)):
                if value is not None:
                    db.session.execute(
                        update(table)
                        .where(next(iter(table.primary_key.columns)) == key)
                        .values({column.name: value - by})
                    )
    db.session.commit()


def _statistics() -> dict:
    """What the figures are made of: states, categories, kinds, dates and counts."""
    db.session.expire_all()
    return {
        "hazards": db.session.execute(
            select(HazardReport.state, HazardReport.category, HazardReport.created_at).order_by(
                HazardReport.id
            )
        ).all(),
        "training": db.session.execute(
            select(
                TrainingRequest.state,
                TrainingRequest.company_name,
                TrainingRequest.industry,
                TrainingRequest.attendance,
                TrainingRequest.state_changed_at,
            ).order_by(TrainingRequest.id)
        ).all(),
        "bookings": db.session.execute(
            select(Booking.service, Booking.state, Booking.result, Booking.session_id).order_by(
                Booking.id
            )
        ).all(),
        "sessions": db.session.execute(
            select(AppointmentSession.service, AppointmentSession.day, AppointmentSession.place)
        ).all(),
        "events": db.session.execute(
            select(
                WorkflowEvent.subject_type,
                WorkflowEvent.from_state,
                WorkflowEvent.to_state,
                WorkflowEvent.created_at,
            ).order_by(WorkflowEvent.id)
        ).all(),
        "notes": db.session.scalar(select(func.count()).select_from(WorkflowNote)),
        "messages": db.session.execute(
            select(OutboxMessage.subject_type, OutboxMessage.kind, OutboxMessage.channel).order_by(
                OutboxMessage.id
            )
        ).all(),
        "audit": db.session.execute(
            select(AuditEntry.action, AuditEntry.created_at).order_by(AuditEntry.id)
        ).all(),
    }


def _seed_hazard_reports(officer) -> None:
    person = REPORTER
    report = create_hazard_report(
        reporter_name=person.name,
        reporter_phone=person.phone,
        description=f"护栏被撞坏。我是{person.everything()}。",
        location=f"幸福路{person.name}家门口",
    )
    record_audit("hazard.submit", actor_name="resident", target=target_of(report), ip=person.ip)
    # A neighbour who follows it, with the same number (it is what is looked for).
    db.session.add(
        HazardFollower(report_id=report.id, phone=person.phone, confirmed_at=report.created_at)
    )
    db.session.commit()
    for change in (
        StateChange("investigating", public_message=f"已电话联系{person.name}（{person.phone}）。"),
        StateChange(
            "rectifying",
            public_message=f"已转物业整改，{person.name}的车{person.plate}已挪走。",
            responsible_party=f"幸福路物业（报告人{person.name} {person.phone}）",
            finding=f"{person.name}反映属实，{person.everything()}",
            rectification_request=f"整改后告知{person.name}，{person.email}",
        ),
        StateChange("closed", public_message=f"已修复，感谢{person.name}。"),
    ):
        change_report_state(report, change, actor=officer, ip="10.1.1.1")
    keep_letter(
        report,
        LetterDetails(
            deadline_days=10,
            contact_name="王警官",
            contact_unit="交警一大队",
            contact_phone="0353-122",
        ),
        actor=officer,
    )
    add_note(report, f"{person.name}说晚上再来电话，{person.everything()}", author=officer)
    record_audit(
        "hazard.state_change",
        actor=officer,
        target=target_of(report),
        detail=f"called {person.name} {person.phone} {person.email}",
    )
    rejected = create_hazard_report(
        reporter_name=person.name, reporter_phone=person.phone, description="路灯不亮。"
    )
    change_report_state(
        rejected,
        StateChange("rejected", public_message=f"{person.name}您好，路灯归供电局管，请拨打95598。"),
        actor=officer,
    )
    # A message that was never sent (still pending) and one the gateway refused.
    create_outbox_message(
        kind="state_changed",
        recipient=person.phone,
        subject_type="hazard",
        subject_id=report.id,
        context={
            "reference": report.reference,
            "state": "x",
            "message": person.name,
            "link": "l",
            "stop": "s",
        },
    )
    create_outbox_message(
        kind="state_changed",
        recipient=person.phone,
        subject_type="hazard",
        subject_id=rejected.id,
        context={
            "reference": rejected.reference,
            "state": "x",
            "message": person.name,
            "link": "l",
            "stop": "s",
        },
        status=MessageStatus.FAILED,
        last_error=f"gateway refused {person.phone}",
    )
    db.session.commit()


def _seed_training_requests(officer) -> None:
    person = CONTACT
    declined = create_training_request(
        contact_name=person.name,
        contact_phone=person.phone,
        contact_email=person.email,
        notes=f"请找{person.everything()}",
        address=f"迎泽大街1号（{person.name}办公室）",
    )
    training_services.start_review(declined, actor=officer, ip="10.1.1.1")
    training_services.decline_request(
        declined,
        reason=f"{person.name}（{person.phone}）电话告知人数不足，已告{person.email}。",
        actor=officer,
        ip="10.1.1.1",
    )
    training_services.add_internal_note(declined, f"{person.name}很配合", author=officer)
    delivered = create_training_request(
        state=TrainingState.DELIVERED,
        attendance=35,
        contact_name=person.name,
        contact_phone=person.phone,
        contact_email=person.email,
        session_address=f"{person.name}的车间，{person.plate}旁",
        delivery_notes=f"{person.name}组织得好，{person.phone}",
    )
    record_audit(
        "training.view_personal_data",
        actor=officer,
        target=target_of(delivered),
        detail=f"{person.name} {person.email}",
    )
    # An e-mail with its subject, sent long ago.
    create_outbox_message(
        kind="training_scheduled",
        channel="email",
        recipient=person.email,
        subject_type="training",
        subject_id=delivered.id,
        context={"reference": delivered.reference, "when": delivered.created_at, "place": "x"},
        status=MessageStatus.SENT,
        subject=f"{person.name}：培训安排",
    )
    db.session.commit()


def _seed_bookings(officer) -> None:
    person = APPLICANT
    session = create_session(day=local_today() - timedelta(days=2))
    booking = create_booking(
        session=session, full_name=person.name, id_number=person.id_number, phone=person.phone
    )
    mark_no_show(
        booking, actor=officer, public_message=f"{person.name}未到，{person.phone}无人接。"
    )
    add_note(booking, f"{person.name}的家属来电，{person.everything()}", author=officer)
    # The same person waited for a seat and declined it.
    db.session.add(
        WaitlistEntry(
            reference="W20240101-OLD001",
            service=session.service,
            session_id=session.id,
            first_day=session.day,
            last_day=session.day,
            full_name=person.name,
            id_number=person.id_number,
            phone=person.phone,
            email=person.email,
            state=EntryState.DECLINED,
        )
    )
    # What older code wrote for a search, and what a target may hold when typed in.
    record_audit("booking.search", actor=officer, detail=f"query: {person.id_number}")
    record_audit("booking.search", actor=officer, target=f"search:{person.phone}", detail="0 found")
    # A login failure written before usernames were checked: a phone typed as the name.
    record_audit("login.failure", actor_name=person.phone, ip=person.ip, detail="unknown user")
    db.session.commit()
    create_outbox_message(
        kind="booking_confirmed",
        recipient=person.phone,
        subject_type="booking",
        subject_id=booking.id,
        status=MessageStatus.SENT,
        body=f"{person.name}您好，{person.everything()}",
    )


@pytest.fixture
def old_submissions(app_context):
    officer = create_user(roles=[Role.ADMIN])
    _seed_hazard_reports(officer)
    _seed_training_requests(officer)
    _seed_bookings(officer)
    _age_everything(AGE)


def test_nothing_personal_of_an_anonymised_submission_is_left_anywhere(
    runner, old_submissions, app_context
):
    seeded = _columns_holding_personal_data()
    before = _statistics()

    result = runner.invoke(args=["retention", "apply"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert find_personal_data() == []
    assert _statistics() == before
    # Every column that retention says it anonymises was seeded above, so this test
    # checks each of them.
    anonymised = {declared.column for declared in declared_columns() if declared.anonymised}
    assert anonymised - seeded == set()


def test_staff_notes_of_an_anonymised_submission_say_that_they_were_removed(
    runner, old_submissions, app_context
):
    runner.invoke(args=["retention", "apply"])

    bodies = db.session.scalars(select(WorkflowNote.body)).all()
    assert bodies == [NOTE_REMOVED] * 3


def test_a_second_run_changes_nothing(runner, old_submissions, app_context):
    runner.invoke(args=["retention", "apply"])
    before = _statistics()

    again = runner.invoke(args=["retention", "apply"])

    counts = [line.rpartition(": ")[2] for line in again.output.splitlines()[1:]]
    anonymised = [count for count in counts if count.endswith(" anonymised")]
    assert anonymised and set(anonymised) == {"0 anonymised"}, again.output
    assert counts[len(anonymised) :] == ["0 file(s) removed, 0 renamed"], again.output
    assert _statistics() == before


def test_public_messages_keep_what_they_said_without_the_person(
    runner, old_submissions, app_context
):
    runner.invoke(args=["retention", "apply"])

    messages = db.session.scalars(
        select(WorkflowEvent.public_message).where(WorkflowEvent.subject_type == "hazard")
    ).all()
    assert "已电话联系***（139****0001）。" in messages
    assert "***您好，路灯归供电局管，请拨打95598。" in messages


def test_submissions_still_open_or_recent_keep_their_personal_data(runner, app_context):
    officer = create_user(roles=[Role.ADMIN])
    _seed_hazard_reports(officer)
    _seed_training_requests(officer)
    _seed_bookings(officer)
    open_report = create_hazard_report(
        state=HazardState.INVESTIGATING, reporter_name="王仍在", reporter_phone="13600000009"
    )
    _age_everything(timedelta(days=30))

    runner.invoke(args=["retention", "apply"])

    db.session.expire_all()
    assert db.session.get(HazardReport, open_report.id).reporter_phone == "13600000009"
    found = find_personal_data()
    for table in ("hazard_reports", "training_requests", "bookings", "workflow_events", "outbox"):
        assert any(hit.startswith(f"{table}.") for hit in found), table
