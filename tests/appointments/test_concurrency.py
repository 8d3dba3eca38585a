"""Fifty applicants book a ten-seat session at the same moment, through gunicorn workers."""

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
from tests.factories import create_session, make_id_number
from tests.live import serve_app
from webapp.appointments.models import AppointmentSession, Booking
from webapp.common.clock import local_today
from webapp.extensions import db

CLIENTS = 50
SEATS = 10


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Applicant:
    """One browser: its own cookie jar, its own CSRF token."""

    def __init__(self, base_url: str, session_id: int, number: int):
        self.base_url, self.session_id, self.number = base_url, session_id, number
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        self.url = f"{base_url}/appointments/motorcycle_exam/"

    def open_form(self) -> str:
        with self.opener.open(f"{self.url}?session_id={self.session_id}", timeout=60) as response:
            page = BeautifulSoup(response.read(), "html.parser")
        return page.select_one("input[name=csrf_token]")["value"]

    def confirm(self, token: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(
            {
                "csrf_token": token,
                "session_id": self.session_id,
                "full_name": f"考生{self.number}",
                "id_number": make_id_number(serial=self.number),
                "phone": f"1380000{self.number:04d}",
                "subject": "2",
                "licence_class": "E",
                "confirm": "1",
            }
        ).encode()
        try:
            with self.opener.open(self.url, data=body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.mark.slow
def test_fifty_applicants_at_once_get_exactly_ten_seats(app, app_context):
    session = create_session(day=local_today() + timedelta(days=5), capacity=SEATS)
    with serve_app(
        database_url=app.config["SQLALCHEMY_DATABASE_URI"],
        upload_dir=app.config["UPLOAD_DIR"],
        workers=4,
    ) as base_url:
        applicants = [Applicant(base_url, session.id, number) for number in range(CLIENTS)]
        tokens = [applicant.open_form() for applicant in applicants]
        start_together = threading.Barrier(CLIENTS)

        def book(pair):
            applicant, token = pair
            start_together.wait()
            return applicant.confirm(token)

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            outcomes = list(pool.map(book, zip(applicants, tokens, strict=True)))

    statuses = [status for status, _ in outcomes]
    assert 500 not in statuses
    assert statuses.count(302) == SEATS
    full = [body for status, body in outcomes if status == 200 and 'id="session-full"' in body]
    assert len(full) == CLIENTS - SEATS
    read_fresh()
    assert db.session.scalar(select(func.count(Booking.id))) == SEATS
    assert db.session.get(AppointmentSession, session.id).seats_taken == SEATS
