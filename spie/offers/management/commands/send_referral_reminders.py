from django.core.management.base import BaseCommand
from tqdm import tqdm

from spie.offers.services import due_reminders, expire_referral, remind_referral


class Command(BaseCommand):
    help = (
        "Relance les services qui n'ont pas répondu à une orientation et fait expirer les orientations "
        "restées sans réponse (délais du territoire ; simulation par défaut, --wet-run pour agir)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Envoyer les relances et clore (sinon : simulation)")

    def handle(self, *args, wet_run, **options):
        to_expire, to_remind = due_reminders()
        if not wet_run:
            self.stdout.write(
                f"Simulation : {len(to_remind)} relance(s) à envoyer, {len(to_expire)} orientation(s) à faire "
                "expirer. Rien n'a été fait (ajoutez --wet-run)."
            )
            return
        with tqdm(total=len(to_expire) + len(to_remind), desc="Orientations", file=self.stderr) as bar:
            for referral in to_expire:
                expire_referral(referral=referral)
                bar.update(1)
            for referral in to_remind:
                remind_referral(referral=referral)
                bar.update(1)
        self.stdout.write(f"{len(to_remind)} relance(s) envoyée(s), {len(to_expire)} orientation(s) expirée(s).")
