"""Values a web form accepts fit the database: no 500 for a too long value or a year-1 date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from spie.accounts.forms import InvitationForm
from spie.casereviews.forms import SessionForm
from spie.companies.forms import CompanyContactForm, CompanyForm
from spie.core.validators import validate_plausible_date
from spie.evaluation.forms import IndicatorFilterForm
from spie.offers.forms import OfferForm
from spie.studies.forms import StudyForm

LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".fr"  # valid, but longer than the 254 stored
LONG_URL = "https://exemple.fr/" + "a" * 250


@pytest.mark.parametrize(
    ("form", "field", "value"),
    [
        (SessionForm, "video_link", LONG_URL),
        (CompanyForm, "website", LONG_URL),
        (CompanyForm, "email", LONG_EMAIL),
        (CompanyContactForm, "email", LONG_EMAIL),
        (OfferForm, "email", LONG_EMAIL),
        (InvitationForm, "email", LONG_EMAIL),
    ],
)
def test_too_long_values_are_field_errors(form, field, value):
    with pytest.raises(ValidationError) as error:
        form.base_fields[field].clean(value)
    assert "au plus" in error.value.messages[0]


def test_one_validator_refuses_dates_before_1900():
    with pytest.raises(ValidationError, match="antérieure à 1900"):
        validate_plausible_date(datetime.date(1, 1, 1))
    with pytest.raises(ValidationError):
        validate_plausible_date(datetime.date(1899, 12, 31))
    validate_plausible_date(datetime.date(1900, 1, 1))
    validate_plausible_date(None)


@pytest.mark.parametrize("field", ["period_from", "period_to"])
def test_study_periods_refuse_year_one(field):
    with pytest.raises(ValidationError):
        StudyForm.base_fields[field].clean("0001-01-01")


@pytest.mark.parametrize(("data", "field"), [({"mois_entree": "0001-03"}, "mois_entree"), ({"du": "0001-01-01"}, "du")])
def test_indicator_filters_refuse_year_one(data, field):
    form = IndicatorFilterForm(data)
    assert not form.is_valid()
    assert field in form.errors
