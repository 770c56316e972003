"""The `.ics` (iCalendar, RFC 5545) attached to appointment invitations and reminders."""

import datetime

from django.conf import settings
from django.utils import timezone

from .enums import AppointmentChannel


def _escape(text):
    return str(text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not parts else 74):
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def appointment_ics(appointment, *, cancel=False, sequence=0):
    """The event as text (CRLF line endings), METHOD:REQUEST or CANCEL."""
    professional = appointment.professional
    organisation = professional.organisation.name
    place = appointment.place or ("Par téléphone" if appointment.channel == AppointmentChannel.PHONE else organisation)
    description = (
        f"Rendez-vous {appointment.get_channel_display().lower()} avec "
        f"{professional.user.get_full_name()} ({organisation})."
    )
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "spie"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Plateforme SPIE//Rendez-vous//FR",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancel else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{appointment.public_id}@{host}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_stamp(timezone.now())}",
        f"DTSTART:{_stamp(appointment.starts_at)}",
        f"DTEND:{_stamp(appointment.ends_at)}",
        f"SUMMARY:{_escape(f'{appointment.get_kind_display()} — {organisation}')}",
        f"LOCATION:{_escape(place)}",
        f"DESCRIPTION:{_escape(description)}",
        f"STATUS:{'CANCELLED' if cancel else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
