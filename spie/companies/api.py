"""Companies API: the token's territory's companies, shortage list, trainings; the immersions and
positionings of the people its structure follows (or prescribed), with the same services."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from spie.accounts.actors import Actor
from spie.core.api import LimitOffsetPagination
from spie.core.text import normalize_for_search
from spie.people.enums import AccessKind
from spie.people.models import FollowUpMember, active_team_q
from spie.people.services import log_access
from spie.referentials.models import NafActivity
from spie.territories.models import Commune

from . import services, services_immersions, services_trainings
from .enums import CancelReason, PositioningStatus
from .forms import CompanyForm
from .models import Company, CompanyJob, Immersion, ShortageOccupation, Training, TrainingPositioning
from .selectors import shortage_levels

router = Router(tags=["Entreprises"])


def _territory_id(request):
    territory_id = request.auth.organisation.territory_id
    if territory_id is None:
        raise HttpError(403, "La structure de ce jeton n'appartient à aucun territoire.")
    return territory_id


def _followed(request):
    """Persons followed by the token's structure (active seat)."""
    return Exists(
        FollowUpMember.objects.filter(
            active_team_q(), person=OuterRef("person"), membership__organisation=request.auth.organisation
        )
    )


# Schemas -----------------------------------------------------------------------------------


class JobOut(Schema):
    code_rome: str
    libelle: str
    immersion: bool
    recrute: bool
    en_tension: int


class CompanyOut(Schema):
    id: UUID
    siret: str
    nom: str
    code_naf: str | None
    adresse: str
    code_postal: str
    code_commune: str
    commune: str
    effectif: str
    capacite_immersion: int
    disponibilite: str
    metiers: list[JobOut]


class CompanyIn(Schema):
    siret: str
    nom: str
    code_commune: str
    code_naf: str = ""
    adresse: str = ""
    code_postal: str = ""
    effectif: str = ""
    capacite_immersion: int = 1
    email: str = ""
    telephone: str = ""


class ShortageOut(Schema):
    id: UUID
    code_rome: str
    libelle: str
    niveau_tension: int
    debut: date
    fin: date | None
    source: str


class ImmersionOut(Schema):
    id: UUID
    personne: UUID
    entreprise: UUID
    entreprise_nom: str
    structure_prescriptrice: str
    objectif: str
    code_rome: str
    debut: date
    fin: date
    heures_hebdomadaires: Decimal
    statut: str
    statut_libelle: str
    signee_personne_le: datetime | None
    signee_entreprise_le: datetime | None
    validee_le: datetime | None
    motif_annulation: str
    embauche: bool | None
    type_contrat: str | None
    debut_contrat: date | None


class StatusIn(Schema):
    action: str
    motif: str = ""
    precisions: str = ""


class TrainingOut(Schema):
    id: UUID
    organisme: str
    intitule: str
    codes_rome: list[str]
    debut: date
    fin: date
    places: int
    code_commune: str
    financement: str


class PositioningOut(Schema):
    id: UUID
    formation: UUID
    personne: UUID
    etape: str
    etape_libelle: str
    depuis: datetime


class PositioningStatusIn(Schema):
    etape: str
    commentaire: str = ""


# Companies ---------------------------------------------------------------------------------


def _company_out(company, levels):
    return CompanyOut(
        id=company.public_id,
        siret=company.siret,
        nom=company.name,
        code_naf=company.naf.code if company.naf_id else None,
        adresse=company.address,
        code_postal=company.postal_code,
        code_commune=company.commune.insee_code,
        commune=company.commune.name,
        effectif=company.size_band,
        capacite_immersion=company.immersion_capacity,
        disponibilite=company.availability,
        metiers=[
            JobOut(
                code_rome=job.rome_job.code,
                libelle=job.rome_job.label,
                immersion=job.hosts_immersion,
                recrute=job.hires,
                en_tension=levels.get(job.rome_job.code, 0),
            )
            for job in company.jobs.all()
        ],
    )


def _companies(request):
    return (
        Company.objects.filter(territory_id=_territory_id(request), is_active=True)
        .select_related("commune", "naf")
        .prefetch_related(Prefetch("jobs", CompanyJob.objects.select_related("rome_job")))
    )


