import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from spie.core.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoContext


def _demo_modules():
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if app_config.name.startswith("spie.") and find_spec(name) is not None:
            module = import_module(name)
            if hasattr(module, "seed"):
                yield app_config.verbose_name, module


class Command(BaseCommand):
    help = (
        "Crée des données de démonstration réalistes : structures et professionnels de chaque "
        "territoire (puis personnes et parcours, quand ces modules existent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=200, help="Personnes accompagnées par territoire")
        parser.add_argument("--territories", default="", help="Codes des territoires, séparés par des virgules")
        parser.add_argument("--seed", type=int, default=2026, help="Graine du hasard (résultat reproductible)")
        parser.add_argument("--if-empty", action="store_true", help="Ne rien faire si la démo existe déjà")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Autoriser hors mode développement (les comptes de démo ont un mot de passe connu)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Les comptes de démonstration ont un mot de passe connu : lancez cette commande en "
                "développement, ou ajoutez --allow-production en connaissance de cause."
            )
        from spie.accounts.demo import demo_exists

        if options["if_empty"] and demo_exists():
            self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
            self.print_existing_logins()
            return
        started = time.monotonic()
        context = DemoContext(options=options, seed=options["seed"])
        summaries = []
        with transaction.atomic():
            for label, module in _demo_modules():
                summaries.append(f"{label} : {module.seed(context)}")
        for summary in summaries:
            self.stdout.write(f"  {summary}")
        self.stdout.write(f"Démonstration créée en {time.monotonic() - started:.1f} s.")
        self.print_logins(context)

    def print_existing_logins(self):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.prefetch_related("memberships__organisation")
        users = {user.email: user for user in users.filter(email__in=[email for _, email in DEMO_LOGINS])}
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for role_label, email in DEMO_LOGINS:
            if email in users:
                organisations = ", ".join(m.organisation.name for m in users[email].memberships.all())
                self.stdout.write(f"  {role_label:<32} {email:<34} {organisations}")

    def print_logins(self, context):
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for role_label, email, organisation in context.logins:
            self.stdout.write(f"  {role_label:<32} {email:<34} {organisation}")
