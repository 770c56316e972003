from spie.accounts.enums import ImportKind
from spie.accounts.imports import apply_organisations, plan_organisations
from spie.accounts.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Importe les structures d'un territoire depuis un CSV (simulation par défaut ; --wet-run pour écrire)."
    kind = ImportKind.ORGANISATIONS
    plan = staticmethod(plan_organisations)
    apply = staticmethod(apply_organisations)

    def summary(self, counts, rejected):
        return (
            f"{counts['created']} structure(s) créée(s), {counts['updated']} mise(s) à jour, "
            f"{counts['unchanged']} inchangée(s), {rejected} ligne(s) rejetée(s)"
        )
