from django.core.management.base import BaseCommand, CommandError

from spie.accounts import services
from spie.accounts.models import Organisation


class Command(BaseCommand):
    help = "Crée un jeton d'API pour une structure et l'affiche une seule fois."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="SIRET de la structure")
        parser.add_argument("--name", required=True, help="Nom du jeton (logiciel qui l'utilise)")

    def handle(self, *args, organisation, name, **options):
        target = Organisation.objects.filter(siret=organisation, is_active=True).first()
        if target is None:
            raise CommandError(f"Aucune structure active avec le SIRET {organisation}.")
        token, raw_key = services.create_api_token(organisation=target, name=name, by=None)
        self.stdout.write(f"Jeton « {token.name} » créé pour {target.name}. Copiez-le, il ne sera plus affiché :")
        self.stdout.write(raw_key)
