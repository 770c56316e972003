"""Demo offer: a directory in real communes of each territory (imported like a data·inclusion file),
platform structures linked by SIRET, a few cross-source duplicates, referrals at every status, and
co-designed proposals."""

import datetime
import json

from django.utils import timezone

from spie.accounts.enums import OrganisationType, Role
from spie.accounts.models import Membership, Organisation
from spie.core.models import AuditEvent
from spie.people.models import FollowUpMember, Person
from spie.referentials.enums import Vocabulary
from spie.referentials.models import VocabularyTerm
from spie.territories.models import Territory

from .enums import ProposalStatus, ReferralStatus
from .generator import Generator, commune_rows
from .imports import apply_import, plan_import
from .models import Offer, OfferProposal, Referral

SERVICES_PER_TERRITORY = 60
RECEIVING_TYPES = [
    OrganisationType.MISSION_LOCALE,
    OrganisationType.PLIE,
    OrganisationType.CCAS,
    OrganisationType.ASSOCIATION,
    OrganisationType.SIAE,
    OrganisationType.CAP_EMPLOI,
]
STATUS_TIMES = {  # days ago the referral was sent, and how it went
    ReferralStatus.SENT: 3,
    ReferralStatus.ACCEPTED: 12,
    ReferralStatus.REFUSED: 15,
    ReferralStatus.EXPIRED: 45,
    ReferralStatus.STARTED: 25,
    ReferralStatus.ENDED: 120,
    ReferralStatus.ABANDONED: 60,
}
MESSAGES = [
    "Personne motivée, disponible dès maintenant ; elle souhaite lever ce frein avant une reprise d'emploi.",
    "Premier rendez-vous à prévoir en matinée (garde d'enfants l'après-midi).",
    "Orientation travaillée en entretien ; la personne attend votre appel.",
]


def _territory_records(territory, generator, organisations, start):
    records = generator.records(SERVICES_PER_TERRITORY, start=start)
    for index, organisation in enumerate(organisations):
        commune = generator.by_code.get(organisation.commune.insee_code) if organisation.commune_id else None
        structure = generator.structure(start + 10_000 + index, commune, siret=organisation.siret)
        structure["nom"] = organisation.name[:150].rstrip(".")
        records["structures"].append(structure)
        for offset in range(2):
            records["services"].append(generator.service(start + 20_000 + index * 2 + offset, structure))
    # Two services also published by the département's own directory: likely duplicates.
    copies = []
    for service in records["services"][:2]:
        copy = {**service, "source": f"cd{territory.code}", "id": f"cd{territory.code}--{service['id']}"}
        copy["structure_id"] = f"cd{territory.code}--annuaire"
        copies.append(copy)
    records["structures"].append(
        {
            "source": f"cd{territory.code}",
            "id": f"cd{territory.code}--annuaire",
            "nom": f"Annuaire social — {territory.name}"[:150],
            "date_maj": timezone.localdate().isoformat(),
        }
    )
    records["services"] += copies
    return records


