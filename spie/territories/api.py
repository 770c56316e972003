"""Territories are public reference information: any valid organisation token may read them."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from spie.core.api import LimitOffsetPagination
from spie.core.errors import DomainError

from .enums import TerritoryStatus
from .models import Cohort, Territory

router = Router(tags=["Territoires"])


class CohorteOut(Schema):
    code: str
    nom: str
    annee: int

    @staticmethod
    def resolve_nom(cohort):
        return cohort.name

    @staticmethod
    def resolve_annee(cohort):
        return cohort.year


class DepartementOut(Schema):
    code: str
    nom: str

    @staticmethod
    def resolve_nom(departement):
        return departement.name


class EpciOut(Schema):
    siren: str
    nom: str

    @staticmethod
    def resolve_nom(epci):
        return epci.name


class LigneBudgetaireOut(Schema):
    id: UUID
    annee: int
    objet: str
    objet_libelle: str
    montant: Decimal
    libelle: str

    @staticmethod
    def resolve_id(line):
        return line.public_id

    @staticmethod
    def resolve_annee(line):
        return line.year

    @staticmethod
    def resolve_objet(line):
        return line.purpose

    @staticmethod
    def resolve_objet_libelle(line):
        return line.get_purpose_display()

    @staticmethod
    def resolve_montant(line):
        return line.amount

    @staticmethod
    def resolve_libelle(line):
        return line.label


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
    def resolve_nom(territory):
        return territory.name

    @staticmethod
    def resolve_cohorte(territory):
        return territory.cohort

    @staticmethod
    def resolve_statut(territory):
        return territory.status

    @staticmethod
    def resolve_statut_libelle(territory):
        return territory.get_status_display()

    @staticmethod
    def resolve_fuseau_horaire(territory):
        return territory.time_zone

    @staticmethod
    def resolve_date_lancement(territory):
        return territory.started_on

    @staticmethod
    def resolve_departements(territory):
        return list(territory.departements.all())

    @staticmethod
    def resolve_epcis(territory):
        return list(territory.epcis.all())


class TerritoireDetailOut(TerritoireOut):
    lignes_budgetaires: list[LigneBudgetaireOut]
    budget_total: Decimal

    @staticmethod
    def resolve_lignes_budgetaires(territory):
        return territory.lines

    @staticmethod
    def resolve_budget_total(territory):
        return sum((line.amount for line in territory.lines), Decimal("0.00"))


def _territories():
    return Territory.objects.select_related("cohort").prefetch_related("departements", "epcis").order_by("code")


@router.get("", response=list[TerritoireOut], summary="Territoires du Service public de l'insertion et de l'emploi")
@paginate(LimitOffsetPagination)
def list_territories(request, cohorte: str = "", statut: TerritoryStatus | None = None):
    """Paginated (`limit`, `offset`); `cohorte` filters by cohort code, `statut` by status."""
    queryset = _territories()
    if cohorte:
        if not Cohort.objects.filter(code=cohorte).exists():
            raise DomainError(f"Cohorte inconnue : « {cohorte} ».", field="cohorte")
        queryset = queryset.filter(cohort__code=cohorte)
    if statut:
        queryset = queryset.filter(status=statut)
    return queryset


@router.get("/{code}", response=TerritoireDetailOut, summary="Un territoire, son périmètre et son budget")
def get_territory(request, code: str):
    territory = get_object_or_404(_territories(), code=code)
    territory.lines = list(territory.budget_lines.order_by("year", "purpose", "pk"))
    return territory
