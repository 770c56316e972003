"""The person's data, as they have the right to receive it (RGPD, right of access)."""

from django.db import transaction

from spie.core.audit import record_event
from spie.core.models import AuditEvent
from spie.core.plugins import person_export as app_export_sections

from .enums import AccessKind


def _date(value):
    return value.isoformat() if value else None


@transaction.atomic
def person_export(person, *, by):
    """Everything the platform holds on the person, readable; the export itself is logged."""
    from .services import log_access

    data = {
        "identite": {
            "nom_de_naissance": person.birth_name,
            "nom_d_usage": person.usage_name,
            "prenoms": person.first_names,
            "date_de_naissance": _date(person.birth_date),
            "sexe": person.get_sex_display() if person.sex else None,
            "lieu_de_naissance": person.birth_place,
        },
        "coordonnees": {
            "email": person.email,
            "telephone": person.phone_display,
            "adresse": person.address,
            "code_postal": person.postal_code,
            "commune": person.commune.name if person.commune_id else None,
        },
        "identifiants": {
            "nir": person.nir,
            "identifiant_si_departement": person.si_id,
            "identifiant_france_travail": person.france_travail_id,
            "numero_caf_msa": person.caf_number,
        },
        "droits": {
            "date_entree": _date(person.entry_date),
            "rsa": person.get_rsa_status_display(),
            "allocation_chomage": person.get_unemployment_benefit_display(),
            "rqth": person.rqth,
        },
        "consentement": [
            {"donne": record.given, "le": record.recorded_at.isoformat()} for record in person.consent_records.all()
        ],
        "equipe_de_suivi": [
            {
                "professionnel": seat.membership.user.get_full_name(),
                "structure": seat.membership.organisation.name,
                "referent": seat.is_referent,
                "debut": _date(seat.started_on),
                "fin": _date(seat.ended_on),
            }
            for seat in person.team.select_related("membership__user", "membership__organisation")
        ],
        "historique": [
            {"date": event.created_at.isoformat(), "evenement": event.label}
            for event in AuditEvent.objects.filter(subject_id=person.public_id).order_by("created_at")
        ],
        "acces_au_dossier": [
            {
                "date": log.at.isoformat(),
                "nature": log.get_kind_display(),
                "professionnel": log.user.get_full_name() if log.user_id else None,
                "structure": log.organisation.name if log.organisation_id else None,
            }
            for log in person.access_logs.select_related("user", "organisation")
        ],
    }
    for _, key, section in app_export_sections(person):
        data[key] = section
    record_event(action="people.person.exported", target=person, by=by, territory=person.territory, subject=person)
    log_access(person=person, by=by, kind=AccessKind.EXPORT, what="Export des données (droit d'accès)")
    return data
