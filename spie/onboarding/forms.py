from dataclasses import fields

from django import forms
from dsfr.forms import DsfrBaseForm

from spie.territories.models import TerritorySettings
from spie.territories.policies import NATIONAL_DEFAULTS, Policy


class TerritorySettingsForm(DsfrBaseForm):
    """One optional number per delay; empty keeps the national default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in fields(Policy):
            model_field = TerritorySettings._meta.get_field(field.name)
            label = str(model_field.verbose_name)
            self.fields[field.name] = forms.IntegerField(
                label=label[0].upper() + label[1:],
                required=False,
                min_value=1,
                max_value=3650,
                help_text=f"Valeur nationale : {NATIONAL_DEFAULTS[field.name]}. Laissez vide pour la garder.",
            )
