"""Demo structures of every type in real communes of each territory, and their professionals."""

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from spie.core.demo import DEMO_PASSWORD
from spie.core.validators import siret_with_key
from spie.territories.models import Territory

from .enums import TERRITORIAL_ROLES, OrganisationType, Role
from .models import Membership, Organisation, User

DEMO_DOMAIN = "demo.spie.fr"
NATIONAL_SIRET = "13001879400013"  # a valid SIRET for the national administration's demo structure

ASSOCIATIONS = [
    "Secours populaire",
    "Emmaüs Connect",
    "Restos du cœur",
    "Croix-Rouge insertion",
    "Habitat et humanisme",
    "Solidarités nouvelles face au chômage",
]
SIAE = ["Atelier chantier d'insertion", "Entreprise d'insertion", "Association intermédiaire"]
FAMILY_NAMES = ["Lefebvre", "Martin", "Petit", "Roux", "Fontaine", "Mercier", "Lambert"]
COMPANIES = ["Boulangerie", "Transports", "Résidence seniors", "Logistique", "Nettoyage industriel"]

# Professionals per structure type besides the manager: (role, how many).
STAFF = {
    OrganisationType.DEPARTEMENT: [
        (Role.COORDINATEUR, 1),
        (Role.CHARGE_ORIENTATION, 2),
        (Role.CONSEILLER, 4),
    ],
    OrganisationType.FRANCE_TRAVAIL: [(Role.CHARGE_ORIENTATION, 1), (Role.CONSEILLER, 5)],
}
DEFAULT_STAFF = [(Role.CONSEILLER, 2)]


def _demo_reason(role):
    """Territorial roles of the demo carry a reason, as the rule asks (issue 15)."""
    return "Données de démonstration" if role in TERRITORIAL_ROLES else ""


def demo_exists():
    return User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()


def _organisation_names(territory, communes, rng):
    """(type, name, commune) for one structure of each type, spread over the largest communes."""
    departements = list(territory.departements.all())
    departement_name = f"Conseil départemental — {departements[0].name}" if len(departements) == 1 else territory.name
    main, *others = communes

    def pick():
        return rng.choice(others or [main])

    return [
        (OrganisationType.DEPARTEMENT, departement_name, main),
        (OrganisationType.FRANCE_TRAVAIL, f"France Travail {main.name}", main),
        (OrganisationType.FRANCE_TRAVAIL, f"France Travail {(c := pick()).name}", c),
        (OrganisationType.MISSION_LOCALE, f"Mission locale de {(c := pick()).name}", c),
        (OrganisationType.CAP_EMPLOI, f"Cap emploi {territory.name}", main),
        (OrganisationType.PLIE, f"PLIE de {main.name}", main),
        (OrganisationType.CCAS, f"CCAS de {(c := pick()).name}", c),
        (OrganisationType.ASSOCIATION, f"{rng.choice(ASSOCIATIONS)} — {(c := pick()).name}", c),
        (OrganisationType.SIAE, f"{rng.choice(SIAE)} de {(c := pick()).name}", c),
        (OrganisationType.ENTREPRISE, f"{rng.choice(COMPANIES)} {rng.choice(FAMILY_NAMES)}", pick()),
        (OrganisationType.AUTRE, f"Maison de l'emploi de {(c := pick()).name}", c),
    ]


def _organisations(territories, context):
    rng, fake = context.rng, context.fake
    national = Organisation(
        name="Délégation générale à l'emploi et à la formation professionnelle",
        type=OrganisationType.AUTRE,
        siret=NATIONAL_SIRET,
        address="14 avenue Duquesne",
        postal_code="75007",
    )
    organisations = [national]
    for territory in territories:
        communes = list(territory.communes().exclude(postal_codes="").order_by("-population")[:8])
        if not communes:
            continue
        for kind, name, commune in _organisation_names(territory, communes, rng):
            organisations.append(
                Organisation(
                    name=name,
                    type=kind,
                    siret=siret_with_key(f"{rng.randrange(10**12, 10**13)}"),
                    address=fake.street_address(),
                    postal_code=commune.postal_code_list[0],
                    commune=commune,
                    territory=territory,
                    email=f"contact.{slugify(name)[:40]}@{DEMO_DOMAIN}",
                    phone=f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                )
            )
    return Organisation.objects.bulk_create(organisations)


def _staff(organisations, context, password):
    fake = context.fake
    users, roles = [], []
    for organisation in organisations[1:]:
        plan = [(Role.GESTIONNAIRE, 1), *STAFF.get(organisation.type, DEFAULT_STAFF)]
        for role, count in plan:
            for _ in range(count):
                first, last = fake.first_name(), fake.last_name()
                email = f"{slugify(first)}.{slugify(last)}.{len(users)}@{DEMO_DOMAIN}"
                users.append(User(email=email, first_name=first, last_name=last, password=password))
                roles.append((organisation, role))
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation, role=role, role_grant_reason=_demo_reason(role))
        for user, (organisation, role) in zip(users, roles, strict=True)
    )
    return len(users)


def _named_logins(organisations, context, password):
    """One easy-to-remember login per role, in Nord when it is seeded (else the first territory)."""
    national, *local = organisations
    territory_id = next((o.territory_id for o in local if o.territory.code == "59"), local[0].territory_id)
    by_type = {}
    for organisation in local:
        if organisation.territory_id == territory_id:
            by_type.setdefault(organisation.type, organisation)
    france_travail = by_type[OrganisationType.FRANCE_TRAVAIL]
    departement = by_type[OrganisationType.DEPARTEMENT]
    plan = [
        (
            "conseiller",
            "Conseiller·ère",
            [(france_travail, Role.CONSEILLER), (by_type["plie"], Role.CONSEILLER)],
        ),
        ("gestionnaire", "Gestionnaire de structure", [(france_travail, Role.GESTIONNAIRE)]),
        ("orientation", "Chargé·e d'orientation", [(departement, Role.CHARGE_ORIENTATION)]),
        ("coordination", "Coordinateur·rice SPIE", [(departement, Role.COORDINATEUR)]),
        ("admin", "Administrateur·rice national·e", [(national, Role.ADMIN_NATIONAL)]),
    ]
    for local_part, label, memberships in plan:
        first, last = context.fake.first_name(), context.fake.last_name()
        user = User.objects.create(
            email=f"{local_part}@{DEMO_DOMAIN}", first_name=first, last_name=last, password=password
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation, role=role, role_grant_reason=_demo_reason(role))
            for organisation, role in memberships
        )
        context.add_login(label, user.email, ", ".join(o.name for o, _ in memberships))


def seed(context):
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.prefetch_related("departements", "epcis").order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    territories = list(territories)
    if not territories:
        return "aucun territoire : lancez d'abord « manage.py load_referentials »"
    password = make_password(DEMO_PASSWORD)
    organisations = _organisations(territories, context)
    count = _staff(organisations, context, password)
    _named_logins(organisations, context, password)
    return f"{len(organisations)} structures, {count + len(context.logins)} professionnels"
