import factory
import factory.fuzzy
from faker.providers.person.fr_FR import Provider as FrenchNames

from spie.accounts.enums import OrganisationType, Role
from spie.accounts.models import Membership, Organisation, User
from spie.core.validators import siret_with_key
from tests.territories.factories import TerritoryFactory

# The names the tests give to the people they follow (PersonFactory's and those set by hand): a
# professional never draws them, so that a test can check that a person's name does not reach a
# page without a chance match. Free texts naming someone use names outside any list.
PEOPLE_NAMES = {"Camille", "Louise", "Martin", "Durand", "Benali", "Lemoine", "Petit", "Zola", "Zoé", "Paul"}
PEOPLE_NAMES |= {"Nadia", "Léo", "Inès", "Anne", "Dominique", "Sam", "Karim", "Youssef"}


def _names_clear_of_people(names):
    """Names that neither are nor contain a person's name of the tests ("Martine" holds "Martin")."""
    return sorted(name for name in set(names) if not any(person in name for person in PEOPLE_NAMES))


SIRET_PREFIXES = iter(range(1_000_000_000_000, 1_000_000_100_000))


def next_valid_siret():
    return siret_with_key(str(next(SIRET_PREFIXES)))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    first_name = factory.fuzzy.FuzzyChoice(_names_clear_of_people(FrenchNames.first_names))
    last_name = factory.fuzzy.FuzzyChoice(_names_clear_of_people(FrenchNames.last_names))
    email = factory.Sequence(lambda n: f"pro{n}@exemple.fr")
    password = factory.django.Password("mot-de-passe-solide-2026")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Structure {n}")
    type = OrganisationType.FRANCE_TRAVAIL
    siret = factory.LazyFunction(next_valid_siret)
    territory = factory.SubFactory(TerritoryFactory)
    address = "1 rue de la République"
    postal_code = "59000"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CONSEILLER
