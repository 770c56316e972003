"""Delays and limits of the person's space login, in one place (security limits, national).

Each value is a national default; moving them into TerritorySettings is possible later, they are
read only from here.
"""

# A login link e-mailed on request works this long; a code sent by SMS (or to the API) this long.
LINK_VALIDITY_MINUTES = 20
CODE_VALIDITY_MINUTES = 10
# An invitation sent by a professional from the person's file leaves time to read the e-mail.
INVITATION_VALIDITY_HOURS = 72
# A code is refused after this many wrong tries (the person asks for a new one).
CODE_MAX_ATTEMPTS = 5
# Requests (links or codes) per identifier and per IP address, over the window.
REQUESTS_PER_IDENTIFIER = 5
REQUESTS_PER_IP = 30
# Wrong codes per identifier, and wrong codes or unknown links per IP address, over the window.
# Behind the production proxy the address is the client's only when TRUSTED_PROXIES is set.
FAILURES_PER_IDENTIFIER = 10
FAILURES_PER_IP = 20
WINDOW_MINUTES = 60
# A token of the mobile application works this long; the person logs in again afterwards.
API_TOKEN_VALIDITY_HOURS = 12
# Rate-limiting rows older than this are deleted as new ones are written.
ATTEMPTS_KEPT_HOURS = 24