def _referrals(territory, rng, now):
    people = list(
        Person.objects.filter(territory=territory, consent_given=True, anonymised_at__isnull=True)
        .filter(team__is_referent=True, team__ended_on__isnull=True)
        .order_by("-team__membership__user__email")[:40]
    )
    named = [
        p
        for p in people
        if FollowUpMember.objects.filter(person=p, membership__user__email="conseiller@demo.spie.fr").exists()
    ]
    people = (named + [p for p in people if p not in named])[: len(STATUS_TIMES) * 2]
    offers = list(Offer.objects.filter(territory=territory, duplicate_of__isnull=True).select_related("structure"))
    platform = [o for o in offers if o.structure.organisation_id]
    others = [o for o in offers if not o.structure.organisation_id and o.email]
    if not people or not platform:
        return 0
    referrals, events = [], []
    statuses = list(STATUS_TIMES)
    for index, person in enumerate(people):
        status = statuses[index % len(statuses)]
        on_platform = index % 3 != 2 or not others
        offer = rng.choice(platform if on_platform else others)
        sender = person.referent.membership
        sent_at = now - datetime.timedelta(days=STATUS_TIMES[status], hours=rng.randint(0, 8))
        answered = status not in (ReferralStatus.SENT, ReferralStatus.EXPIRED)
        responded_at = sent_at + datetime.timedelta(hours=rng.randint(4, 96)) if answered else None
        receivers = list(Membership.objects.active().filter(organisation=offer.structure.organisation_id)[:1])
        referral = Referral(
            territory=territory,
            person=person,
            offer=offer,
            sender=sender,
            message=rng.choice(MESSAGES),
            needs=[rng.choice(["mobilite", "logement", "numerique", "emploi", "difficulte_financiere"])],
            status=status,
            receiving_organisation_id=offer.structure.organisation_id if on_platform else None,
            contact_email="" if on_platform else offer.email,
            sent_at=sent_at,
            responded_at=responded_at,
            response_delay_hours=int((responded_at - sent_at).total_seconds() // 3600) if responded_at else None,
            responder=receivers[0] if receivers and answered and on_platform else None,
            responder_name="" if on_platform else "Accueil du service",
            refusal_reason="Le service est complet jusqu'au mois prochain." if status == ReferralStatus.REFUSED else "",
            started_at=responded_at + datetime.timedelta(days=5)
            if status in (ReferralStatus.STARTED, ReferralStatus.ENDED, ReferralStatus.ABANDONED)
            else None,
            closed_at=now - datetime.timedelta(days=2)
            if status in (ReferralStatus.ENDED, ReferralStatus.ABANDONED, ReferralStatus.EXPIRED)
            else None,
            reminder_count=2 if status == ReferralStatus.EXPIRED else 0,
        )
        referrals.append(referral)
    Referral.objects.bulk_create(referrals)
    for referral in referrals:
        events.append(
            AuditEvent(
                action="offers.referral.sent",
                territory=territory,
                membership=referral.sender,
                target_type="offers.referral",
                target_id=referral.public_id,
                subject_id=referral.person.public_id,
                data={"offer": str(referral.offer.public_id)},
            )
        )
        if referral.status != ReferralStatus.SENT:
            verb = {
                ReferralStatus.REFUSED: "refused",
                ReferralStatus.EXPIRED: "expired",
            }.get(referral.status, "accepted")
            events.append(
                AuditEvent(
                    action=f"offers.referral.{verb}",
                    territory=territory,
                    membership=referral.responder,
                    target_type="offers.referral",
                    target_id=referral.public_id,
                    subject_id=referral.person.public_id,
                )
            )
    AuditEvent.objects.bulk_create(events)
    return len(referrals)


def _proposals(territory):
    members = list(
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.CONSEILLER)
        .select_related("organisation")[:3]
    )
    if not members:
        return 0
    plans = [
        (
            "Garage solidaire itinérant",
            ProposalStatus.REVIEWING,
            "Aucun garage solidaire à moins de 30 km en zone rurale.",
        ),
        (
            "Crèche à vocation d'insertion professionnelle",
            ProposalStatus.PROPOSED,
            "Des parents isolés refusent des emplois faute de garde.",
        ),
        (
            "Atelier numérique en itinérance",
            ProposalStatus.RETAINED,
            "Les démarches en ligne bloquent les personnes sans équipement.",
        ),
    ]
    proposals = [
        OfferProposal(
            territory=territory,
            proposer=members[index % len(members)],
            title=title,
            need=need,
            public="Bénéficiaires du RSA et demandeurs d'emploi de longue durée",
            capacity=60 + 20 * index,
            status=status,
        )
        for index, (title, status, need) in enumerate(plans)
    ]
    OfferProposal.objects.bulk_create(proposals)
    return len(proposals)


def seed(context):
    if not VocabularyTerm.objects.filter(vocabulary=Vocabulary.THEMATIQUES).exists():
        return "aucune offre : les vocabulaires data·inclusion ne sont pas chargés (manage.py load_referentials)"
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    now = timezone.now()
    totals = {"services": 0, "referrals": 0, "proposals": 0, "duplicates": 0}
    for index, territory in enumerate(territories):
        communes = commune_rows(territory.communes().exclude(latitude__isnull=True).order_by("-population")[:80])
        if not communes:
            continue
        generator = Generator(context.rng, communes, source="dora")
        organisations = list(
            Organisation.objects.filter(territory=territory, type__in=RECEIVING_TYPES, is_active=True)
            .select_related("commune")
            .order_by("name")[:6]
        )
        records = _territory_records(territory, generator, organisations, start=index * 100_000)
        plan = plan_import(json.dumps(records).encode())
        counts = apply_import(plan, skip_invalid=True)
        totals["services"] += counts["services_created"] + counts["services_updated"]
        totals["duplicates"] += counts["duplicates"]
        totals["referrals"] += _referrals(territory, context.rng, now)
        totals["proposals"] += _proposals(territory)
    return (
        f"{totals['services']} services dans l'annuaire, {totals['duplicates']} doublons probables, "
        f"{totals['referrals']} orientations, {totals['proposals']} propositions d'offre"
    )
