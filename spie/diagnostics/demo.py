"""Demo diagnostics with realistic barrier mixes, set-based (also used by the orientation bench)."""

import datetime
import uuid

from django.utils import timezone

from spie.core.models import AuditEvent
from spie.people.models import FollowUpMember, Person, active_team_q
from spie.referentials.models import ReferentialVersion, RomeJob, Situation

from . import orientation_rules
from .enums import BarrierLevel, ContractType, DiagnosticStatus, Speciality, WorkingTime
from .models import Diagnostic, DiagnosticAuthor, DiagnosticSituation

BATCH = 5000

# Profiles: (weight, work situations, training levels, readiness, strong themes, medium themes).
PROFILES = [
    (
        35,
        ["emploi_partiel", "contrats_courts", "recherche"],
        ["NV5", "NV4", "NV3"],
        ["pret", "pret_accompagne"],
        (0, 0),
        (0, 1),
    ),
    (
        35,
        ["recherche", "sans_activite", "formation"],
        ["C12", "NV5", "C3A", "NV4"],
        ["pret_accompagne", "pret"],
        (0, 1),
        (1, 3),
    ),
    (
        20,
        ["sans_activite", "recherche"],
        ["AFS", "CP4", "CFG", "C3A", "NV5"],
        ["pas_pret", "pret_accompagne"],
        (1, 3),
        (0, 2),
    ),
    (10, ["recherche", "sans_activite"], ["C3A", "CFG", "C12"], ["pret_accompagne", "pas_pret"], (0, 1), (0, 2)),
]
# Themes weighted by how often they come up in insertion diagnostics.
THEME_WEIGHTS = {
    "mobilite": 9,
    "difficulte_financiere": 8,
    "numerique": 6,
    "logement": 6,
    "contraintes_familiales": 5,
    "sante": 4,
    "difficulte_administrative": 4,
    "maitrise_langue": 3,
}
COMMENTS = ["", "", "", "À revoir dans trois mois", "Démarches engagées", "La personne en parle facilement"]
LANGUAGES = ["français", "français, anglais (notions)", "français, arabe", "français, portugais", "turc, français (A2)"]
SKILLS = [
    "Accueil du public, caisse",
    "Entretien des locaux, repassage",
    "Manutention, cariste (CACES 1 et 3)",
    "Garde d'enfants, aide aux devoirs",
    "Bureautique, classement",
    "Cuisine collective, plonge",
]
WORDS = [
    "Je veux retrouver un travail stable près de chez moi.",
    "Je voudrais d'abord régler mon problème de logement.",
    "J'aimerais passer le permis pour pouvoir travailler plus loin.",
    "Je veux me former dans l'aide à domicile.",
    "Je n'ai plus confiance en moi depuis mon dernier emploi.",
]


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def build_answers(rng, situations_by_theme, rome_codes, today, entry_date):
    """Answers of one diagnostic: (fields, [(theme, situation, level, comment)])."""
    _, works, levels, readiness, strong_range, medium_range = rng.choices(PROFILES, weights=[p[0] for p in PROFILES])[0]
    work = rng.choice(works)
    last_job = None
    if work in ("recherche", "sans_activite", "formation"):
        last_job = today - datetime.timedelta(days=rng.choice([90, 300, 600, 900, 1500, 3000]))
    rows, used = [], set()
    for level, (low, high) in ((BarrierLevel.STRONG, strong_range), (BarrierLevel.MEDIUM, medium_range)):
        for _ in range(rng.randint(low, high)):
            theme = _weighted(rng, THEME_WEIGHTS)
            options = [code for code in situations_by_theme.get(theme, []) if code not in used]
            if options:
                code = rng.choice(options)
                used.add(code)
                rows.append((theme, code, level, rng.choice(COMMENTS)))
    for _ in range(rng.randint(0, 2)):
        theme = _weighted(rng, THEME_WEIGHTS)
        options = [code for code in situations_by_theme.get(theme, []) if code not in used]
        if options:
            code = rng.choice(options)
            used.add(code)
            rows.append((theme, code, BarrierLevel.NONE, ""))
    fields = {
        "work_situation": work,
        "last_job_ended_on": last_job,
        "training_level": rng.choice(levels),
        "languages": rng.choice(LANGUAGES),
        "driving_licences": ["B"] if rng.random() < 0.45 else [],
        "skills": rng.choice(SKILLS),
        "target_rome_codes": rng.sample(rome_codes, k=min(len(rome_codes), rng.randint(1, 2))) if rome_codes else [],
        "contract_types": rng.sample(ContractType.values, k=rng.randint(1, 3)),
        "working_time": rng.choice(WorkingTime.values),
        "mobility_radius_km": rng.choice([5, 10, 15, 20, 30, 50]),
        "readiness": rng.choice(readiness),
        "priority_theme_codes": sorted({row[0] for row in rows if row[2] == BarrierLevel.STRONG})[:2],
        "person_words": rng.choice(WORDS),
    }
    return fields, rows


