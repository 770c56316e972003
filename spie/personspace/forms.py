from django import forms

from .enums import Channel


class LoginForm(forms.Form):
    identifiant = forms.CharField(
        label="Adresse e-mail ou numéro de mobile",
        help_text=(
            "Celui que vous avez donné à la structure qui vous accompagne. Ex. : nom@exemple.fr ou 06 12 34 56 78"
        ),
        max_length=254,
        error_messages={"required": "Saisissez votre adresse e-mail ou votre numéro de mobile."},
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Code reçu par SMS",
        help_text="6 chiffres",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={
            "required": "Saisissez le code à 6 chiffres reçu par SMS.",
            "invalid": "Le code comporte 6 chiffres (ex. 123456).",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class MoveRequestForm(forms.Form):
    message = forms.CharField(
        label="Pourquoi souhaitez-vous déplacer ce rendez-vous ?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Dites en quelques mots pourquoi vous souhaitez déplacer ce rendez-vous.",
            "max_length": "Votre message dépasse 500 caractères : raccourcissez-le.",
        },
    )
    preferred_slots = forms.CharField(
        label="Quand seriez-vous disponible ? (facultatif)",
        help_text="Ex. : le mardi matin, ou jeudi 3 décembre après 14 h",
        max_length=300,
        required=False,
        error_messages={"max_length": "Les créneaux souhaités dépassent 300 caractères : raccourcissez-les."},
    )


class ConsentForm(forms.Form):
    given = forms.TypedChoiceField(
        label="Consentement au partage",
        choices=[("oui", "Je donne mon accord"), ("non", "Je retire mon accord")],
        coerce=lambda value: value == "oui",
        error_messages={"required": "Choisissez de donner ou de retirer votre accord."},
    )


class InvitationForm(forms.Form):
    channel = forms.ChoiceField(
        label="Envoyer l'invitation",
        choices=[(Channel.EMAIL, "Par e-mail (lien de connexion valable 3 jours)"), (Channel.SMS, "Par SMS")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez l'envoi par e-mail ou par SMS."},
    )
