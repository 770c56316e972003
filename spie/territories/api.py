"""Territories are public reference information: any valid organisation token may read them."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from spie.core.errors import DomainError

from .enums import TerritoryStatus
from .models import Cohort, Territory

router = Router(tags=["Territoires"])


class CohorteOut(Schema):
    code: str
    nom: str
    annee: int


class DepartementOut(Schema):
    code: str
    nom: str


class EpciOut(Schema):
    siren: str
    nom: str


class LigneBudgetaireOut(Schema):
    id: UUID
    annee: int
    objet: str
    objet_libelle: str
    montant: Decimal
    libelle: str


class TerritoireOut(Schema):
    code: str
    nom: str
    cohorte: CohorteOut
    statut: str
    statut_libelle: str
    fuseau_horaire: str
    date_lancement: date | None
    departements: list[DepartementOut]
    epcis: list[EpciOut]

    @staticmethod
    def fields_of(territory):
        cohort = territory.cohort
        return {
            "code": territory.code,
            "nom": territory.name,
            "cohorte": CohorteOut(code=cohort.code, nom=cohort.name, annee=cohort.year),
            "statut": territory.status,
            "statut_libelle": territory.get_status_display(),
            "fuseau_horaire": territory.time_zone,
            "date_lancement": territory.started_on,
            "departements": [DepartementOut(code=d.code, nom=d.name) for d in territory.departements.all()],
            "epcis": [EpciOut(siren=e.siren, nom=e.name) for e in territory.epcis.all()],
        }


class TerritoireDetailOut(TerritoireOut):
    lignes_budgetaires: list[LigneBudgetaireOut]
    budget_total: Decimal


def _territories():
    return (
        Territory.objects.select_related("cohort").prefetch_related("departements", "epcis").order_by("code")
    )


@router.get(
    "", response=list[TerritoireOut], summary="Territoires du Service public de l'insertion et de l'emploi"
)
@paginate(LimitOffsetPagination)
def list_territories(request, cohorte: str = "", statut: TerritoryStatus | None = None):
    queryset = _territories()
    if cohorte:
        if not Cohort.objects.filter(code=cohorte).exists():
            raise DomainError(f"Cohorte inconnue : « {cohorte} ».", field="cohorte")
        queryset = queryset.filter(cohort__code=cohorte)
    if statut:
        queryset = queryset.filter(status=statut)
    return [TerritoireOut(**TerritoireOut.fields_of(t)) for t in queryset]


@router.get("/{code}", response=TerritoireDetailOut, summary="Un territoire, son périmètre et son budget")
def get_territory(request, code: str):
    territory = get_object_or_404(_territories(), code=code)
    lines = list(territory.budget_lines.order_by("year", "purpose", "pk"))
    return TerritoireDetailOut(
        **TerritoireOut.fields_of(territory),
        lignes_budgetaires=[
            LigneBudgetaireOut(
                id=line.public_id,
                annee=line.year,
                objet=line.purpose,
                objet_libelle=line.get_purpose_display(),
                montant=line.amount,
                libelle=line.label,
            )
            for line in lines
        ],
        budget_total=sum((line.amount for line in lines), Decimal("0.00")),
    )
