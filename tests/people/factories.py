import datetime

import factory

from spie.people.identifiers import encrypt_nir, lookup_hash
from spie.people.models import FollowUpMember, Person


def valid_nir(body="2850559350123"):
    """A NIR with its correct key (97 - body mod 97)."""
    return body + f"{97 - int(body) % 97:02d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    birth_name = "Martin"
    first_names = "Camille Louise"
    birth_date = datetime.date(1985, 5, 14)
    sex = "F"
    email = "camille.martin@exemple.fr"
    phone = "+33612345678"
    address = "12 rue Nationale"
    postal_code = "59000"
    entry_date = datetime.date(2026, 9, 1)
    consent_given = True
    france_travail_id = factory.Sequence(lambda n: f"{1234000 + n}X")

    @factory.post_generation
    def nir(self, create, extracted, **kwargs):
        if extracted:
            self.nir_encrypted, self.nir_hash = encrypt_nir(extracted), lookup_hash(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        person.refresh_search_keys()
        person.save()
        return person

    @factory.post_generation
    def refresh(self, create, extracted, **kwargs):
        if create and self.nir_encrypted:
            Person.objects.filter(pk=self.pk).update(nir_encrypted=self.nir_encrypted, nir_hash=self.nir_hash)


def seat(person, user, *, is_referent=False, sensitive=False, **extra):
    return FollowUpMember.objects.create(
        person=person,
        territory=person.territory,
        membership=user.memberships.get(),
        is_referent=is_referent,
        can_see_sensitive=sensitive,
        **extra,
    )
