"""Several hosts, one truth: nginx (the shipped site file) in front of two app instances
that share only PostgreSQL, Redis and the S3 bucket (see conftest.py)."""

import http.client
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from sqlalchemy import select

from tests.factories import BOOKING_CONTEXT, create_hazard_report
from tests.faults.http import Browser
from tests.hazards.conftest import valid_report_data
from tests.hazards.images import jpeg_bytes, png_bytes
from tests.live import ROOT
from tests.multihost.conftest import outbox_worker
from webapp.common.audit import AuditEntry
from webapp.common.clock import utcnow
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.states import HazardState
from webapp.notifications.models import OutboxMessage
from webapp.notifications.services import queue_message
from webapp.notifications.states import MessageStatus
from webapp.transactions import transaction

pytestmark = pytest.mark.slow
FORM = "/hazards/new?danger=no"
WAIT_SECONDS = 120  # how long a busy machine may take; a working site takes a few
# What a load balancer gives /healthz: well under gunicorn's 30 s worker timeout, which
# would otherwise free a worker held by a slow upload and hide the fault.
HEALTH_CHECK_SECONDS = 10


def _wait_for(condition: Callable, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _served_by(site, method: str, path: str, before: int) -> list[str]:
    """The instances that answered the requests of this method and path sent since
    `before` of them had been logged (nginx writes its log line as the answer ends)."""
    return _wait_for(
        lambda: site.proxy.upstreams_of(method, path)[before:], f"nginx's log of {path}"
    )


def _report_with_photos(browser: Browser, **headers) -> int:
    fields = {**valid_report_data(), **browser.form_fields(FORM)}
    photos = [("photos", "road.jpg", jpeg_bytes()), ("photos", "sign.png", png_bytes())]
    status, _html = browser.post_multipart("/hazards/new", fields, photos, headers=headers)
    return status


def _newest_report() -> HazardReport:
    db.session.rollback()  # see what the instances committed
    return db.session.scalars(select(HazardReport).order_by(HazardReport.id.desc())).first()


def _get(base_url: str, path: str) -> tuple[int, bytes, str]:
    """A cookie-less GET straight to an instance: a visitor whose pages may be kept."""
    connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=WAIT_SECONDS)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read(), answer.getheader("Content-Type", "")
    finally:
        connection.close()


def test_a_report_with_photos_sent_through_one_host_is_seen_with_them_through_the_other(
    fresh_site, app_context
):
    before = len(fresh_site.proxy.upstreams_of("POST", "/hazards/new"))
    assert _report_with_photos(fresh_site.browser()) == 302
    [address] = _served_by(fresh_site, "POST", "/hazards/new", before)
    other = fresh_site.other_than(fresh_site.host_at(address))
    report = _newest_report()
    assert len(report.photos) == 2

    status, html, _ = _get(other.url, f"/hazards/{report.reference}")
    assert status == 200
    page = BeautifulSoup(html, "html.parser")
    links = [link["href"] for link in page.select(".photo-list a")]
    thumbnails = [image["src"] for image in page.select(".photo-list img")]
    assert len(links) == len(thumbnails) == 2
    for link, thumbnail, photo in zip(links, thumbnails, report.photos, strict=True):
        status, content, content_type = _get(other.url, link)
        assert status == 200 and content_type == "image/jpeg"
        assert Image.open(BytesIO(content)).size == (photo.width, photo.height)
        status, content, content_type = _get(other.url, thumbnail)
        assert status == 200 and content_type == "image/jpeg"
        assert max(Image.open(BytesIO(content)).size) <= 320
    # No host keeps a photo on its own disk: both read them from the bucket.
    for host in fresh_site.hosts:
        assert [path for path in (host.folder / "uploads").rglob("*") if path.is_file()] == []

    report.is_private = True  # an officer saw a face in one
    db.session.commit()
    for host in fresh_site.hosts:
        for path in (*links, *thumbnails):
            assert _get(host.url, path)[0] == 404


def _state_in_list(url: str, reference: str) -> str | None:
    status, html, _ = _get(url, "/hazards/")
    assert status == 200
    for meta in BeautifulSoup(html, "html.parser").select("p.meta"):
        if reference in meta.get_text():
            return meta.select_one(".status").get_text(strip=True)
    return None