@router.get("/", response=list[CompanyOut], summary="Entreprises du territoire du jeton")
@paginate(LimitOffsetPagination)
def list_companies(request, q: str = "", code_rome: str = "", code_commune: str = ""):
    companies = _companies(request).order_by("search_name", "pk")
    if q.strip():
        companies = companies.filter(Q(search_name__contains=normalize_for_search(q)) | Q(siret=q.replace(" ", "")))
    if code_rome:
        companies = companies.filter(
            Exists(CompanyJob.objects.filter(company=OuterRef("pk"), rome_job__code=code_rome.upper()))
        )
    if code_commune:
        companies = companies.filter(commune__insee_code=code_commune)
    levels = shortage_levels(request.auth.organisation.territory_id)
    return [_company_out(company, levels) for company in companies]


@router.get("/{uuid:company_id}", response=CompanyOut, summary="Une entreprise")
def get_company(request, company_id: UUID):
    company = get_object_or_404(_companies(request), public_id=company_id)
    return _company_out(company, shortage_levels(company.territory_id))


@router.post("/", response={201: CompanyOut}, summary="Ajouter une entreprise au territoire du jeton")
def create_company(request, payload: CompanyIn):
    _territory_id(request)
    commune = Commune.objects.filter(insee_code=payload.code_commune).first()
    form = CompanyForm(
        {
            "siret": payload.siret,
            "name": payload.nom,
            "naf": payload.code_naf,
            "address": payload.adresse,
            "postal_code": payload.code_postal,
            "commune": payload.code_commune,
            "size_band": payload.effectif,
            "immersion_capacity": payload.capacite_immersion,
            "availability": "available",
            "email": payload.email,
            "phone": payload.telephone,
        }
    )
    names = {
        "siret": "siret",
        "name": "nom",
        "naf": "code_naf",
        "commune": "code_commune",
        "size_band": "effectif",
        "postal_code": "code_postal",
        "immersion_capacity": "capacite_immersion",
        "email": "email",
    }
    if commune is None or not form.is_valid():
        errors = dict(form.errors) if commune is not None else {"commune": ["Commune inconnue (code INSEE attendu)."]}
        details = "; ".join(f"{names.get(field, field)} : {' '.join(messages)}" for field, messages in errors.items())
        raise HttpError(422, f"Données invalides — {details}")
    data = {key: value for key, value in form.cleaned_data.items() if key not in ("website",)}
    data["naf"] = data["naf"] if isinstance(data["naf"], NafActivity) else None
    company, _ = services.save_company(data=data, by=Actor.from_token(request.auth))
    return Status(201, get_company(request, company.public_id))


@router.get("/shortage-occupations", response=list[ShortageOut], summary="Métiers en tension en cours du territoire")
def list_shortages(request):
    shortages = (
        ShortageOccupation.objects.filter(territory_id=_territory_id(request))
        .current()
        .select_related("rome_job")
        .order_by("-tension", "rome_job__code")
    )
    return [
        ShortageOut(
            id=s.public_id,
            code_rome=s.rome_job.code,
            libelle=s.rome_job.label,
            niveau_tension=s.tension,
            debut=s.starts_on,
            fin=s.ends_on,
            source=s.source,
        )
        for s in shortages
    ]


# Immersions --------------------------------------------------------------------------------


def _immersions(request):
    return (
        Immersion.objects.filter(territory_id=_territory_id(request))
        .filter(_followed(request) | Q(prescriber_organisation=request.auth.organisation))
        .select_related("person", "company", "rome_job", "prescriber_organisation", "assessment")
    )


def _immersion_out(immersion):
    assessment = getattr(immersion, "assessment", None)
    return ImmersionOut(
        id=immersion.public_id,
        personne=immersion.person.public_id,
        entreprise=immersion.company.public_id,
        entreprise_nom=immersion.company.name,
        structure_prescriptrice=immersion.prescriber_organisation.name,
        objectif=immersion.objective,
        code_rome=immersion.rome_job.code,
        debut=immersion.starts_on,
        fin=immersion.ends_on,
        heures_hebdomadaires=immersion.weekly_hours,
        statut=immersion.status,
        statut_libelle=immersion.get_status_display(),
        signee_personne_le=immersion.person_signed_at,
        signee_entreprise_le=immersion.company_signed_at,
        validee_le=immersion.validated_at,
        motif_annulation=immersion.cancel_reason,
        embauche=assessment.hired if assessment else None,
        type_contrat=assessment.contract_type or None if assessment else None,
        debut_contrat=assessment.contract_start if assessment else None,
    )


