"""The frame of `seed_demo`: each app may have a `demo.py` with `seed(context)`, run in app order."""

import random
from dataclasses import dataclass, field

from faker import Faker

DEMO_PASSWORD = "demo-SPIE-2026"
# One easy login per role, created by the accounts demo: (role label, e-mail).
DEMO_LOGINS = [
    ("Conseiller·ère", "conseiller@demo.spie.fr"),
    ("Gestionnaire de structure", "gestionnaire@demo.spie.fr"),
    ("Chargé·e d'orientation", "orientation@demo.spie.fr"),
    ("Coordinateur·rice SPIE", "coordination@demo.spie.fr"),
    ("Administrateur·rice national·e", "admin@demo.spie.fr"),
]


@dataclass
class DemoContext:
    """What the app seeders share: a seeded random source, French fake data, the options."""

    options: dict
    seed: int = 2026
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    logins: list = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(self.seed)

    def add_login(self, role_label, email, organisation):
        self.logins.append((role_label, email, organisation))
