"""SMS through a provider interface. The backend is chosen by the `SPIE_SMS_BACKEND` setting
(dotted path); the default console backend prints the message, as Django's console e-mail backend
does. A provider's backend implements `send(phone, text)`."""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "spie.pathways.sms.ConsoleSmsBackend"


class BaseSmsBackend:
    def send(self, phone, text):  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone, text):
        self.stream.write(f"SMS à {phone} : {text}\n")
        self.stream.flush()
        return True


outbox = []


class LocMemSmsBackend(BaseSmsBackend):
    """Keeps the messages in `spie.pathways.sms.outbox` (tests)."""

    def send(self, phone, text):
        outbox.append((phone, text))
        return True


def get_backend():
    return import_string(getattr(settings, "SPIE_SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(phone, text):
    if not phone:
        return False
    return get_backend().send(phone, text)