class _Row:
    def __init__(self, level):
        self.level = level


def seed_people(people, rng, *, share_validated=0.75, share_draft=0.08):
    """Diagnostics for `people` (Person objects without any): most validated, a few drafts.
    Returns the number of diagnostics created."""
    version = ReferentialVersion.objects.current()
    if version is None or not people:
        return 0
    situations_by_theme = {}
    for code, theme in Situation.objects.filter(version=version).values_list("code", "theme__code"):
        situations_by_theme.setdefault(theme, []).append(code)
    rome_codes = list(RomeJob.objects.order_by("?").values_list("code", flat=True)[:300])
    today = timezone.localdate()
    created = 0
    for start in range(0, len(people), BATCH):
        chunk = people[start : start + BATCH]
        seats = {}
        for person_id, membership_id in (
            FollowUpMember.objects.filter(active_team_q(), person__in=chunk)
            .order_by("-is_referent", "pk")
            .values_list("person_id", "membership_id")
        ):
            seats.setdefault(person_id, []).append(membership_id)
        diagnostics, answers = [], []
        for person in chunk:
            draw = rng.random()
            if draw >= share_validated + share_draft or not seats.get(person.pk):
                continue
            status = DiagnosticStatus.VALIDATED if draw < share_validated else DiagnosticStatus.DRAFT
            fields, rows = build_answers(rng, situations_by_theme, rome_codes, today, person.entry_date)
            created_on = min(today, person.entry_date + datetime.timedelta(days=rng.randint(3, 40)))
            at = timezone.make_aware(datetime.datetime.combine(created_on, datetime.time(10, rng.randint(0, 59))))
            diagnostic = Diagnostic(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                person=person,
                territory_id=person.territory_id,
                number=1,
                referential_version=version,
                status=status,
                **fields,
            )
            if status == DiagnosticStatus.VALIDATED:
                criteria = orientation_rules.criteria_for(diagnostic, [_Row(row[2]) for row in rows], today=created_on)
                proposal = orientation_rules.propose(criteria)
                diagnostic.validated_at = at
                diagnostic.validated_by_id = seats[person.pk][0]
                diagnostic.proposed_pathway = proposal.pathway
                diagnostic.proposal_rule = proposal.rule
                diagnostic.proposal_reasons = proposal.reasons
            diagnostics.append(diagnostic)
            answers.append((rows, seats[person.pk], at))
        Diagnostic.objects.bulk_create(diagnostics, batch_size=BATCH)
        authors, situations, events = [], [], []
        for diagnostic, (rows, members, at) in zip(diagnostics, answers, strict=True):
            signed = at if diagnostic.status == DiagnosticStatus.VALIDATED else None
            first = rng.choice(Speciality.values)
            authors.append(
                DiagnosticAuthor(
                    diagnostic=diagnostic,
                    territory_id=diagnostic.territory_id,
                    membership_id=members[0],
                    speciality=first,
                    signed_at=signed,
                )
            )
            if len(members) > 1 and rng.random() < 0.7:
                authors.append(
                    DiagnosticAuthor(
                        diagnostic=diagnostic,
                        territory_id=diagnostic.territory_id,
                        membership_id=members[1],
                        speciality=Speciality.PROFESSIONAL if first == Speciality.SOCIAL else Speciality.SOCIAL,
                        signed_at=signed,
                    )
                )
            situations.extend(
                DiagnosticSituation(
                    diagnostic=diagnostic,
                    territory_id=diagnostic.territory_id,
                    theme_code=theme,
                    situation_code=code,
                    level=level,
                    comment=comment,
                )
                for theme, code, level, comment in rows
            )
            for action in ["diagnostics.diagnostic.started"] + (["diagnostics.diagnostic.validated"] if signed else []):
                events.append(
                    AuditEvent(
                        action=action,
                        territory_id=diagnostic.territory_id,
                        target_type="diagnostics.diagnostic",
                        target_id=diagnostic.public_id,
                        subject_id=diagnostic.person.public_id,
                        membership_id=members[0],
                        data={"number": 1, "proposed_pathway": diagnostic.proposed_pathway}
                        if signed
                        else {"number": 1},
                    )
                )
        DiagnosticAuthor.objects.bulk_create(authors, batch_size=BATCH)
        DiagnosticSituation.objects.bulk_create(situations, batch_size=BATCH)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        created += len(diagnostics)
    return created


def seed(context):
    people = list(
        Person.objects.filter(anonymised_at__isnull=True, diagnostics__isnull=True).only(
            "pk", "public_id", "territory_id", "entry_date"
        )
    )
    if ReferentialVersion.objects.current() is None:
        return "référentiel des parcours absent : aucun diagnostic (lancez load_referentials)"
    count = seed_people(people, context.rng)
    return f"{count} diagnostics socio-professionnels"
