"""Which referential answers are sensitive (health, disability): shown only to team members
with the sensitive flag and the person's consent (`spie.people.perms.can_see_sensitive`)."""

SENSITIVE_THEMES = {"sante"}

# Situations of other themes that reveal a health or disability matter.
SENSITIVE_SITUATIONS = {
    "mobilite.s12",  # état de santé déclaré rendant incompatible la conduite
    "contraintes_familiales.s06",  # enfant(s) en situation de handicap
    "contraintes_familiales.s07",  # problématique de santé d'un enfant
}

MASKED = "Thème sensible renseigné — contenu réservé"


def is_sensitive(theme_code, situation_code=""):
    return theme_code in SENSITIVE_THEMES or situation_code in SENSITIVE_SITUATIONS
