import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from spie.companies import policies
from spie.companies.enums import ContactStatus
from spie.companies.models import ContactRequest
from spie.companies.services import expire_contact_requests


class Command(BaseCommand):
    help = (
        "Enregistre comme « sans réponse » les demandes de contact aux entreprises dont le lien a expiré "
        "(à lancer chaque jour). Simulation sauf avec --wet-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Écrire réellement (sinon : simulation)")

    def handle(self, *args, **options):
        limit = timezone.now() - datetime.timedelta(days=policies.CONTACT_LINK_VALIDITY_DAYS)
        due = ContactRequest.objects.filter(status=ContactStatus.PENDING, sent_at__lte=limit).count()
        if not options["wet_run"]:
            self.stdout.write(
                f"Simulation : {due} demande(s) de contact seraient marquées sans réponse (--wet-run pour écrire)."
            )
            return
        with transaction.atomic():
            count = expire_contact_requests()
        self.stdout.write(f"{count} demande(s) de contact marquées sans réponse.")
