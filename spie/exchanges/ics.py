"""The `.ics` (iCalendar, RFC 5545) of a joint event: downloaded from its page, attached to the
e-mails sent when it changes or is cancelled."""

import datetime

from django.conf import settings
from django.utils import timezone


def _escape(text):
    return str(text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not parts else 74):
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def event_ics(event, *, cancel=False):
    """The event as text (CRLF line endings); each change raises its SEQUENCE so calendars update it."""
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "spie"
    sequence = int((event.updated_at - event.created_at).total_seconds()) if event.updated_at else 0
    cancelled = cancel or event.status == "cancelled"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Plateforme SPIE//Temps communs//FR",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:temps-commun-{event.public_id}@{host}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_stamp(timezone.now())}",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(event.ends_at)}",
        f"SUMMARY:{_escape(f'{event.get_kind_display()} — {event.topic}')}",
        f"LOCATION:{_escape(event.place)}",
        f"DESCRIPTION:{_escape(f'Organisé par {event.organiser.name}. {event.description}'.strip())}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
