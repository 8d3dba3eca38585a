"""Waiting lists under concurrency, through gunicorn workers, on SQLite and PostgreSQL.

Each test starts its acts together behind a barrier: two seats freed at once
go to the first two in line and never both to one; a person who books another
session meanwhile is never left holding an offer; a freed seat is never both
offered and booked.
"""

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.appointments.helpers import read_fresh
from tests.appointments.waitlist_setup import applicant, full_session, join
from tests.factories import create_session
from tests.live import serve_app
from webapp.appointments.models import AppointmentSession, Booking
from webapp.appointments.states import BookingState
from webapp.appointments.waitlist import services as waitlist
from webapp.appointments.waitlist.models import WaitlistEntry
from webapp.appointments.waitlist.states import EntryState
from webapp.common.clock import local_today
from webapp.extensions import db
from webapp.notifications.models import OutboxMessage

pytestmark = pytest.mark.slow


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One applicant's browser: its own cookies; each act is prepared, then fired."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(f"{self.base_url}{path}", data=body, timeout=120) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def _token(self, path: str) -> str:
        _, page = self._open(path)
        return BeautifulSoup(page, "html.parser").select_one("input[name=csrf_token]")["value"]

    def prepare_cancel(self, booking: Booking):
        """Look the booking up; return the act that cancels it."""
        token = self._token("/appointments/manage")
        status, _ = self._open(
            "/appointments/manage",
            {"csrf_token": token, "reference": booking.reference, "id_number": booking.id_number},
        )
        assert status == 302
        return lambda: self._open(
            "/appointments/manage/cancel", {"csrf_token": token, "confirmed": "1"}
        )

    def prepare_booking(self, session_id: int, person):
        """Open the booking form; return the act that books the seat."""
        path = f"/appointments/motorcycle_exam/?session_id={session_id}"
        answers = {
            "csrf_token": self._token(path),
            "session_id": session_id,
            "full_name": person.full_name,
            "id_number": person.id_number,
            "phone": person.phone,
            "subject": "2",
            "licence_class": "E",
            "confirm": "1",
        }
        return lambda: self._open("/appointments/motorcycle_exam/", answers)


def _together(acts) -> list[tuple[int, str]]:
    start = threading.Barrier(len(acts))

    def run(act):
        start.wait()
        return act()

    with ThreadPoolExecutor(max_workers=len(acts)) as pool:
        return list(pool.map(run, acts))


def _serve(app):
    return serve_app(
        database_url=app.config["SQLALCHEMY_DATABASE_URI"],
        upload_dir=app.config["UPLOAD_DIR"],
        workers=4,
    )


def _state_of(entry) -> tuple[str, int | None]:
    row = db.session.get(WaitlistEntry, entry.id)
    return row.state, row.offered_session_id


def _seats(session) -> tuple[int, int]:
    row = db.session.get(AppointmentSession, session.id)
    return row.seats_taken, row.seats_held


def _offers_to(entry) -> int:
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "waitlist_offer", OutboxMessage.subject_id == entry.id
        )
    )


def test_two_seats_freed_at_once_go_to_the_first_two_in_line_one_each(app, app_context):
    first_day = local_today() + timedelta(days=5)
    one, [booked_one] = full_session(day=first_day)
    two, [booked_two] = full_session(day=first_day + timedelta(days=1))
    days = (one.day, two.day)
    line = [waitlist.join_waitlist("motorcycle_exam", applicant(), days=days) for _ in range(3)]
    with _serve(app) as base_url:
        acts = [Browser(base_url).prepare_cancel(b) for b in (booked_one, booked_two)]
        outcomes = _together(acts)

    assert [status for status, _ in outcomes] == [302, 302]
    read_fresh()
    states = [_state_of(entry) for entry in line]
    assert [state for state, _ in states[:2]] == [EntryState.OFFERED, EntryState.OFFERED]
    assert {session for _, session in states[:2]} == {one.id, two.id}  # one seat each
    assert states[2] == (EntryState.WAITING, None)
    assert _seats(one) == _seats(two) == (0, 1)
    assert [_offers_to(entry) for entry in line] == [1, 1, 0]  # never one twice


def test_someone_who_books_another_session_meanwhile_is_not_left_with_an_offer(app, app_context):
    wanted, [booking] = full_session()
    other = create_session(day=wanted.day + timedelta(days=1))
    person, next_person = applicant(), applicant()
    first, second = join(wanted, person), join(wanted, next_person)
    with _serve(app) as base_url:
        cancel = Browser(base_url).prepare_cancel(booking)
        book_other = Browser(base_url).prepare_booking(other.id, person)
        (cancelled, _), (booked, _) = _together([cancel, book_other])

    assert (cancelled, booked) == (302, 302)
    read_fresh()
    assert _state_of(first)[0] == EntryState.CLOSED
    assert _state_of(second) == (EntryState.OFFERED, wanted.id)
    assert _seats(wanted) == (0, 1) and _seats(other) == (1, 0)


def test_a_freed_seat_is_never_both_offered_and_booked(app, app_context):
    session, [booking] = full_session()
    waiting = join(session)
    strangers = [applicant() for _ in range(3)]
    with _serve(app) as base_url:
        acts = [Browser(base_url).prepare_cancel(booking)]
        acts += [Browser(base_url).prepare_booking(session.id, s) for s in strangers]
        outcomes = _together(acts)

    assert 500 not in [status for status, _ in outcomes]
    assert all('id="session-full"' in page for _, page in outcomes[1:])
    read_fresh()
    assert _state_of(waiting) == (EntryState.OFFERED, session.id)
    assert _seats(session) == (0, 1)
    active = select(func.count(Booking.id)).where(
        Booking.session_id == session.id, Booking.state == BookingState.ACTIVE
    )
    assert db.session.scalar(active) == 0
