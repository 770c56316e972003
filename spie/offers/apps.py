from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "spie.offers"
    label = "offers"
    verbose_name = "Offre d'insertion"

    def main_menu(self, membership):
        from django.urls import reverse

        if membership is None:
            return []
        return [(40, "Offre d'insertion", reverse("offers:search"))]

    def person_tabs(self, membership, person):
        from django.urls import reverse

        return [
            (
                40,
                "orientations",
                "Orientations vers des services",
                reverse("offers:person_referrals", args=[person.public_id]),
            ),
            (45, "suggestions", "Suggestions", reverse("offers:person_suggestions", args=[person.public_id])),
        ]

    audit_labels = {
        "offers.import.applied": "Import de l'offre (data·inclusion)",
        "offers.offer.created": "Service ajouté à l'annuaire",
        "offers.offer.updated": "Service mis à jour",
        "offers.offer.confirmed": "Service confirmé à jour",
        "offers.duplicate.confirmed": "Doublon confirmé",
        "offers.duplicate.dismissed": "Doublon probable écarté",
        "offers.referral.sent": "Orientation vers un service envoyée",
        "offers.referral.accepted": "Orientation acceptée par le service",
        "offers.referral.refused": "Orientation refusée par le service",
        "offers.referral.expired": "Orientation expirée sans réponse",
        "offers.referral.reminded": "Relance du service pour une orientation",
        "offers.referral.started": "Démarrage dans le service",
        "offers.referral.ended": "Fin de l'accompagnement par le service",
        "offers.referral.abandoned": "Orientation abandonnée",
        "offers.referral.linked": "Orientation rattachée au contrat d'engagement",
        "offers.proposal.created": "Proposition d'offre",
        "offers.proposal.commented": "Commentaire sur une proposition d'offre",
        "offers.proposal.a_l_etude": "Proposition d'offre mise à l'étude",
        "offers.proposal.retenue": "Proposition d'offre retenue",
        "offers.proposal.publiee": "Proposition d'offre publiée dans l'annuaire",
        "offers.proposal.non_retenue": "Proposition d'offre non retenue",
    }
