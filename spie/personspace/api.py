"""The person's own data for a mobile application, under /api/v1/me.

A person logs in without a password: `POST /me/login/request` sends a six-digit code to the
e-mail or mobile number of their file (same answer whether or not it matches), `POST
/me/login/verify` exchanges the code for a short-lived bearer token (stored hashed). Every other
operation takes that token, never a structure's token, and reads the token's person only."""

from datetime import date, datetime
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import HttpBearer

from spie.core.api import ErreurApi
from spie.core.clientip import client_ip

from . import login, selectors, services
from .models import ApiSession, LoginSecret

router = Router(tags=["Espace personnel"])


class PersonToken(HttpBearer):
    """`Authorization: Bearer TOKEN`: the request acts for the person who verified a code."""

    openapi_description = "Jeton de la personne, obtenu par POST /me/login/verify (valable quelques heures)."

    def authenticate(self, request, token):
        session = (
            ApiSession.objects.usable()
            .select_related("person__territory")
            .filter(token_hash=LoginSecret.hash(token), person__anonymised_at__isnull=True)
            .first()
        )
        if session is None:
            return None
        now = timezone.now()
        if session.last_used_at is None or (now - session.last_used_at).total_seconds() > 60:
            ApiSession.objects.filter(pk=session.pk).update(last_used_at=now)
        request.space_person = session.person
        return session


person_token = PersonToken()


def _throttled(call, **kwargs):
    try:
        return call(**kwargs)
    except login.Throttled as error:
        raise HttpError(429, error.message) from None


# Login ---------------------------------------------------------------------------------------


REQUEST_ANSWER = "Si cette adresse ou ce numéro correspond à un dossier, un code à 6 chiffres vient d'y être envoyé."


class LoginRequestIn(Schema):
    identifiant: str = Field(max_length=254, description="Adresse e-mail ou numéro de mobile du dossier")


class LoginVerifyIn(LoginRequestIn):
    code: str = Field(max_length=12, description="Code à 6 chiffres reçu")


class MessageOut(Schema):
    message: str


class TokenOut(Schema):
    jeton: str
    expire_le: datetime


@router.post(
    "/login/request", auth=None, response={202: MessageOut, 429: ErreurApi}, summary="Demander un code de connexion"
)
def login_request(request, payload: LoginRequestIn):
    _throttled(login.request_login, identifier=payload.identifiant, ip=client_ip(request), for_api=True)
    return Status(202, {"message": REQUEST_ANSWER})


@router.post(
    "/login/verify", auth=None, response={200: TokenOut, 429: ErreurApi}, summary="Échanger le code contre un jeton"
)
def login_verify(request, payload: LoginVerifyIn):
    person = _throttled(
        login.verify_code,
        identifier=payload.identifiant,
        code=payload.code,
        ip=client_ip(request),
        for_api=True,
    )
    session, raw = login.open_api_session(person)
    return {"jeton": raw, "expire_le": session.expires_at}


@router.post("/logout", auth=person_token, response={204: None}, summary="Révoquer le jeton")
def logout(request):
    login.close_api_session(request.auth)
    return Status(204, None)


# Reading -------------------------------------------------------------------------------------


class ReferentOut(Schema):
    nom: str
    structure: str
    email: str
    telephone: str


class MyPathwayOut(Schema):
    etape: str
    etape_depuis: date
    type_de_parcours: str
    contrat_a_signer_avant: date | None
    referent: ReferentOut | None


@router.get("/pathway", auth=person_token, response={200: MyPathwayOut, 404: ErreurApi}, summary="Mon parcours")
def pathway(request):
    person = request.space_person
    current = selectors.current_pathway(person)
    if current is None:
        return Status(404, {"message": "Votre parcours n'est pas encore ouvert."})
    contact = selectors.referent_contact(person)
    return {
        "etape": current.get_stage_display(),
        "etape_depuis": current.stage_since,
        "type_de_parcours": current.get_pathway_type_display() if current.pathway_type else "",
        "contrat_a_signer_avant": current.contract_due_on,
        "referent": {
            "nom": contact["name"],
            "structure": contact["organisation"],
            "email": contact["email"],
            "telephone": contact["phone"],
        }
        if contact
        else None,
    }


class MyAppointmentOut(Schema):
    id: UUID
    debut: datetime
    duree_minutes: int
    nature: str
    modalite: str
    lieu: str
    avec: str
    structure: str
    statut: str
    ma_reponse: str | None


def _appointment_out(appointment, answer):
    return {
        "id": appointment.public_id,
        "debut": appointment.starts_at,
        "duree_minutes": appointment.duration_minutes,
        "nature": appointment.get_kind_display(),
        "modalite": appointment.get_channel_display(),
        "lieu": appointment.place,
        "avec": appointment.professional.user.get_full_name(),
        "structure": appointment.professional.organisation.name,
        "statut": appointment.get_status_display(),
        "ma_reponse": answer.get_kind_display() if answer else None,
    }


@router.get("/appointments", auth=person_token, response=list[MyAppointmentOut], summary="Mes rendez-vous à venir")
def appointments(request):
    upcoming = list(selectors.upcoming_appointments(request.space_person)[:100])
    answers = services.last_answers(upcoming)
    return [_appointment_out(a, answers.get(a.pk)) for a in upcoming]


