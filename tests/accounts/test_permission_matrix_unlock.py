"""The unlock pages × every persona, with the exact status expected.

Both are public (`login_not_required`): the request form answers everyone alike, and the e-mailed
link is the only credential of the unlock page, whoever opens it. A wrong link is a 400 that
unlocks nothing; a good one is shown on GET (mail scanners open links) and used on POST."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse

from spie.accounts import unlock
from tests.accounts.factories import UserFactory
from tests.matrix import url_names

PERSONAS = [
    "anonymous",
    "conseiller",
    "gestionnaire",
    "other_structure",
    "orientation_officer",
    "other_territory",
    "coordinator",
    "admin_national",
]
EVERYONE = dict.fromkeys(PERSONAS, 200)
WRONG_LINK = dict.fromkeys(PERSONAS, 400)

ROUTES = {
    # (url name, object key, method) -> expected; in this order (the good link works once).
    ("unlock_request", None, "get"): EVERYONE,
    ("unlock_request", None, "post"): EVERYONE,
    ("unlock", "good_link", "get"): EVERYONE,
    ("unlock", "forged_link", "get"): WRONG_LINK,
    ("unlock", "forged_link", "post"): WRONG_LINK,
    ("unlock", "good_link", "post"): dict.fromkeys(PERSONAS, 302),
    ("unlock", "good_link", "post_again"): WRONG_LINK,
}
NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def objects(db):
    """The link is signed and used at the same fixed time (its age is checked)."""
    traveller = time_machine.travel(NOW, tick=False)
    traveller.start()
    cache.clear()
    locked = UserFactory(email="bloquee@ft-lille.fr")
    AccessAttempt.objects.create(
        username=locked.email,
        ip_address="127.0.0.1",
        user_agent="navigateur",
        http_accept="*/*",
        path_info=reverse("accounts:login"),
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    good = signing.dumps({"u": str(locked.public_id), "f": unlock._fingerprint(locked.email)}, salt=unlock.SALT)
    forged = signing.dumps({"u": str(locked.public_id), "f": "0" * 20}, salt=unlock.SALT)
    yield {None: [], "good_link": [good], "forged_link": [forged], "email": locked.email}
    cache.clear()
    traveller.stop()


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_unlock_routes(persona, client_as, objects, request):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, key, method), expected in ROUTES.items():
        url = reverse(f"accounts:{name}", args=objects[key])
        locked_before = AccessAttempt.objects.count()
        response = client.get(url) if method == "get" else client.post(url, {"email": objects["email"]})
        if response.status_code != expected[who]:
            wrong.append(f"{method.upper()} {name} {key}: {response.status_code}, expected {expected[who]}")
        # Only the good link, on POST, lifts the lockout.
        unlocked = AccessAttempt.objects.count() < locked_before
        if unlocked != (key == "good_link" and method == "post"):
            wrong.append(f"{method.upper()} {name} {key}: unlocked={unlocked}")
    # The request form e-mailed one link, to the locked account only.
    assert [m.to for m in mail.outbox] == [[objects["email"]]]
    assert not wrong, wrong


COVERED_URL_NAMES = url_names("accounts", (name for name, _, _ in ROUTES))
