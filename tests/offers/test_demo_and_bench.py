"""The demo seeder and the benchmark generator on a small territory."""

import json
import random

import pytest

from spie.core.demo import DemoContext
from spie.offers import demo
from spie.offers.enums import ReferralStatus
from spie.offers.generator import Generator, commune_rows
from spie.offers.imports import plan_import
from spie.offers.models import Offer, Referral
from spie.territories.models import Commune
from tests.people.factories import PersonFactory, seat

pytestmark = pytest.mark.usefixtures("vocabularies", "places")


def test_generated_records_are_valid_and_use_real_communes():
    generator = Generator(random.Random(1), commune_rows(Commune.objects.all()))
    records = generator.records(300)
    plan = plan_import(json.dumps(records).encode())
    assert plan.rejected == [], plan.rejected[:3]
    codes = {service["code_insee"] for service in records["services"]}
    assert codes <= set(Commune.objects.values_list("insee_code", flat=True))


def test_demo_seeds_a_directory_and_referrals_at_every_status(nord, ml_lille, receiver, conseiller, ft_lille):
    ml_lille.commune = Commune.objects.get(insee_code="59350")
    ml_lille.save()
    for number in range(14):
        person = PersonFactory(territory=nord, first_names=f"Personne {number}")
        seat(person, conseiller, is_referent=True)
    summary = demo.seed(DemoContext(options={"territories": "59"}))
    assert "services dans l'annuaire" in summary
    assert Offer.objects.filter(territory=nord, structure__organisation=ml_lille).count() == 2
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.filter(receiving_organisation=ml_lille).exists()


def test_bench_module_imports():
    from spie.offers import bench

    assert callable(bench.run)
