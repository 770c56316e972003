from django.core.management.base import BaseCommand, CommandError

from spie.people.purge import anonymise, plan_purge, territories, warn_referents


class Command(BaseCommand):
    help = (
        "Avertit les référents des dossiers bientôt anonymisés, puis anonymise les dossiers sans activité "
        "depuis la durée fixée par le territoire (simulation par défaut ; --wet-run pour agir)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", help="Code d'un seul territoire")
        parser.add_argument("--wet-run", action="store_true", help="Agir réellement (sinon : simulation)")

    def handle(self, *args, territory, wet_run, **options):
        selected = list(territories(territory))
        if territory and not selected:
            raise CommandError(f"Territoire inconnu : {territory}.")
        total_warned = total_anonymised = 0
        for item in selected:
            to_warn, to_anonymise, anonymise_on = plan_purge(item)
            warn_count, anonymise_count = to_warn.count(), to_anonymise.count()
            if wet_run:
                anonymise(to_anonymise)
                warn_referents(to_warn, anonymise_on=anonymise_on)
            if warn_count or anonymise_count:
                self.stdout.write(f"{item.code} : {warn_count} à avertir, {anonymise_count} à anonymiser")
            total_warned += warn_count
            total_anonymised += anonymise_count
        verb = "" if wet_run else "Simulation : "
        self.stdout.write(
            f"{verb}{total_warned} dossier(s) signalé(s) aux référents, {total_anonymised} dossier(s) anonymisé(s)"
            + ("." if wet_run else " (rien n'a été écrit ; ajoutez --wet-run).")
        )
