"""How a message leaves: e-mail through SMTP, text messages through a pluggable gateway.

Every channel raises SendFailed with a short reason; the worker retries later.
"""

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from webapp.common.identifiers import mask_phone

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    """The message did not leave; the reason is kept as the message's last error."""


@dataclass(frozen=True)
class Envelope:
    """What a channel needs to send one message, read from the outbox row."""

    reference: str
    channel: str
    recipient: str
    language: str
    subject: str
    body: str


class Sender(Protocol):
    def send(self, envelope: Envelope) -> None: ...


class SmtpMailer:
    """E-mail through an SMTP server (MAIL_* settings)."""

    def __init__(self, config):
        self.server, self.port = config["MAIL_SERVER"], config["MAIL_PORT"]
        self.username, self.password = config["MAIL_USERNAME"], config["MAIL_PASSWORD"]
        self.use_tls, self.sender = config["MAIL_USE_TLS"], config["MAIL_SENDER"]
        self.timeout = config["MAIL_TIMEOUT"]

    def compose(self, envelope: Envelope) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = envelope.recipient
        mail["Subject"] = envelope.subject
        mail["Content-Language"] = "zh-CN" if envelope.language == "zh" else envelope.language
        mail["Message-ID"] = make_msgid(idstring=envelope.reference)
        mail.set_content(envelope.body, charset="utf-8")
        return mail

    def send(self, envelope: Envelope) -> None:
        try:
            with smtplib.SMTP(self.server, self.port, timeout=self.timeout) as smtp:
                if self.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(self.compose(envelope))
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(f"SMTP: {error}") from error


class LogSmsGateway:
    """The default gateway: writes each text message to the log (no provider needed).

    The number is masked: logs are kept longer and read more widely than the outbox.
    """

    def __init__(self, config):
        pass

    def send(self, envelope: Envelope) -> None:
        recipient = mask_phone(envelope.recipient)
        logger.info("SMS %s to %s: %s", envelope.reference, recipient, envelope.body)


class HttpSmsGateway:
    """Posts {to, text, reference} as JSON to SMS_HTTP_URL; any answer but 2xx is a failure."""

    def __init__(self, config):
        self.url, self.timeout = config["SMS_HTTP_URL"], config["SMS_HTTP_TIMEOUT"]
        self.token = config["SMS_HTTP_TOKEN"]
        if not self.url.startswith(("http://", "https://")):
            raise SendFailed("SMS_HTTP_URL must be an http:// or https:// address")

    def send(self, envelope: Envelope) -> None:
        payload = {"to": envelope.recipient, "text": envelope.body, "reference": envelope.reference}
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310  (the scheme is checked above)
            self.url, data=json.dumps(payload).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        except (urllib.error.URLError, OSError) as error:
            raise SendFailed(f"SMS gateway: {error}") from error
        if not 200 <= status < 300:
            raise SendFailed(f"SMS gateway answered {status}")


SMS_GATEWAYS = {"log": LogSmsGateway, "http": HttpSmsGateway}


def sender_for(channel: str, config) -> Sender:
    """The sender of one channel, built from the app's settings (SMS_GATEWAY chooses)."""
    if channel == "email":
        return SmtpMailer(config)
    try:
        gateway = SMS_GATEWAYS[config["SMS_GATEWAY"]]
    except KeyError:
        raise SendFailed(f"SMS_GATEWAY={config['SMS_GATEWAY']!r} is not known") from None
    return gateway(config)