def test_a_state_change_on_one_host_shows_in_the_other_hosts_kept_list_at_once(
    fresh_site, app_context
):
    phone = "13800138000"
    closed = create_hazard_report(
        state=HazardState.CLOSED, reporter_phone=phone, closed_at=utcnow()
    )
    for host in fresh_site.hosts:
        assert _state_in_list(host.url, closed.reference) == "已销号"
    # The lists are kept: a row written behind the instances' backs does not show yet.
    unseen = create_hazard_report(location="桃北西街")
    for host in fresh_site.hosts:
        assert _state_in_list(host.url, unseen.reference) is None

    before = len(fresh_site.proxy.upstreams_of("POST", "/hazards/reopen"))
    browser = fresh_site.browser()
    status, _ = browser.post_form(
        "/hazards/reopen",
        {"reference": closed.reference, "reporter_phone": phone, "message": "护栏还是断的。"},
    )
    assert status == 302
    [address] = _served_by(fresh_site, "POST", "/hazards/reopen", before)
    other = fresh_site.other_than(fresh_site.host_at(address))
    assert _state_in_list(other.url, closed.reference) == "排查中"
    assert _state_in_list(other.url, unseen.reference) == "待受理"


def test_ten_look_ups_from_one_address_over_both_hosts_reach_the_limit_together(fresh_site):
    browser = fresh_site.browser()
    token = browser.csrf_token("/training/manage")
    before = len(fresh_site.proxy.upstreams_of("POST", "/training/manage"))
    wrong = {"reference": "T20260101-ABCD", "credit_code": "91140100MA0000000X"}
    statuses = [
        browser.open("/training/manage", {**wrong, "csrf_token": token})[0] for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    served = _served_by(fresh_site, "POST", "/training/manage", before)
    assert set(served[:10]) == {host.address for host in fresh_site.hosts}


@contextmanager
def sms_gateway():
    """An SMS provider's HTTP API on loopback that records every message it is given."""
    received: list[dict] = []
    lock = threading.Lock()

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(0.005)  # a provider takes a moment: the workers overlap
            with lock:
                received.append(payload)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/send", received
    finally:
        server.shutdown()
        server.server_close()


def _unsent() -> int:
    db.session.rollback()
    return db.session.scalar(
        select(db.func.count(OutboxMessage.id)).where(OutboxMessage.status != MessageStatus.SENT)
    )


def test_two_outbox_workers_one_per_host_send_200_queued_messages_each_exactly_once(
    fresh_site, app_context
):
    with sms_gateway() as (url, received):
        env = {"SMS_GATEWAY": "http", "SMS_HTTP_URL": url}
        with (
            outbox_worker(fresh_site.hosts[0], env=env),
            outbox_worker(fresh_site.hosts[1], env=env),
        ):
            with transaction():
                for number in range(200):
                    queue_message(
                        kind="booking_confirmed",
                        channel="sms",
                        recipient=f"1390000{number:04d}",
                        language="zh",
                        subject_type="booking",
                        subject_id=number + 1,
                        context=BOOKING_CONTEXT,
                    )
            _wait_for(lambda: _unsent() == 0, "the 200 messages to be sent")
    rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.claimed_by)).all()
    assert sorted(payload["to"] for payload in received) == sorted(row[0] for row in rows)
    assert len(received) == len({payload["to"] for payload in received}) == 200
    # Both workers sent some of them.
    assert len({claimed_by for _recipient, claimed_by in rows}) == 2


def test_the_clients_real_address_reaches_the_audit_log_through_the_proxy(fresh_site, app_context):
    # The client connects from 127.0.0.2 and claims another address; nginx adds the one
    # it saw, and the app (PROXY_COUNT=1) trusts exactly that one.
    browser = fresh_site.browser(source_address="127.0.0.2")
    assert _report_with_photos(browser, **{"X-Forwarded-For": "203.0.113.9"}) == 302
    report = _newest_report()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hazard.submit"))
    assert entry.target == f"hazard:{report.reference}"
    assert entry.ip == "127.0.0.2"


def _tls_connection(site, timeout: float = WAIT_SECONDS) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection(
        "127.0.0.1", site.proxy.https_port, context=site.tls, timeout=timeout
    )


