from decimal import Decimal

import factory

from spie.core.text import normalize_for_search
from spie.territories.enums import BudgetPurpose, TerritoryStatus
from spie.territories.models import BudgetLine, Cohort, Commune, Departement, Epci, Region, Territory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "32"
    name = "Hauts-de-France"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "59"
    name = "Nord"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    insee_code = "59350"
    name = "Lille"
    search_name = factory.LazyAttribute(lambda o: normalize_for_search(o.name))
    departement = factory.SubFactory(DepartementFactory)
    postal_codes = "59000|59160|59260|59777|59800"
    population = 236710
    latitude = 50.63194
    longitude = 3.0575


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ["code"]

    code = "2020-experimentation"
    name = "2020 — expérimentation"
    year = 2020


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = "59"
    name = "Nord"
    cohort = factory.SubFactory(CohortFactory)
    status = TerritoryStatus.DEPLOYED

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create and extracted:
            self.departements.set(extracted)

    @factory.post_generation
    def epcis(self, create, extracted, **kwargs):
        if create and extracted:
            self.epcis.set(extracted)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ["siren"]

    siren = "200093201"
    name = "Métropole Européenne de Lille"
    kind = "METRO"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    territory = factory.SubFactory(TerritoryFactory)
    year = 2021
    purpose = BudgetPurpose.TERRITORY_PROJECT
    amount = Decimal("100000.00")
    label = "Projet du territoire"
