"""Send the appointment reminders due today (by default 3 days and 1 day before), by e-mail with
an .ics attachment and by SMS. Dry run unless --wet-run; never twice the same reminder."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from spie.pathways.services_appointments import reminders_due, send_reminder
from spie.territories.models import Territory
from spie.territories.policies import policy_for


class Command(BaseCommand):
    help = "Envoie les rappels de rendez-vous du jour (par défaut 3 jours et 1 jour avant)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoyer vraiment (sinon : simulation)")
        parser.add_argument("--territoire", default="", help="Code d'un seul territoire")

    def handle(self, *args, **options):
        territories = Territory.objects.order_by("code")
        if options["territoire"]:
            territories = territories.filter(code=options["territoire"])
        due = []
        for territory in territories:
            due.extend(reminders_due(territory, policy_for(territory), timezone.localdate()))
        sent = 0
        if options["wet_run"]:
            for appointment, days in tqdm(due, desc="Rappels", unit="rappel", disable=not due):
                sent += send_reminder(appointment, days)
            self.stdout.write(f"{sent} rappel(s) de rendez-vous envoyé(s) sur {len(due)} dû(s).")
        else:
            self.stdout.write(f"Simulation : {len(due)} rappel(s) de rendez-vous à envoyer (ajoutez --wet-run).")