def test_a_body_over_the_limit_gets_nginxs_413_before_the_app_sees_it(fresh_site):
    connection = _tls_connection(fresh_site)
    try:
        connection.putrequest("POST", "/hazards/new?oversized")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(34 * 1024 * 1024))  # MAX_CONTENT_LENGTH + 2 MiB
        connection.endheaders()
        answer = connection.getresponse()
        body = answer.read().decode()
    finally:
        connection.close()
    assert answer.status == 413
    assert "413 Request Entity Too Large" in body and "nginx" in body
    assert _served_by(fresh_site, "POST", "/hazards/new?oversized", 0) == ["-"]


def test_plain_http_is_sent_to_https_and_static_files_come_from_nginx(fresh_site):
    connection = http.client.HTTPConnection("127.0.0.1", fresh_site.proxy.http_port, timeout=30)
    try:
        connection.request("GET", "/hazards/", headers={"Host": "portal.example.gov.cn"})
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    assert answer.status == 301
    assert answer.getheader("Location") == "https://portal.example.gov.cn/hazards/"
    connection = _tls_connection(fresh_site)
    try:
        connection.request("GET", "/static/css/site.css")
        answer = connection.getresponse()
        css = answer.read()
    finally:
        connection.close()
    assert answer.status == 200 and b"{" in css
    assert answer.getheader("Cache-Control") == "public, no-cache"
    assert answer.getheader("Strict-Transport-Security") == "max-age=31536000"


def _tls_get(site, path: str) -> http.client.HTTPResponse:
    connection = _tls_connection(site)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        answer.body = answer.read()
        return answer
    finally:
        connection.close()


def test_a_fingerprinted_static_file_of_a_page_is_kept_a_year_and_comes_from_nginx(fresh_site):
    status, html = fresh_site.browser().open("/hazards/")
    assert status == 200
    stylesheet = BeautifulSoup(html, "html.parser").select_one('link[rel="stylesheet"]')["href"]
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    source = (ROOT / "webapp" / "static" / "css" / "site.css").read_bytes()

    answer = _tls_get(fresh_site, stylesheet)
    assert answer.status == 200 and answer.body == source
    assert answer.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    # Every answer of the app carries a request id: this one is nginx's own.
    assert answer.getheader("X-Request-ID") is None

    # A hash that is not the file's (a page from before a release) is the app's to answer:
    # the current file, asked for again before each use.
    stale = re.sub(r"\.[0-9a-f]{12}\.", ".000000000000.", stylesheet)
    answer = _tls_get(fresh_site, stale)
    assert answer.status == 200 and answer.body == source
    assert answer.getheader("Cache-Control") == "public, no-cache"
    assert answer.getheader("X-Request-ID")
    assert _served_by(fresh_site, "GET", stale, 0)[0] in {host.address for host in fresh_site.hosts}


def _start_slow_upload(site) -> socket.socket:
    """A phone on a bad line: the headers of a 2 MiB upload and its first kilobyte."""
    raw = socket.create_connection(("127.0.0.1", site.proxy.https_port), timeout=WAIT_SECONDS)
    upload = site.tls.wrap_socket(raw, server_hostname="127.0.0.1")
    upload.sendall(
        b"POST /hazards/new HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\n"
        + f"Content-Length: {2 * 1024 * 1024}\r\n\r\n".encode()
        + b"--x\r\n"
        + b"\0" * 1024
    )
    return upload


def test_three_slow_uploads_do_not_stop_healthz_from_answering(fresh_site):
    # Each instance runs one worker: were nginx to pass the uploads on as they come,
    # the three would hold both workers until gunicorn's timeout.
    uploads = [_start_slow_upload(fresh_site) for _ in range(3)]
    try:
        for upload in uploads:
            upload.sendall(b"\0" * 1024)  # still sending
        for _ in range(4):
            connection = _tls_connection(fresh_site, timeout=HEALTH_CHECK_SECONDS)
            try:
                connection.request("GET", "/healthz")
                answer = connection.getresponse()
                health = json.loads(answer.read())
            finally:
                connection.close()
            assert answer.status == 200 and health["status"] == "ok", health
    finally:
        for upload in uploads:
            upload.close()
