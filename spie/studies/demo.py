"""Demo: a published participatory evaluation of last year for each territory, and one impact study."""

import datetime

from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.models import AuditEvent
from spie.territories.models import Territory

from .enums import EvaluationStatus
from .models import ParticipatoryEvaluation, Study

STRUCTURES_SAID = [
    "Les structures disent se connaître bien mieux qu'avant : les conseillers s'appellent directement, sans passer "
    "par les directions, et le diagnostic commun évite de refaire les mêmes entretiens.",
    "France Travail et le Département saluent le point de situation partagé ; les associations demandent à être "
    "associées plus tôt aux équipes pluridisciplinaires.",
    "Les Missions locales relèvent des délais d'orientation raccourcis, mais un manque de places en accompagnement "
    "social renforcé sur le sud du territoire.",
]
MIRROR_GROUP_SAID = [
    "Le groupe miroir (huit personnes accompagnées) apprécie de n'avoir raconté son histoire qu'une fois, et de "
    "savoir qui est son référent. Il demande des rendez-vous plus proches de chez soi.",
    "Les participants disent se sentir écoutés quand le contrat d'engagement est construit avec eux ; les "
    "courriers restent jugés trop administratifs.",
    "Le groupe miroir souligne l'aide à la mobilité (permis, location de scooter) comme ce qui a le plus changé "
    "leur recherche d'emploi.",
]
WHAT_CHANGED = [
    "Un diagnostic socio-professionnel commun dans toutes les structures ; une file d'orientation unique ; des "
    "équipes pluridisciplinaires mensuelles.",
    "Un annuaire partagé de l'offre d'insertion tenu à jour par les structures ; des immersions en entreprise dans "
    "les métiers en tension.",
    "Un référent unique pour chaque personne et une alerte quand personne n'a été vu depuis deux mois.",
]
NEXT_STEPS = [
    "Ouvrir le groupe miroir à des personnes revenues à l'emploi ; former les nouveaux conseillers au diagnostic.",
    "Réduire le délai entre l'orientation et la signature du contrat ; associer les SIAE aux comités.",
    "Organiser deux temps communs par trimestre entre professionnels de structures différentes.",
]


def seed(context):
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    year = timezone.localdate().year - 1
    done = set(ParticipatoryEvaluation.objects.filter(year=year).values_list("territory_id", flat=True))
    coordinators = {
        membership.organisation.territory_id: membership
        for membership in Membership.objects.active()
        .filter(role=Role.COORDINATEUR, organisation__territory__in=territories)
        .select_related("organisation")
        .order_by("-pk")
    }
    published_at = timezone.make_aware(datetime.datetime(year + 1, 2, 15, 10))
    evaluations = ParticipatoryEvaluation.objects.bulk_create(
        ParticipatoryEvaluation(
            territory=territory,
            year=year,
            structures_said=context.rng.choice(STRUCTURES_SAID),
            mirror_group_said=context.rng.choice(MIRROR_GROUP_SAID),
            what_changed=context.rng.choice(WHAT_CHANGED),
            next_steps=context.rng.choice(NEXT_STEPS),
            status=EvaluationStatus.PUBLISHED,
            published_at=published_at,
            published_by=coordinators.get(territory.pk),
            created_by=coordinators.get(territory.pk),
        )
        for territory in territories
        if territory.pk not in done
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_id=evaluation.published_by.user_id if evaluation.published_by else None,
            membership=evaluation.published_by,
            territory_id=evaluation.territory_id,
            action="studies.evaluation.published",
            target_type="studies.participatoryevaluation",
            target_id=evaluation.public_id,
            data={"year": year},
        )
        for evaluation in evaluations
    )
    admin = Membership.objects.active().filter(role=Role.ADMIN_NATIONAL).order_by("pk").first()
    Study.objects.get_or_create(
        name="Retour à l'emploi des entrants (démonstration)",
        defaults={
            "purpose": "Mesurer l'accès à l'emploi (plus de 78 heures entre M+1 et M+6) et la présence en emploi à "
            "M+6 des personnes entrées dans le parcours, par type de parcours.",
            "territory": None,
            "period_from": datetime.date(year, 1, 1),
            "period_to": timezone.localdate(),
            "created_by": admin,
        },
    )
    return f"{len(evaluations)} évaluations participatives {year} publiées, 1 étude d'impact"
