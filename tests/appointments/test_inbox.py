"""Bookings needing action in the back office's inbox; bulk actions; dashboard figures."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.appointments.helpers import read_fresh
from tests.factories import create_booking, create_session, create_user
from tests.pages import text_of
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState, ExamResult
from webapp.common.clock import local_to_utc, local_today
from webapp.extensions import db
from webapp.notifications.messages import MessageKind
from webapp.notifications.models import OutboxMessage
from webapp.staff.reporting import build_report, calendar_year
from webapp.staff.roles import Role

TODAY = local_today()


def _made_in(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time(10)))


def _references(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select("table.inbox tbody td a")]


@pytest.fixture
def queue(app_context):
    """Bookings of a past, today's and a future session, in every state."""
    past = create_session(service="licence_renewal", day=TODAY - timedelta(days=30))
    today = create_session(day=TODAY, starts_at=time(0, 0))  # begun whenever the test runs
    future = create_session(day=TODAY + timedelta(days=5))
    return {
        "past": create_booking(
            session=past,
            full_name="王芳",
            phone="13911112222",
            created_at=_made_in(TODAY - timedelta(days=40)),
        ),
        "today": create_booking(session=today),
        "future": create_booking(session=future),
        "done": create_booking(session=past, state=BookingState.COMPLETED),
        "cancelled": create_booking(session=today, state=BookingState.CANCELLED),
    }


def test_a_booking_clerk_sees_the_bookings_needing_action(client_request, login_as, queue):
    login_as(Role.BOOKING_CLERK)
    page = client_request.get("/staff/")
    assert sorted(_references(page)) == sorted([queue["past"].reference, queue["today"].reference])
    table = text_of(page.select_one("table.inbox"))
    assert "139****2222" in table and "王芳" in table
    assert "13911112222" not in page.get_text() and queue["past"].id_number not in page.get_text()
    link = page.find("a", string=queue["past"].reference)
    assert link["href"] == f"/staff/appointments/bookings/{queue['past'].id}"


def test_a_booking_whose_session_is_long_past_is_marked_overdue(client_request, login_as, queue):
    login_as(Role.BOOKING_CLERK)
    page = client_request.get("/staff/")
    overdue = [text_of(row) for row in page.select("tr.row-overdue")]
    assert len(overdue) == 1 and queue["past"].reference in overdue[0]


@pytest.mark.parametrize(
    ("query", "who"), [("王芳", "past"), ("1391111", "past"), ("id", "today"), ("ref", "future")]
)
def test_the_clerk_finds_bookings_by_name_phone_id_number_or_reference(
    client_request, login_as, queue, query, who
):
    login_as(Role.BOOKING_CLERK)
    wanted = queue[who]
    term = {"id": wanted.id_number, "ref": wanted.reference.lower()}.get(query, query)
    page = client_request.get("/staff/", query_string={"q": term, "state": "all"})
    assert _references(page) == [wanted.reference]


def test_a_hazard_officer_neither_sees_nor_opens_bookings(client, client_request, login_as, queue):
    login_as(Role.HAZARD_OFFICER)
    page = client_request.get("/staff/", query_string={"state": "all"})
    assert not any(ref.startswith("A") for ref in _references(page))
    assert queue["today"].reference not in page.get_text()
    assert client.get(f"/staff/appointments/bookings/{queue['today'].id}").status_code == 403


def _bulk(client_request, bookings, **fields):
    page = client_request.post(
        "/staff/inbox/bulk",
        {"row": [f"booking:{b.id}" for b in bookings], "confirmed": "1", **fields},
    )
    read_fresh()
    return [text_of(row) for row in page.select("tbody tr")]


def test_bulk_no_show_is_done_where_the_workflow_allows_and_refused_elsewhere(
    client_request, login_as, queue
):
    login_as(Role.BOOKING_CLERK, display_name="李娜")
    rows = [queue["past"], queue["today"], queue["future"], queue["cancelled"]]
    results = _bulk(client_request, rows, action="state", target_state="no_show", message="")

    assert results[0].endswith("已完成") and results[1].endswith("已完成")
    assert "只能在场次开始后登记" in results[2]
    assert "不能从“预约已取消”转为“缺考”" in results[3]
    states = {b.id: (b.state, b.result) for b in db.session.scalars(select(Booking))}
    assert states[queue["past"].id] == (BookingState.COMPLETED, ExamResult.NO_SHOW)
    assert states[queue["future"].id] == (BookingState.ACTIVE, None)


