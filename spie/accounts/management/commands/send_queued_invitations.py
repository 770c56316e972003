import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from spie.accounts import mailing
from spie.accounts.enums import EmailStatus
from spie.accounts.models import Invitation


class Command(BaseCommand):
    help = (
        "Envoie les e-mails d'invitation en attente, par lots (à lancer par cron chaque minute, "
        "ou en continu avec --loop)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Nombre maximum d'e-mails à envoyer")
        parser.add_argument("--loop", action="store_true", help="Continuer à surveiller la file (travailleur)")
        parser.add_argument("--interval", type=float, default=5.0, help="Secondes entre deux passages avec --loop")

    def handle(self, *args, limit, loop, interval, **options):
        while True:
            self.run_once(limit)
            if not loop:
                return
            time.sleep(interval)

    def run_once(self, limit):
        started = time.monotonic()
        released = mailing.release_stuck()
        waiting = Invitation.objects.filter(
            email_status=EmailStatus.QUEUED, accepted_at__isnull=True, revoked_at__isnull=True
        ).count()
        total = waiting if limit is None else min(limit, waiting)
        if not total:
            return
        with tqdm(total=total, desc="Envoi des invitations", unit=" e-mails", file=self.stderr) as bar:
            sent, failed = mailing.send_queued_invitations(limit=limit, progress=bar.update)
        retried = total - sent - failed
        self.stdout.write(
            f"Invitations : {sent} envoyée(s), {failed} en échec définitif, {max(retried, 0)} à retenter, "
            f"{released} reprise(s) après interruption, en {time.monotonic() - started:.1f} s."
        )
