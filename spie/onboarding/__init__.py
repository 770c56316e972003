"""Mise en service d'un territoire: onboarding checklist, national progress, in-page help, user guide.

Two extension points let every app contribute without this app importing it.

1. Checklist items: an app's `AppConfig` may define

       def onboarding_items(self, territories):
           '''-> {territory.pk: [item, ...]} for the given territories (set-based: a few
           queries for all of them, never one per territory).'''

   An item is any object (or dict) with `label` (French), `done` (bool), `url` (where it is
   done), `help` (one sentence in plain French: what to do), and optionally `key` (stable,
   snake_case), `position` (ordering: 10 delays, 20 structures, 30–50 professionals, 60 people,
   70 offers, 80 companies, 90 case reviews) and `detail` (e.g. "12 structures"). An item done
   once the app has one row in the territory is `spie.onboarding.checklist.counted_items`, e.g.
   for offers:

       def onboarding_items(self, territories):
           from django.urls import reverse
           from spie.onboarding.checklist import counted_items
           from .models import Offer
           return counted_items(territories, Offer.objects.all(), unit="offre(s)", key="offers",
                                position=70, label="Offres d'insertion recensées",
                                url=reverse("offers:import"),
                                help="Importez le fichier des offres ou créez-les une à une.")

   Apps that do not define it simply contribute nothing; an app's items appear as soon as it
   adds the method. The items of territories and people live in `spie.onboarding.items`
   (their apps stay unaware of onboarding); those of accounts in `AccountsConfig`.

2. In-page help ("Comment faire ?"): an app's `AppConfig` may define a class attribute

       help_texts = {"people:caseload": "Paragraphe.\\n- étape\\n- étape"}

   mapping a view name (`request.resolver_match.view_name`) to a short text in plain French:
   blank lines separate paragraphs, lines starting with "- " make a list. `base.html` shows it
   as a DSFR accordion on that page. Defaults for apps that do not declare their own are in
   `spie.onboarding.help`; an app's own text wins.
"""