def _answered(appointment):
    return _appointment_out(appointment, services.last_answers([appointment]).get(appointment.pk))


@router.post(
    "/appointments/{appointment_id}/confirm",
    auth=person_token,
    response=MyAppointmentOut,
    summary="Confirmer ma présence",
)
def confirm_appointment(request, appointment_id: UUID):
    appointment = selectors.appointment_of(request.space_person, appointment_id)
    services.confirm_appointment(appointment=appointment, person=request.space_person)
    return _answered(appointment)


class MoveIn(Schema):
    message: str = Field(max_length=500)
    creneaux_souhaites: str = Field("", max_length=300)


@router.post(
    "/appointments/{appointment_id}/move",
    auth=person_token,
    response=MyAppointmentOut,
    summary="Demander à déplacer un rendez-vous",
)
def move_appointment(request, appointment_id: UUID, payload: MoveIn):
    appointment = selectors.appointment_of(request.space_person, appointment_id)
    services.request_move(
        appointment=appointment,
        person=request.space_person,
        message=payload.message,
        preferred_slots=payload.creneaux_souhaites,
    )
    return _answered(appointment)


class MyActionOut(Schema):
    libelle: str
    heures_par_semaine: float
    statut: str


class ObjectiveOut(Schema):
    libelle: str
    theme: str
    actions: list[MyActionOut]


class MyContractOut(Schema):
    id: UUID
    version: int
    statut: str
    signe_le: date | None
    heures_par_semaine: float
    objectifs: list[ObjectiveOut]
    approuve_le: datetime | None


def _contract_out(contract):
    details = selectors.contract_details(contract)
    return {
        "id": contract.public_id,
        "version": contract.version,
        "statut": contract.get_status_display(),
        "signe_le": contract.person_signed_on,
        "heures_par_semaine": float(details["hours"]),
        "objectifs": [
            {
                "libelle": row.label,
                "theme": row.theme,
                "actions": [
                    {
                        "libelle": action.label,
                        "heures_par_semaine": float(action.item.weekly_hours),
                        "statut": action.item.get_status_display(),
                    }
                    for action in row.actions
                ],
            }
            for row in details["plan"]
        ],
        "approuve_le": details["approval"].approved_at if details["approval"] else None,
    }


@router.get("/contract", auth=person_token, response={200: MyContractOut, 404: ErreurApi}, summary="Mon contrat")
def contract(request):
    shown = selectors.current_contract(request.space_person)
    if shown is None:
        return Status(404, {"message": "Vous n'avez pas encore de contrat d'engagement."})
    return _contract_out(shown)


@router.post(
    "/contract/{contract_id}/approve", auth=person_token, response=MyContractOut, summary="Approuver mon contrat"
)
def approve_contract(request, contract_id: UUID):
    shown = selectors.contract_of(request.space_person, contract_id)
    services.approve_contract(contract=shown, person=request.space_person)
    return _contract_out(shown)


class MyReferralOut(Schema):
    service: str
    structure: str
    envoyee_le: datetime
    statut: str


@router.get("/referrals", auth=person_token, response=list[MyReferralOut], summary="Mes orientations")
def referrals(request):
    return [
        {
            "service": r.offer.name,
            "structure": r.offer.structure.name,
            "envoyee_le": r.sent_at,
            "statut": r.get_status_display(),
        }
        for r in selectors.referrals(request.space_person)[:200]
    ]


class MyImmersionOut(Schema):
    entreprise: str
    metier: str
    debut: date
    fin: date
    statut: str


@router.get("/immersions", auth=person_token, response=list[MyImmersionOut], summary="Mes immersions")
def immersions(request):
    return [
        {
            "entreprise": i.company.name,
            "metier": i.rome_job.label,
            "debut": i.starts_on,
            "fin": i.ends_on,
            "statut": i.get_status_display(),
        }
        for i in selectors.immersions(request.space_person)[:200]
    ]


class AccessOut(Schema):
    date: datetime
    qui: str | None
    structure: str | None
    nature: str
    objet: str


@router.get("/access-log", auth=person_token, response=list[AccessOut], summary="Qui a consulté mon dossier")
def access_log(request):
    return [
        {
            "date": log.at,
            "qui": log.user.get_full_name() if log.user_id else None,
            "structure": log.organisation.name if log.organisation_id else None,
            "nature": log.get_kind_display(),
            "objet": log.what,
        }
        for log in selectors.access_logs(request.space_person)[:500]
    ]


class ConsentOut(Schema):
    consentement_partage: bool
    modifie_le: datetime | None


class ConsentIn(Schema):
    consentement_partage: bool


def _consent_out(person):
    return {"consentement_partage": person.consent_given, "modifie_le": person.consent_changed_at}


@router.get("/consent", auth=person_token, response=ConsentOut, summary="Mon consentement au partage")
def consent(request):
    return _consent_out(request.space_person)


@router.post("/consent", auth=person_token, response=ConsentOut, summary="Donner ou retirer mon consentement")
def change_consent(request, payload: ConsentIn):
    person = services.change_consent(person=request.space_person, given=payload.consentement_partage)
    return _consent_out(person)


@router.get("/data", auth=person_token, summary="Télécharger toutes mes données (droit d'accès)")
def data(request):
    return services.download_data(request.space_person)
