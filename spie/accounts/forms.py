from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from dsfr.forms import DsfrBaseForm

from spie.territories.models import Territory

from .enums import ApiTokenScope, OrganisationType, Role
from .models import User

REASON_HELP = "Obligatoire pour un rôle territorial (chargé·e d'orientation, coordinateur·rice) : pourquoi ce rôle."


def _reason_field(required=False, label="Motif"):
    return forms.CharField(
        label=label,
        max_length=500,
        required=required,
        help_text=None if required else REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Après plusieurs erreurs, le compte est "
            "bloqué pendant quelques minutes."
        ),
        "inactive": "Ce compte est désactivé. Contactez le gestionnaire de votre structure.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False, help_text="Format : 06 12 34 56 78")


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label="Adresse e-mail professionnelle", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.CONSEILLER)
    reason = _reason_field()

    def __init__(self, *args, allowed_roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in allowed_roles]


class AcceptInvitationForm(DsfrBaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères, pas uniquement des chiffres, pas un mot de passe courant.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password1:
            candidate = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    reason = _reason_field()

    def __init__(self, *args, allowed_roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in allowed_roles]


class ApiTokenForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Par exemple : « Logiciel métier du Département ».",
    )
    scope = forms.ChoiceField(
        label="Portée", choices=ApiTokenScope.choices, initial=ApiTokenScope.STRUCTURE, required=False
    )
    reason = _reason_field(label="Motif de la portée « orientation »")

    def __init__(self, *args, allowed_scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(s.value, s.label) for s in ApiTokenScope if s.value in allowed_scopes]
        self.fields["scope"].initial = allowed_scopes[0] if allowed_scopes else None
        self.fields[
            "reason"
        ].help_text = "Obligatoire pour la portée « orientation » : pourquoi ce logiciel en a besoin."

    def clean_scope(self):
        """Without a choice, the first scope offered (the structure's, for its manager)."""
        return self.cleaned_data["scope"] or self.fields["scope"].initial


class TerritorialRoleGrantForm(DsfrBaseForm):
    membership = forms.ModelChoiceField(
        label="Professionnel",
        queryset=None,
        to_field_name="public_id",
        empty_label="Choisissez un membre d'une structure autorisée",
    )
    role = forms.ChoiceField(label="Rôle territorial")
    reason = _reason_field(required=True)

    def __init__(self, *args, memberships, allowed_roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.get_full_name()} ({m.user.email}) — {m.organisation.name}, {m.get_role_display()}"
        )
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in allowed_roles]


class WithdrawRoleForm(DsfrBaseForm):
    reason = _reason_field(required=True, label="Motif du retrait")


class TerritorialRoleFilterForm(DsfrBaseForm):
    CONFORMITY_CHOICES = [("", "Tous"), ("hors_regle", "Hors règle (à vérifier)"), ("conforme", "Conformes")]
    q = forms.CharField(label="Nom, e-mail ou structure", required=False, max_length=100)
    role = forms.ChoiceField(
        label="Rôle",
        required=False,
        choices=[
            ("", "Tous"),
            (Role.CHARGE_ORIENTATION.value, Role.CHARGE_ORIENTATION.label),
            (Role.COORDINATEUR.value, Role.COORDINATEUR.label),
        ],
    )
    type = forms.ChoiceField(
        label="Type de structure", required=False, choices=[("", "Tous"), *OrganisationType.choices]
    )
    conformite = forms.ChoiceField(label="Conformité", required=False, choices=CONFORMITY_CHOICES)


class DsfrPasswordResetForm(DsfrBaseForm, PasswordResetForm):
    email = forms.EmailField(label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class DsfrSetPasswordForm(DsfrBaseForm, SetPasswordForm):
    pass


class AuditFilterForm(DsfrBaseForm):
    action = forms.CharField(label="Action (début)", required=False, help_text="Par exemple : accounts.membership")
    actor = forms.EmailField(label="E-mail de l'auteur", required=False)
    target_id = forms.UUIDField(label="Identifiant de l'objet", required=False)
    territory = forms.ModelChoiceField(
        label="Territoire", queryset=Territory.objects.all(), required=False, empty_label="Tous"
    )
    since = forms.DateField(label="Depuis le", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AccountImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV", help_text="Séparateur « ; » ou « , », UTF-8 ou Windows-1252. 20 Mo au plus."
    )
    skip_invalid = forms.BooleanField(
        label="Importer les lignes valables même si d'autres sont rejetées", required=False
    )

    def __init__(self, *args, territories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if territories is not None:
            self.fields["territory"] = forms.ModelChoiceField(
                label="Territoire", queryset=territories, to_field_name="code", empty_label="Choisissez un territoire"
            )
            self.order_fields(["territory", "file", "skip_invalid"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 20 Mo : découpez-le ou utilisez la commande d'import.")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Le fichier doit être un CSV (.csv).")
        return upload


class InvitationFilterForm(DsfrBaseForm):
    STATUS_CHOICES = [
        ("", "Toutes"),
        ("a_envoyer", "En attente d'envoi"),
        ("envoyee", "Envoyées, non acceptées"),
        ("echec", "Échec de l'envoi"),
        ("acceptee", "Acceptées"),
    ]
    statut = forms.ChoiceField(label="État", choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label="E-mail ou nom", required=False)
