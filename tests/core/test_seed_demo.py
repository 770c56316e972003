from django.core.management import call_command

from spie.accounts.enums import OrganisationType, Role
from spie.accounts.models import Membership, Organisation
from spie.people.models import FollowUpMember, Person


def test_seed_demo_builds_a_realistic_territory_and_prints_one_login_per_role(nord, capsys):
    call_command("seed_demo", "--territories", "59", "--people", "12", "--allow-production")
    out = capsys.readouterr().out
    for email in ("conseiller@", "gestionnaire@", "orientation@", "coordination@", "admin@"):
        assert email in out
    types = set(Organisation.objects.filter(territory=nord).values_list("type", flat=True))
    assert types == set(OrganisationType.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Person.objects.filter(territory=nord).count() == 12
    assert FollowUpMember.objects.filter(is_referent=True).count() == 12

    call_command("seed_demo", "--if-empty", "--allow-production")
    again = capsys.readouterr().out
    assert "déjà présentes" in again and "conseiller@demo.spie.fr" in again
    assert Person.objects.count() == 12


def test_seed_demo_refuses_production_settings(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="mot de passe connu"):
        call_command("seed_demo")
