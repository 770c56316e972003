"""Bench: a territory goes live in a day — 500 structures and 5,000 professionals imported, with
their invitations queued (not sent inline), in under 30 s."""

import time

from django.db import transaction

from spie.accounts.imports import apply_organisations, apply_professionals, plan_organisations, plan_professionals
from spie.core.validators import siret_with_key
from spie.territories.models import Territory

STRUCTURES = 500
PROFESSIONALS = 5000
TYPES = ["Département", "France Travail", "Mission locale", "Cap emploi", "PLIE", "CCAS", "Association", "SIAE"]


def files(rng, prefix="79"):
    """A structures file and a professionals file, as a coordinator would prepare them."""
    sirets = [siret_with_key(f"{prefix}{n:011d}") for n in range(STRUCTURES)]
    structures = ["siret;nom;type;adresse;code_postal;commune;email;telephone"]
    for n, siret in enumerate(sirets):
        structures.append(
            f"{siret};Structure d'essai {n};{rng.choice(TYPES)};{n} rue de la République;59000;;"
            f"contact{n}@structure-{prefix}.example;03 20 00 {n // 100:02d} {n % 100:02d}"
        )
    professionals = ["email;nom;prenom;siret_structure;role;telephone"]
    for n in range(PROFESSIONALS):
        # Territorial roles are never given by a command-line import (see accounts.imports).
        role = "Gestionnaire" if n % 10 == 0 else "Conseiller·ère"
        professionals.append(f"pro{n}@bench-{prefix}.example;Nom{n};Prénom{n};{sirets[n % STRUCTURES]};{role};")
    return "\n".join(structures).encode(), "\n".join(professionals).encode()


def import_territory(territory, structures, professionals):
    """Plan and apply both files; returns the elapsed seconds and the counts."""
    started = time.perf_counter()
    organisations = apply_organisations(
        plan_organisations(structures, territory=territory), territory=territory, by=None
    )
    report = plan_professionals(professionals, territory=territory)
    invitations = apply_professionals(report, territory=territory, by=None)
    return time.perf_counter() - started, organisations, invitations


def run(ctx):
    territory = Territory.objects.order_by("pk").first()
    if territory is None:
        ctx.say("  aucun territoire : lancez d'abord seed_demo")
        return
    structures, professionals = files(ctx.rng)
    with transaction.atomic():
        elapsed, organisations, invitations = import_territory(territory, structures, professionals)
        ctx.say(f"  {organisations['created']} structures, {invitations['invited']} invitations en file d'envoi")
        transaction.set_rollback(True)
    ctx.record("onboarding_import_5000_s", elapsed, "s", 30)
