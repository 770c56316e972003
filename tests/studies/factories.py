import datetime

from spie.studies.enums import EvaluationStatus
from spie.studies.models import ParticipatoryEvaluation, Study

TEXTS = {
    "structures_said": "Les structures se connaissent mieux et s'appellent directement.",
    "mirror_group_said": "Le groupe miroir apprécie de ne raconter son histoire qu'une fois.",
    "what_changed": "Un diagnostic commun dans toutes les structures du territoire.",
    "next_steps": "Ouvrir le groupe miroir aux personnes en emploi.",
}


def evaluation(territory, year=2025, *, published=False, **texts):
    return ParticipatoryEvaluation.objects.create(
        territory=territory,
        year=year,
        status=EvaluationStatus.PUBLISHED if published else EvaluationStatus.DRAFT,
        published_at=datetime.datetime(year + 1, 2, 1, 10, tzinfo=datetime.UTC) if published else None,
        **{**TEXTS, **texts},
    )


def study(territory, name="Étude d'impact", **extra):
    return Study.objects.create(
        name=name,
        purpose="Mesurer l'effet de l'accompagnement sur le retour à l'emploi.",
        territory=territory,
        period_from=extra.pop("period_from", datetime.date(2026, 1, 1)),
        period_to=extra.pop("period_to", datetime.date(2026, 12, 31)),
        **extra,
    )
