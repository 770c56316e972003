from django.urls import reverse

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.models import AuditEvent


def test_manager_changes_a_members_role(client_as, gestionnaire, conseiller):
    membership = Membership.objects.get(user=conseiller)
    response = client_as(gestionnaire).post(
        reverse("accounts:member_role", args=[membership.public_id]), {"role": Role.GESTIONNAIRE}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.GESTIONNAIRE
    event = AuditEvent.objects.get(action="accounts.membership.role_changed")
    assert event.actor == gestionnaire
    assert event.data == {"from": "conseiller", "to": "gestionnaire"}
    assert event.target_id == membership.public_id


def test_manager_cannot_make_a_member_orientation_officer(client_as, gestionnaire, conseiller):
    membership = Membership.objects.get(user=conseiller)
    response = client_as(gestionnaire).post(
        reverse("accounts:member_role", args=[membership.public_id]),
        {"role": Role.CHARGE_ORIENTATION, "reason": "Renfort"},
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == Role.CONSEILLER
    assert not AuditEvent.objects.filter(action="accounts.membership.role_changed").exists()


def test_the_last_manager_cannot_step_down(client_as, gestionnaire):
    membership = Membership.objects.get(user=gestionnaire)
    response = client_as(gestionnaire).post(
        reverse("accounts:member_role", args=[membership.public_id]), {"role": Role.CONSEILLER}
    )
    assert response.status_code == 200
    assert "au moins un gestionnaire actif" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.GESTIONNAIRE


def test_deactivated_member_keeps_history_and_loses_access(client_as, gestionnaire, conseiller, client):
    membership = Membership.objects.get(user=conseiller)
    client_as(gestionnaire).post(reverse("accounts:member_deactivate", args=[membership.public_id]))
    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.deactivated_at is not None
    assert AuditEvent.objects.filter(action="accounts.membership.deactivated").exists()
    page = client_as(gestionnaire).get(
        reverse("accounts:organisation_detail", args=[membership.organisation.public_id])
    )
    assert "Désactivé le" in page.content.decode()
    client.logout()
    home = client_as(conseiller).get(reverse("accounts:home")).content.decode()
    assert "Aucun rattachement actif" in home


def test_structure_page_lists_members_and_exports_them(client_as, gestionnaire, conseiller, ft_lille):
    client = client_as(gestionnaire)
    page = client.get(reverse("accounts:organisation_detail", args=[ft_lille.public_id])).content.decode()
    assert conseiller.email in page
    assert ft_lille.siret in page
    export = client.get(reverse("accounts:organisation_members_csv", args=[ft_lille.public_id]))
    content = b"".join(export.streaming_content).decode()
    assert content.startswith("\ufeffNom;Prénom;E-mail;Rôle;Actif")
    assert conseiller.email in content


def test_profile_is_edited_and_audited(client_as, conseiller):
    client = client_as(conseiller)
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Léa", "last_name": "Durand", "phone": "0612345678"}
    )
    assert response.status_code == 302
    conseiller.refresh_from_db()
    assert conseiller.get_full_name() == "Léa Durand"
    assert AuditEvent.objects.get(action="accounts.user.updated").data == {
        "fields": ["first_name", "last_name", "phone"]
    }


def test_profile_requires_names(client_as, conseiller):
    response = client_as(conseiller).post(reverse("accounts:profile"), {"first_name": "", "last_name": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
