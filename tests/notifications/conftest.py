"""Local servers the channels talk to: an SMTP server and an HTTP SMS gateway."""

import json
import socket
import threading
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from webapp.notifications.channels import SMS_GATEWAYS, SendFailed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailBox:
    """An aiosmtpd handler that keeps every message it receives, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A local SMTP server on a free port; the app's MAIL_* settings point at it."""
    mailbox = MailBox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    monkeypatch.setitem(app.config, "MAIL_SENDER", "noreply@brigade.example")
    yield mailbox
    controller.stop()


class SmsGatewayServer(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmsGatewayHandler)
        self.received, self.answer_status = [], 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"


class SmsGatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.received.append(
            {
                "path": self.path,
                "content_type": self.headers["Content-Type"],
                "json": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(self.server.answer_status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_http_server(app, monkeypatch):
    """A local HTTP endpoint in a thread; SMS_GATEWAY=http points at it."""
    server = SmsGatewayServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "http")
    monkeypatch.setitem(app.config, "SMS_HTTP_URL", server.url)
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


class RecordingGateway:
    """An SMS gateway that keeps what it is given (shared by every instance)."""

    sent: list = []
    lock = threading.Lock()
    barrier: threading.Barrier | None = None

    def __init__(self, config):
        self.waited = False

    def send(self, envelope):
        if self.barrier is not None and not self.waited:
            self.waited = True
            self.barrier.wait(timeout=30)  # both workers are mid-run before either goes on
        with self.lock:
            self.sent.append(envelope.reference)


class BrokenGateway:
    def __init__(self, config):
        pass

    def send(self, envelope):
        raise SendFailed("gateway unreachable for 13812345678")


@pytest.fixture
def recording_gateway(app, monkeypatch):
    monkeypatch.setitem(SMS_GATEWAYS, "recording", RecordingGateway)
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "recording")
    monkeypatch.setattr(RecordingGateway, "sent", [])
    monkeypatch.setattr(RecordingGateway, "barrier", None)
    return RecordingGateway


@pytest.fixture
def broken_gateway(app, monkeypatch):
    monkeypatch.setitem(SMS_GATEWAYS, "broken", BrokenGateway)
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "broken")
    return BrokenGateway
