from django.urls import reverse

from spie.accounts.enums import Role
from spie.accounts.models import Membership


def test_switching_changes_the_structure_shown_in_the_header(client_as, conseiller, departement_nord):
    Membership.objects.create(user=conseiller, organisation=departement_nord, role=Role.COORDINATEUR)
    client = client_as(conseiller)
    ft_membership = Membership.objects.get(user=conseiller, role=Role.CONSEILLER)

    response = client.post(reverse("accounts:switch_membership"), {"membership": ft_membership.public_id})

    assert response.status_code == 302
    home = client.get(reverse("accounts:home")).content.decode()
    assert "Vous travaillez pour <strong>France Travail Lille</strong>" in home
    assert "Conseiller·ère" in home


def test_switch_by_htmx_answers_a_redirect_header(client_as, conseiller, departement_nord):
    membership = Membership.objects.create(user=conseiller, organisation=departement_nord)
    response = client_as(conseiller).post(
        reverse("accounts:switch_membership"), {"membership": membership.public_id}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:home")


def test_cannot_switch_to_someone_elses_membership(client_as, conseiller, gestionnaire):
    client = client_as(conseiller)
    other = Membership.objects.get(user=gestionnaire)
    client.post(reverse("accounts:switch_membership"), {"membership": other.public_id})
    home = client.get(reverse("accounts:home")).content.decode()
    assert "Gestionnaire de structure" not in home.split("Vous travaillez pour")[1][:200]


def test_an_inactive_membership_is_not_offered(client_as, conseiller, departement_nord):
    Membership.objects.create(user=conseiller, organisation=departement_nord, is_active=False)
    page = client_as(conseiller).get(reverse("accounts:home")).content.decode()
    assert "Département du Nord" not in page


def test_user_without_active_membership_is_told_what_to_do(client_as, conseiller):
    Membership.objects.filter(user=conseiller).update(is_active=False)
    page = client_as(conseiller).get(reverse("accounts:home")).content.decode()
    assert "Aucun rattachement actif" in page
