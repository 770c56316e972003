"""Import of a territory's professionals: invitations queued, second memberships, role changes."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from spie.accounts import mailing
from spie.accounts.enums import EmailStatus, Role
from spie.accounts.imports import apply_professionals, plan_professionals
from spie.accounts.models import Invitation, Membership, User
from spie.accounts.services import accept_invitation
from spie.core.models import AuditEvent
from tests.accounts.factories import MembershipFactory, UserFactory

HEADER = "email;nom;prenom;siret_structure;role;telephone"


def csv(*lines):
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_each_row_becomes_a_queued_invitation_not_an_inline_email(nord, ft_lille, departement_nord, coordinator):
    content = (
        "email;nom;prenom;siret_structure;role;telephone;motif\n"
        f"Nadia.Benali@ft-lille.fr;Benali;Nadia;{ft_lille.siret};Conseillère;06 12 34 56 78;\n"
        f"karim@nord.fr;Haddad;Karim;{departement_nord.siret};chargé d'orientation;;Renfort de l'orientation\n"
        f"paul@nord.fr;Roux;Paul;{departement_nord.siret};;;\n"
    ).encode()
    report = plan_professionals(content, territory=nord, membership=coordinator.memberships.get())
    assert [r.action for r in report.results] == ["create", "create", "create"]
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        counts = apply_professionals(report, territory=nord, by=None)
    assert counts == {"invited": 3, "roles": 0, "unchanged": 0}
    assert mail.outbox == []
    invitations = {i.email: i for i in Invitation.objects.all()}
    assert invitations["nadia.benali@ft-lille.fr"].role == Role.CONSEILLER
    assert invitations["nadia.benali@ft-lille.fr"].phone == "06 12 34 56 78"
    assert invitations["karim@nord.fr"].role == Role.CHARGE_ORIENTATION
    assert invitations["paul@nord.fr"].role == Role.CONSEILLER
    assert {i.email_status for i in invitations.values()} == {EmailStatus.QUEUED}
    assert AuditEvent.objects.filter(action="accounts.invitation.created").count() == 3
    # Small batches are attempted right after the commit.
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 3
    assert set(Invitation.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_large_imports_are_left_to_the_worker(nord, ft_lille, monkeypatch):
    monkeypatch.setattr(mailing, "IMMEDIATE_LIMIT", 2)
    content = csv(*(f"pro{n}@ft-lille.fr;Nom{n};Prénom;{ft_lille.siret};;" for n in range(3)))
    with TestCase.captureOnCommitCallbacks(execute=True):
        apply_professionals(plan_professionals(content, territory=nord), territory=nord, by=None)
    assert mail.outbox == []
    call_command("send_queued_invitations")
    assert len(mail.outbox) == 3


def test_existing_account_elsewhere_gets_a_second_membership_not_a_second_account(
    nord, ft_lille, departement_nord, other_structure
):
    content = csv(f"{other_structure.email};Autre;Nom;{ft_lille.siret};conseiller;")
    report = plan_professionals(content, territory=nord)
    row = report.results[0]
    assert row.action == "create"
    assert row.messages == [
        "a déjà un compte (membre de Département du Nord) : un second rattachement sera créé à l'acceptation"
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        apply_professionals(report, territory=nord, by=None)
    link = re.search(r"/invitation/(\S+)/", mail.outbox[-1].body).group(1)
    users_before = User.objects.count()
    from spie.accounts.services import find_usable_invitation

    accept_invitation(invitation=find_usable_invitation(link))
    assert User.objects.count() == users_before
    assert set(Membership.objects.filter(user=other_structure).values_list("organisation__name", flat=True)) == {
        "Département du Nord",
        "France Travail Lille",
    }


def test_active_member_is_unchanged_or_has_their_role_changed(nord, ft_lille, conseiller, gestionnaire):
    content = csv(
        f"{conseiller.email};X;Y;{ft_lille.siret};Conseiller·ère;",
        f"{conseiller.email};X;Y;{ft_lille.siret};Gestionnaire;",
    )
    report = plan_professionals(content, territory=nord)
    assert report.results[1].errors == [
        "colonne « email » : doublon de la ligne 2 (même professionnel, même structure)"
    ]
    report = plan_professionals(csv(f"{conseiller.email};X;Y;{ft_lille.siret};Conseiller·ère;"), territory=nord)
    assert report.results[0].action == "unchanged"
    report = plan_professionals(csv(f"{conseiller.email};X;Y;{ft_lille.siret};gestionnaire;"), territory=nord)
    assert report.results[0].action == "update"
    assert report.results[0].messages == ["rôle changé : Conseiller·ère → Gestionnaire de structure"]
    counts = apply_professionals(report, territory=nord, by=None)
    assert counts["roles"] == 1
    assert Membership.objects.get(user=conseiller).role == Role.GESTIONNAIRE
    assert AuditEvent.objects.filter(action="accounts.membership.role_changed").count() == 1
    assert not Invitation.objects.exists()


def test_the_last_manager_keeps_their_role(nord, ft_lille, gestionnaire):
    report = plan_professionals(csv(f"{gestionnaire.email};X;Y;{ft_lille.siret};conseiller;"), territory=nord)
    assert report.results[0].errors == [
        "colonne « role » : c'est le seul gestionnaire actif de la structure : son rôle ne peut pas changer"
    ]


def test_pending_invitation_is_unchanged_and_a_new_role_replaces_it(nord, ft_lille):
    apply_professionals(
        plan_professionals(csv(f"ines@ft-lille.fr;Moreau;Inès;{ft_lille.siret};;"), territory=nord),
        territory=nord,
        by=None,
    )
    report = plan_professionals(csv(f"ines@ft-lille.fr;Moreau;Inès;{ft_lille.siret};;"), territory=nord)
    assert report.results[0].action == "unchanged"
    report = plan_professionals(csv(f"ines@ft-lille.fr;Moreau;Inès;{ft_lille.siret};gestionnaire;"), territory=nord)
    assert report.results[0].action == "create"
    apply_professionals(report, territory=nord, by=None)
    assert list(Invitation.objects.pending().values_list("role", flat=True)) == [Role.GESTIONNAIRE]


def test_structure_must_exist_in_the_territory(nord, ml_ardennes, ministere):
    content = csv(
        "a@x.fr;A;B;12345678901234;;",
        f"b@x.fr;A;B;{ml_ardennes.siret};;",
        f"c@x.fr;A;B;{ministere.siret};;",
        "pas-un-email;;;;administrateur national;abc",
    )
    results = plan_professionals(content, territory=nord).results
    assert results[0].errors == [
        "colonne « siret_structure » : aucune structure de SIRET « 12345678901234 » : "
        "importez d'abord le fichier des structures"
    ]
    assert results[1].errors == [
        "colonne « siret_structure » : la structure « Mission locale de Charleville » appartient au territoire Ardennes"
    ]
    assert results[2].errors == ["colonne « siret_structure » : la structure « DGEFP » appartient au niveau national"]
    assert results[3].errors == [
        "colonne « email » : « pas-un-email » n'est pas une adresse e-mail valide",
        "colonne « nom » : obligatoire",
        "colonne « prenom » : obligatoire",
        "colonne « role » : le rôle d'administrateur national ne se donne pas par import",
        "colonne « telephone » : « abc » n'est pas un numéro de téléphone",
        "colonne « siret_structure » : obligatoire",
    ]


def test_former_member_is_invited_again(nord, ft_lille):
    former = MembershipFactory(user=UserFactory(email="ancien@ft-lille.fr"), organisation=ft_lille, is_active=False)
    report = plan_professionals(csv(f"{former.user.email};A;B;{ft_lille.siret};;"), territory=nord)
    assert report.results[0].action == "create"
    assert report.results[0].messages == ["ancien membre de la structure : invité à nouveau"]


@pytest.mark.parametrize("wet", [False, True])
def test_command(nord, ft_lille, tmp_path, capsys, wet):
    path = tmp_path / "pros.csv"
    path.write_bytes(csv(f"a@ft-lille.fr;A;B;{ft_lille.siret};;", f"b@ft-lille.fr;C;D;{ft_lille.siret};;"))
    args = [str(path), "--territory", "59"] + (["--wet-run"] if wet else [])
    call_command("import_professionals", *args)
    out = capsys.readouterr().out
    if wet:
        assert "2 invitation(s) en file d'envoi" in out
        assert Invitation.objects.filter(email_status=EmailStatus.QUEUED).count() == 2
        assert mail.outbox == []
        call_command("send_queued_invitations")
        assert "Invitations : 2 envoyée(s)" in capsys.readouterr().out
        assert len(mail.outbox) == 2
    else:
        assert "Simulation : 2 à créer" in out
        assert not Invitation.objects.exists()
