"""Send the questionnaires due today (steps reached by people not yet asked) and the one
reminder of unanswered questionnaires. Dry run unless --wet-run; never twice the same message."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from spie.questionnaires import sending
from spie.territories.models import Territory


class Command(BaseCommand):
    help = "Envoie les questionnaires dus (après une étape du parcours) et la relance des questionnaires sans réponse."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoyer vraiment (sinon : simulation)")
        parser.add_argument("--territoire", default="", help="Code d'un seul territoire")

    def handle(self, *args, **options):
        now = timezone.now()
        territory_ids = None
        if options["territoire"]:
            territory_ids = list(Territory.objects.filter(code=options["territoire"]).values_list("pk", flat=True))
        dues = sending.due_invitations(timezone.localdate(), territory_ids)
        reminders = sending.due_reminders(now)
        if territory_ids is not None:
            reminders = reminders.filter(territory_id__in=territory_ids)
        if not options["wet_run"]:
            self.stdout.write(
                f"Simulation : {len(dues)} questionnaire(s) à envoyer et {reminders.count()} relance(s) "
                "(ajoutez --wet-run)."
            )
            return
        invitations = sending.create_invitations(dues, now)
        reminded = sending.create_reminders(now, territory_ids)
        delivered = failed = 0
        batches = [(invitations, False), (reminded, True)]
        total = len(invitations) + len(reminded)
        with tqdm(total=total, desc="Questionnaires", unit="message", disable=not total) as bar:
            for items, is_reminder in batches:
                for invitation, person, raw in items:
                    if sending.deliver(invitation, person, raw, reminder=is_reminder):
                        delivered += 1
                    else:
                        failed += 1
                    bar.update()
        skipped = len(dues) - len(invitations)
        self.stdout.write(
            f"{len(invitations)} questionnaire(s) envoyé(s), {len(reminded)} relance(s), "
            f"{delivered} message(s) remis, {failed} échec(s), {skipped} personne(s) sans e-mail ni mobile."
        )
