"""Delays and caps of the companies module, in one place until they move into TerritorySettings.

Each value is a national default; `spie.territories.policies.policy_for(territory)` will carry
them per territory (see the report of issue 7). Never hard-code these elsewhere.
"""

# A company is asked at most this many times a month (calendar month, territory time zone)
# unless its own cap is set on its record.
COMPANY_CONTACT_MONTHLY_CAP_DEFAULT = 4
# The response rate counts answers given within this many days of the request.
CONTACT_RESPONSE_WINDOW_DAYS = 15
# A company's answer link works this long; then the request is recorded as unanswered.
CONTACT_LINK_VALIDITY_DAYS = 15
# A signature link (person, company tutor) works this long; a new one can be sent.
SIGNATURE_LINK_VALIDITY_DAYS = 10
# Legal limits of a PMSMP (Code du travail, art. D. 5135-2 and the standard agreement).
IMMERSION_MAX_WEEKLY_HOURS = 35
IMMERSION_MAX_DAYS = 30
# Matching: radius used when the person's project gives none, and the largest one searched.
MATCHING_DEFAULT_RADIUS_KM = 30
MATCHING_MAX_RADIUS_KM = 100
MATCHING_LIMIT = 50


def contact_cap(company):
    return company.monthly_contact_cap or COMPANY_CONTACT_MONTHLY_CAP_DEFAULT
