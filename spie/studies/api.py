"""Participatory evaluation API: the published evaluations of the token's territory, read-only."""

from datetime import datetime
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from spie.core.api import LimitOffsetPagination

from .models import ParticipatoryEvaluation

router = Router(tags=["Évaluation participative et études"])


class EvaluationOut(Schema):
    id: UUID = Field(alias="public_id")
    territoire: str = Field(alias="territory.code")
    annee: int = Field(alias="year")
    ce_qu_en_disent_les_structures: str = Field(alias="structures_said")
    ce_qu_en_dit_le_groupe_miroir: str = Field(alias="mirror_group_said")
    ce_qui_a_change: str = Field(alias="what_changed")
    prochaines_etapes: str = Field(alias="next_steps")
    publiee_le: datetime = Field(alias="published_at")


def _published(request):
    """Published evaluations of the token's territory; a structure without territory has none."""
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return ParticipatoryEvaluation.objects.published().filter(territory_id=territory_id).select_related("territory")


@router.get("/evaluations", response=list[EvaluationOut], summary="Évaluations participatives publiées du territoire")
@paginate(LimitOffsetPagination)
def list_evaluations(request, annee: int | None = None):
    evaluations = _published(request).order_by("-year", "pk")
    if annee is not None:
        evaluations = evaluations.filter(year=annee)
    return evaluations


@router.get("/evaluations/{uuid:evaluation_id}", response=EvaluationOut, summary="Une évaluation participative publiée")
def get_evaluation(request, evaluation_id: UUID):
    return get_object_or_404(_published(request), public_id=evaluation_id)
