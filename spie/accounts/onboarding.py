"""Accounts' contribution to the onboarding checklist (collected by spie.onboarding)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from .enums import EmailStatus, Role
from .models import Invitation, Membership, Organisation


def _by_territory(queryset, key, **aggregates):
    return {row.pop(key): row for row in queryset.values(key).annotate(**aggregates).order_by()}


def onboarding_items(territories):
    structures = _by_territory(
        Organisation.objects.filter(territory__in=territories, is_active=True).annotate(
            staffed=Exists(Membership.objects.active().filter(organisation=OuterRef("pk")))
        ),
        "territory",
        total=Count("pk"),
        staffed_count=Count("pk", filter=Q(staffed=True)),
    )
    invitations = _by_territory(
        Invitation.objects.filter(organisation__territory__in=territories, revoked_at__isnull=True),
        "organisation__territory",
        total=Count("pk"),
        waiting=Count("pk", filter=Q(email_status__in=[EmailStatus.QUEUED, EmailStatus.SENDING])),
        failed=Count("pk", filter=Q(email_status=EmailStatus.FAILED)),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
    )
    officers = _by_territory(
        Membership.objects.active().filter(organisation__territory__in=territories, role=Role.CHARGE_ORIENTATION),
        "organisation__territory",
        total=Count("pk"),
    )
    items = {}
    for territory in territories:
        query = f"?territoire={territory.code}"
        org = structures.get(territory.pk, {"total": 0, "staffed_count": 0})
        inv = invitations.get(territory.pk, {"total": 0, "waiting": 0, "failed": 0, "accepted": 0})
        officer_count = officers.get(territory.pk, {"total": 0})["total"]
        items[territory.pk] = [
            {
                "key": "structures",
                "position": 20,
                "label": "Structures partenaires enregistrées",
                "done": org["total"] >= 2,
                "url": reverse("accounts:import_organisations") + query,
                "help": "Importez le fichier des structures (SIRET, nom, type, adresse, contact).",
                "detail": f"{org['total']} structure(s) active(s)",
            },
            {
                "key": "invitations",
                "position": 30,
                "label": "Professionnels invités",
                "done": inv["total"] > 0 and not inv["waiting"] and not inv["failed"],
                "url": reverse("accounts:import_professionals") + query,
                "help": (
                    "Importez le fichier des professionnels : chacun reçoit une invitation par e-mail. "
                    "Renvoyez les invitations en échec depuis le suivi des invitations."
                ),
                "detail": (
                    f"{inv['total']} invitation(s) : {inv['waiting']} en attente d'envoi, {inv['failed']} en échec"
                ),
            },
            {
                "key": "active_professionals",
                "position": 40,
                "label": "Un professionnel actif dans chaque structure",
                "done": org["total"] > 0 and org["staffed_count"] == org["total"],
                "url": reverse("accounts:invitations") + query,
                "help": "Relancez les professionnels qui n'ont pas encore accepté leur invitation.",
                "detail": (
                    f"{org['staffed_count']} structure(s) sur {org['total']} ; "
                    f"{inv['accepted']} invitation(s) acceptée(s)"
                ),
            },
            {
                "key": "orientation_officers",
                "position": 50,
                "label": "Chargé·e d'orientation nommé·e",
                "done": officer_count > 0,
                "url": reverse("accounts:import_professionals") + query,
                "help": (
                    "Invitez au moins un professionnel avec le rôle « Chargé·e d'orientation », ou donnez ce rôle "
                    "à un membre depuis la page de sa structure."
                ),
                "detail": f"{officer_count} chargé·e(s) d'orientation",
            },
        ]
    return items
