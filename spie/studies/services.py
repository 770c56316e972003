"""Every write on participatory evaluations and impact studies: atomic and audited."""

from django.db import transaction
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError

from .enums import EVALUATION_TRANSITIONS, EvaluationStatus
from .models import ParticipatoryEvaluation, Study, StudyExport

EVALUATION_FIELDS = ["structures_said", "mirror_group_said", "what_changed", "next_steps"]
# What must be written before an evaluation is published (the next steps may come later).
REQUIRED_TO_PUBLISH = {
    "structures_said": "Ce qu'en disent les structures",
    "mirror_group_said": "Ce qu'en dit le groupe miroir",
    "what_changed": "Ce qui a changé",
}
FIRST_YEAR = 2020  # the first cohort of territories


def _membership(by):
    return getattr(by, "membership", None)


def _check_year(year):
    if year is None or year < FIRST_YEAR or year > timezone.localdate().year:
        raise DomainError(
            f"Année : indiquez une année entre {FIRST_YEAR} et {timezone.localdate().year}.", field="year"
        )


def _clean(data):
    return {field: (data.get(field) or "").strip() for field in EVALUATION_FIELDS}


@transaction.atomic
def create_evaluation(*, territory, year, data, by):
    """Start the territory's evaluation of `year`, as a draft (one per territory and year)."""
    _check_year(year)
    if ParticipatoryEvaluation.objects.filter(territory=territory, year=year).exists():
        raise DomainError(
            f"Année : l'évaluation participative {year} de ce territoire existe déjà ; modifiez-la.", field="year"
        )
    evaluation = ParticipatoryEvaluation.objects.create(
        territory=territory, year=year, created_by=_membership(by), **_clean(data)
    )
    record_event(
        action="studies.evaluation.created", target=evaluation, by=by, territory=territory, data={"year": year}
    )
    return evaluation


@transaction.atomic
def update_evaluation(*, evaluation, data, by):
    """Change the texts of a draft evaluation (a published one goes back to draft first)."""
    evaluation = ParticipatoryEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError("Cette évaluation est publiée : repassez-la en brouillon pour la modifier.")
    cleaned = _clean(data)
    changed = [field for field, value in cleaned.items() if getattr(evaluation, field) != value]
    for field in changed:
        setattr(evaluation, field, cleaned[field])
    evaluation.save(update_fields=[*changed, "updated_at"])
    record_event(
        action="studies.evaluation.updated",
        target=evaluation,
        by=by,
        territory=evaluation.territory,
        data={"year": evaluation.year, "fields": changed},
    )
    return evaluation


def _transition(evaluation, to_status):
    evaluation = ParticipatoryEvaluation.objects.select_for_update().select_related("territory").get(pk=evaluation.pk)
    if to_status not in EVALUATION_TRANSITIONS[evaluation.status]:
        raise DomainError(
            f"L'évaluation ne peut pas passer de « {EvaluationStatus(evaluation.status).label} » "
            f"à « {EvaluationStatus(to_status).label} »."
        )
    return evaluation


@transaction.atomic
def publish_evaluation(*, evaluation, by):
    """Publish: the territory's professionals can read it from now on."""
    evaluation = _transition(evaluation, EvaluationStatus.PUBLISHED)
    missing = [label for field, label in REQUIRED_TO_PUBLISH.items() if not getattr(evaluation, field).strip()]
    if missing:
        raise DomainError(
            "Avant de publier, complétez : " + ", ".join(f"« {label} »" for label in missing) + ".",
            field=next(field for field, label in REQUIRED_TO_PUBLISH.items() if label == missing[0]),
        )
    evaluation.status = EvaluationStatus.PUBLISHED
    evaluation.published_at, evaluation.published_by = timezone.now(), _membership(by)
    evaluation.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    record_event(
        action="studies.evaluation.published",
        target=evaluation,
        by=by,
        territory=evaluation.territory,
        data={"year": evaluation.year},
    )
    return evaluation


@transaction.atomic
def unpublish_evaluation(*, evaluation, reason, by):
    """Take a published evaluation back to draft to correct it; the reason is kept in the audit."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Motif : indiquez pourquoi l'évaluation repasse en brouillon.", field="reason")
    evaluation = _transition(evaluation, EvaluationStatus.DRAFT)
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.published_at, evaluation.published_by = None, None
    evaluation.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    record_event(
        action="studies.evaluation.unpublished",
        target=evaluation,
        by=by,
        territory=evaluation.territory,
        data={"year": evaluation.year, "reason": reason[:500]},
    )
    return evaluation


# --- Impact studies ------------------------------------------------------------------------


@transaction.atomic
def create_study(*, name, purpose, territory, period_from, period_to, by):
    """Declare an impact study: its name, purpose, scope and period of entry into the pathway."""
    name, purpose = (name or "").strip(), (purpose or "").strip()
    if not name:
        raise DomainError("Nom de l'étude : ce champ est obligatoire.", field="name")
    if not purpose:
        raise DomainError("Finalité : décrivez la finalité de l'étude (RGPD).", field="purpose")
    if period_from is None or period_to is None:
        raise DomainError("Période : indiquez les deux dates.", field="period_from")
    if period_from > period_to:
        raise DomainError("Période : la date de début doit précéder la date de fin.", field="period_to")
    study = Study.objects.create(
        name=name,
        purpose=purpose,
        territory=territory,
        period_from=period_from,
        period_to=period_to,
        created_by=_membership(by),
    )
    record_event(
        action="studies.study.created",
        target=study,
        by=by,
        territory=territory,
        data={
            "territory": territory.code if territory else None,
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
        },
    )
    return study


@transaction.atomic
def record_export(*, study, channel, row_count, csv_sha256, parquet_sha256, by):
    """Log an extract run (the files themselves are not kept)."""
    export = StudyExport.objects.create(
        study=study,
        territory_id=study.territory_id,
        by=_membership(by),
        channel=channel,
        row_count=row_count,
        csv_sha256=csv_sha256,
        parquet_sha256=parquet_sha256,
    )
    record_event(
        action="studies.study.exported",
        target=study,
        by=by,
        territory=study.territory,
        data={"export": str(export.public_id), "rows": row_count, "channel": channel, "csv_sha256": csv_sha256},
    )
    return export
