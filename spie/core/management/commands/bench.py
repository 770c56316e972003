import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from spie.core.benchmarks import RESULTS_FILE, SCALES, BenchContext


class Command(BaseCommand):
    help = "Mesure les temps de réponse et d'import à l'échelle nationale (PostgreSQL), écrit bench-results.json."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="full")
        parser.add_argument("--only", default="", help="Applications à mesurer, séparées par des virgules")
        parser.add_argument(
            "--size",
            action="append",
            default=[],
            metavar="CLÉ=N",
            help="Remplace une taille de l'échelle choisie (ex. import_rows=100000)",
        )

    def handle(self, *args, scale, only, size, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Les mesures se font sur PostgreSQL : définissez DATABASE_URL.")
        started = time.monotonic()
        context = BenchContext(scale=scale, stdout=self.stdout)
        for override in size:
            key, _, value = override.partition("=")
            if key not in context.sizes or not value.isdigit():
                raise CommandError(f"Taille inconnue ou invalide : {override} (clés : {', '.join(context.sizes)}).")
            context.sizes[key] = int(value)
        wanted = {name for name in only.split(",") if name}
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.bench"
            if not app_config.name.startswith("spie.") or find_spec(module_name) is None:
                continue
            if wanted and app_config.label not in wanted:
                continue
            self.stdout.write(f"\n== {app_config.verbose_name} ==")
            import_module(module_name).run(context)
        context.write()
        failed = [figure.name for figure in context.figures if not figure.ok]
        self.stdout.write(
            f"\n{len(context.figures)} mesure(s) en {time.monotonic() - started:.0f} s, "
            f"écrites dans {RESULTS_FILE.name} ; "
            + (f"hors cible : {', '.join(failed)}" if failed else "toutes dans la cible.")
        )
