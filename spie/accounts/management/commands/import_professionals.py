from spie.accounts.enums import ImportKind
from spie.accounts.imports import apply_professionals, plan_professionals
from spie.accounts.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les professionnels d'un territoire depuis un CSV et met leurs invitations en file d'envoi "
        "(simulation par défaut ; --wet-run pour écrire). Les e-mails partent avec send_queued_invitations."
    )
    kind = ImportKind.PROFESSIONALS
    plan = staticmethod(plan_professionals)
    apply = staticmethod(apply_professionals)

    def summary(self, counts, rejected):
        return (
            f"{counts['invited']} invitation(s) en file d'envoi, {counts['roles']} rôle(s) modifié(s), "
            f"{counts['unchanged']} inchangé(s), {rejected} ligne(s) rejetée(s)"
        )
