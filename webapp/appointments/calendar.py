"""An iCalendar (RFC 5545) file for a booking, so that applicants can add it to a calendar."""

from webapp.appointments.models import Booking
from webapp.common import clock


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Fold a content line at 75 octets, as RFC 5545 §3.1 asks."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not parts else 74):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return [parts[0]] + [" " + part for part in parts[1:]]


def booking_ics(booking: Booking, *, brigade: str) -> str:
    """The booking's session as one VEVENT with UTC times; CRLF line ends."""
    session = booking.session
    stamp = f"{clock.utcnow():%Y%m%dT%H%M%SZ}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//traffic-police-portal//appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{booking.reference}@appointments",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{session.start_utc:%Y%m%dT%H%M%SZ}",
        f"DTEND:{session.end_utc:%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{_escape(f'{session.service_label} · {brigade}')}",
        f"LOCATION:{_escape(session.place)}",
        f"DESCRIPTION:{_escape(booking.reference)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
