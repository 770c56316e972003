from django.core.management.base import BaseCommand, CommandError

from spie.territories.seed import SeedError, load_official_territories


class Command(BaseCommand):
    help = "Charge les cohortes, les territoires officiels et le budget 2021 (après load_referentials)."

    def handle(self, *args, **options):
        try:
            summary = load_official_territories()
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Territoires : {territories_created} créés, {territories_updated} mis à jour "
                "({territories_total} au total) ; cohortes : {cohorts_created} créées ; "
                "lignes budgétaires : {budget_lines_created} créées.".format(**summary)
            )
        )