@router.get("/immersions", response=list[ImmersionOut], summary="Immersions des personnes suivies ou prescrites")
@paginate(LimitOffsetPagination)
def list_immersions(request, statut: str = ""):
    immersions = _immersions(request).order_by("-starts_on", "pk")
    if statut:
        immersions = immersions.filter(status=statut)
    return [_immersion_out(immersion) for immersion in immersions]


@router.get("/immersions/{immersion_id}", response=ImmersionOut, summary="Une immersion")
def get_immersion(request, immersion_id: UUID):
    immersion = get_object_or_404(_immersions(request), public_id=immersion_id)
    log_access(
        person=immersion.person, by=Actor.from_token(request.auth), kind=AccessKind.READ, what="Immersion lue par l'API"
    )
    return _immersion_out(immersion)


@router.post(
    "/immersions/{immersion_id}/status",
    response=ImmersionOut,
    summary="Faire avancer une immersion",
    description="`action` : `valider` (structure prescriptrice), `demarrer`, ou `annuler` avec `motif` "
    f"({', '.join(CancelReason.values)}) et `precisions`.",
)
def move_immersion(request, immersion_id: UUID, payload: StatusIn):
    immersion = get_object_or_404(_immersions(request), public_id=immersion_id)
    if immersion.prescriber_organisation_id != request.auth.organisation_id:
        raise HttpError(403, "Seule la structure prescriptrice fait avancer cette immersion.")
    by = Actor.from_token(request.auth)
    if payload.action == "valider":
        services_immersions.validate_immersion(immersion=immersion, by=by)
    elif payload.action == "demarrer":
        services_immersions.start_immersion(immersion=immersion, by=by)
    elif payload.action == "annuler":
        services_immersions.cancel_immersion(
            immersion=immersion, reason=payload.motif, details=payload.precisions, by=by
        )
    else:
        raise HttpError(422, "action : valeur attendue « valider », « demarrer » ou « annuler ».")
    return _immersion_out(get_object_or_404(_immersions(request), public_id=immersion_id))


# Trainings and positionings ----------------------------------------------------------------


@router.get("/trainings", response=list[TrainingOut], summary="Sessions de formation du territoire")
@paginate(LimitOffsetPagination)
def list_trainings(request, a_venir: bool = True):
    trainings = Training.objects.filter(territory_id=_territory_id(request)).select_related("commune")
    if a_venir:
        trainings = trainings.filter(ends_on__gte=timezone.localdate())
    trainings = trainings.prefetch_related("rome_jobs").order_by("starts_on", "pk")
    return [
        TrainingOut(
            id=t.public_id,
            organisme=t.organisation_name,
            intitule=t.title,
            codes_rome=sorted(job.code for job in t.rome_jobs.all()),
            debut=t.starts_on,
            fin=t.ends_on,
            places=t.places,
            code_commune=t.commune.insee_code,
            financement=t.funding,
        )
        for t in trainings
    ]


def _positionings(request):
    return (
        TrainingPositioning.objects.filter(territory_id=_territory_id(request))
        .filter(_followed(request))
        .select_related("training", "person")
    )


def _positioning_out(positioning):
    return PositioningOut(
        id=positioning.public_id,
        formation=positioning.training.public_id,
        personne=positioning.person.public_id,
        etape=positioning.status,
        etape_libelle=positioning.get_status_display(),
        depuis=positioning.status_changed_at,
    )


@router.get("/positionings", response=list[PositioningOut], summary="Positionnements des personnes suivies")
@paginate(LimitOffsetPagination)
def list_positionings(request, formation: UUID | None = None):
    positionings = _positionings(request).order_by("-created_at", "pk")
    if formation:
        positionings = positionings.filter(training__public_id=formation)
    return [_positioning_out(positioning) for positioning in positionings]


@router.post(
    "/positionings/{positioning_id}/status",
    response=PositioningOut,
    summary="Faire avancer un positionnement",
    description=f"`etape` : {', '.join(PositioningStatus.values)} ; un abandon demande un `commentaire`.",
)
def move_positioning(request, positioning_id: UUID, payload: PositioningStatusIn):
    positioning = get_object_or_404(_positionings(request), public_id=positioning_id)
    if payload.etape not in PositioningStatus.values:
        raise HttpError(422, "etape : valeur inconnue.")
    positioning = services_trainings.move_positioning(
        positioning=positioning, status=payload.etape, note=payload.commentaire, by=Actor.from_token(request.auth)
    )
    return _positioning_out(positioning)