def test_bulk_completion_checks_in_a_renewal_but_not_an_exam(client_request, login_as, queue):
    login_as(Role.BOOKING_CLERK)
    results = _bulk(
        client_request, [queue["past"], queue["today"]], action="state", target_state="completed"
    )
    assert results[0].endswith("已完成") and "考试结果" in results[1]
    renewal = db.session.get(Booking, queue["past"].id)
    assert renewal.state == BookingState.COMPLETED and renewal.checked_in_at is not None
    assert db.session.get(Booking, queue["today"].id).is_active


def test_bulk_cancel_frees_the_seat_and_tells_the_applicant_of_a_session_to_come(
    client_request, login_as, queue
):
    login_as(Role.BOOKING_CLERK)
    future = queue["future"]
    _bulk(client_request, [future], action="state", target_state="cancelled", message="")
    assert db.session.get(Booking, future.id).state == BookingState.CANCELLED
    assert db.session.get(AppointmentSession, future.session_id).seats_taken == 0
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (message.kind, message.subject_id) == (MessageKind.BOOKING_CANCELLED, future.id)


def test_bulk_assign_takes_active_bookings_and_refuses_closed_ones(client_request, login_as, queue):
    me = login_as(Role.BOOKING_CLERK)
    results = _bulk(client_request, [queue["past"], queue["done"]], action="assign_me")
    assert results[0].endswith("已完成") and "只有" in results[1]
    assert db.session.get(Booking, queue["past"].id).assignee_id == me.id
    mine = client_request.get("/staff/", query_string={"mine": "y"})
    assert _references(mine) == [queue["past"].reference]


def test_the_annual_figures_count_bookings_attendance_and_no_shows_by_service(app_context):
    exams = create_session(day=date(2025, 3, 10))
    renewals = create_session(service="licence_renewal", day=date(2025, 7, 1))
    for result in (ExamResult.PASS, ExamResult.FAIL, ExamResult.NO_SHOW):
        create_booking(
            session=exams,
            state=BookingState.COMPLETED,
            result=result,
            created_at=_made_in(date(2025, 3, 1)),
        )
    create_booking(
        session=exams, state=BookingState.CANCELLED, created_at=_made_in(date(2025, 3, 2))
    )
    create_booking(
        session=renewals,
        state=BookingState.COMPLETED,
        checked_in_at=_made_in(date(2025, 7, 1)),
        created_at=_made_in(date(2025, 6, 20)),
    )
    create_booking(
        session=renewals,
        state=BookingState.COMPLETED,
        result=ExamResult.NO_SHOW,
        created_at=_made_in(date(2025, 6, 21)),
    )
    create_booking(session=renewals, created_at=_made_in(date(2024, 12, 31)))  # another year
    clerk = create_user(roles=[Role.BOOKING_CLERK])

    [item] = [
        i for i in build_report(clerk, calendar_year(2025)).sources if i.source.type == "booking"
    ]
    figures = item.figures
    assert item.total == 6
    # Booked, completed, no-show, cancelled.
    assert [count for _label, count in figures.by_state] == [0, 3, 2, 1]
    assert [count for _label, count in figures.by_category] == [4, 2, 0]
    attended, no_shows, *_waiting_list = figures.tables
    assert [count for _label, count in attended.rows] == [2, 1, 0]
    assert [count for _label, count in no_shows.rows] == [1, 1, 0]
    assert item.monthly[2] == 4 and item.monthly[5] == 2 and sum(item.monthly) == 6


def test_the_annual_report_page_shows_attendance_and_no_shows(client_request, login_as, now):
    login_as(Role.BOOKING_CLERK)
    session = create_session(day=date(2025, 3, 10))
    create_booking(
        session=session,
        state=BookingState.COMPLETED,
        result=ExamResult.NO_SHOW,
        created_at=_made_in(date(2025, 3, 1)),
    )
    page = client_request.get("/staff/reports/annual", query_string={"year": "2025"})
    assert "缺考" in text_of(page)


@pytest.mark.parametrize(
    ("state", "who"), [("no_show", "no_show"), ("completed", "done"), ("cancelled", "cancelled")]
)
def test_the_state_filter_tells_no_shows_from_other_completed_bookings(
    client_request, login_as, queue, state, who
):
    login_as(Role.BOOKING_CLERK)
    queue["no_show"] = create_booking(
        session=queue["done"].session, state=BookingState.COMPLETED, result=ExamResult.NO_SHOW
    )
    page = client_request.get("/staff/", query_string={"state": state})
    assert _references(page) == [queue[who].reference]
