import pytest
from django.urls import reverse

from spie.diagnostics.models import Diagnostic
from spie.diagnostics.sensitive import MASKED

from .helpers import COMPLETE, draft, validated

pytestmark = pytest.mark.usefixtures("pathway_referential")


def test_start_then_fill_a_section_without_javascript(client_as, camille, conseiller, rome_jobs):
    client = client_as(conseiller)
    response = client.post(reverse("diagnostics:start", args=[camille.public_id]), {"speciality": "social"})
    diagnostic = Diagnostic.objects.get(person=camille)
    assert response.url == reverse("diagnostics:edit", args=[diagnostic.public_id, "professionnel"])
    page = client.get(response.url).content.decode()
    assert "Enregistrer le brouillon" in page and "Niveau de formation" in page
    response = client.post(
        reverse("diagnostics:edit", args=[diagnostic.public_id, "projet"]),
        {
            "target_job_1": "Secrétaire — M1607",
            "target_job_2": "K1302",
            "mobility_radius_km": "30",
            "readiness": "pret",
            "contract_types": ["cdi", "cdd"],
            "suivant": "",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("diagnostics:edit", args=[diagnostic.public_id, "social"])
    diagnostic.refresh_from_db()
    assert diagnostic.target_rome_codes == ["M1607", "K1302"]
    assert diagnostic.mobility_radius_km == 30 and diagnostic.contract_types == ["cdi", "cdd"]


def test_errors_name_the_field(client_as, camille, conseiller):
    diagnostic = draft(camille, conseiller)
    response = client_as(conseiller).post(
        reverse("diagnostics:edit", args=[diagnostic.public_id, "projet"]),
        {"mobility_radius_km": "-5", "target_job_1": "Astronaute"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le rayon de mobilité ne peut pas être négatif." in page
    assert "Métier ROME introuvable" in page


def test_htmx_autosave_answers_a_status_fragment(client_as, camille, conseiller):
    diagnostic = draft(camille, conseiller)
    url = reverse("diagnostics:edit", args=[diagnostic.public_id, "professionnel"])
    response = client_as(conseiller).post(
        url, {"work_situation": "recherche", "training_level": "NV4"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Brouillon enregistré à" in response.content.decode()
    diagnostic.refresh_from_db()
    assert diagnostic.training_level == "NV4"
    response = client_as(conseiller).post(url, {"last_job_ended_on": "2999-01-01"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Date de fin du dernier emploi : La date de fin du dernier emploi ne peut pas être dans le futur." in (
        response.content.decode()
    )


def test_social_section_saves_levels_and_comments(client_as, camille, conseiller):
    diagnostic = draft(camille, conseiller)
    url = reverse("diagnostics:edit", args=[diagnostic.public_id, "social"])
    client = client_as(conseiller)
    assert "Contraintes familiales" in client.get(url).content.decode()
    client.post(url, {"niveau__logement__s02": "fort", "commentaire__logement__s02": "Chez un ami"})
    assert list(diagnostic.situations.values_list("situation_code", "level", "comment")) == [
        ("logement.s02", "fort", "Chez un ami")
    ]
    response = client.post(url, {"commentaire__mobilite__s03": "Pas de bus"})
    assert "choisissez un niveau pour garder ce commentaire" in response.content.decode()


def test_validation_page_then_frozen(client_as, camille, conseiller):
    diagnostic = draft(camille, conseiller, **COMPLETE)
    client = client_as(conseiller)
    url = reverse("diagnostics:validate", args=[diagnostic.public_id])
    assert "Orientation qui sera proposée : parcours socio-professionnel" in client.get(url).content.decode()
    response = client.post(url, {})
    assert "Cochez la case pour confirmer" in response.content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.is_validated
    # Edits are refused in the views too.
    edit = reverse("diagnostics:edit", args=[diagnostic.public_id, "professionnel"])
    response = client.post(edit, {"skills": "Cuisine"})
    assert response.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.skills == ""
    assert client.post(edit, {"skills": "x"}, headers={"HX-Request": "true"}).status_code == 409
    follow = client.get(edit, follow=True).content.decode()
    assert "il ne peut plus être modifié" in follow


def test_sensitive_theme_masked_for_a_member_without_the_flag(client_as, camille, conseiller, other_structure):
    diagnostic = validated(
        camille,
        conseiller,
        situations={
            "sante.s02": ("fort", "Lombalgie"),
            "contraintes_familiales.s06": ("moyen", ""),
            "logement.s02": ("fort", ""),
        },
        priority_theme_codes=["sante", "logement"],
    )
    for user, visible in ((conseiller, True), (other_structure, False)):
        client = client_as(user)
        for url in (
            reverse("diagnostics:detail", args=[diagnostic.public_id]),
            reverse("diagnostics:person", args=[camille.public_id]),
        ):
            page = client.get(url).content.decode()
            assert ("Lombalgie" in page) is visible
            assert ("Enfant(s) en situation de handicap" in page) is visible
            assert (MASKED in page) is not visible
            assert "Hébergé chez un tiers" in page


def test_sensitive_needs_consent_too(client_as, camille, conseiller):
    diagnostic = validated(camille, conseiller, situations={"sante.s02": ("fort", "Lombalgie")})
    camille.consent_given = False
    camille.save()
    page = client_as(conseiller).get(reverse("diagnostics:detail", args=[diagnostic.public_id])).content.decode()
    assert "Lombalgie" not in page and MASKED in page


def test_compare_two_versions(client_as, camille, conseiller, other_structure):
    first = validated(
        camille, conseiller, skills="Caisse", situations={"logement.s02": ("fort", ""), "sante.s02": ("fort", "")}
    )
    second = draft(camille, conseiller)
    from spie.diagnostics import services

    from .helpers import actor

    services.update_diagnostic(
        diagnostic=second, changes={"skills": "Caisse, inventaire", "readiness": "pret"}, by=actor(conseiller)
    )
    services.update_situations(
        diagnostic=second,
        answers={"logement.s02": ("moyen", "Relogée"), "mobilite.s03": ("fort", "")},
        by=actor(conseiller),
        include_sensitive=True,
    )
    url = reverse("diagnostics:compare", args=[camille.public_id])
    params = {"de": str(first.public_id), "a": str(second.public_id)}
    page = client_as(conseiller).get(url, params).content.decode()
    assert "Caisse, inventaire" in page
    assert "Frein fort" in page and "Frein moyen (Relogée)" in page
    assert "Aucun moyen de transport à disposition" in page
    assert "Difficulté déclarée entravant" in page  # sante.s02 removed, visible to the referent
    other = client_as(other_structure).get(url, params).content.decode()
    assert "Difficulté déclarée entravant" not in other
    assert "Changement sur un thème sensible — contenu réservé" in other
    same = client_as(conseiller).get(url, {"de": str(first.public_id), "a": str(first.public_id)}).content.decode()
    assert "Choisissez deux versions différentes" in same


def test_a_team_member_joins_as_coauthor(client_as, camille, conseiller, other_structure):
    diagnostic = draft(camille, conseiller)
    client = client_as(other_structure)
    detail = client.get(reverse("diagnostics:detail", args=[diagnostic.public_id])).content.decode()
    assert "Devenir co-auteur" in detail
    client.post(reverse("diagnostics:join", args=[diagnostic.public_id]), {"speciality": "professionnel"})
    assert diagnostic.authors.count() == 2


def test_add_a_coauthor_by_email(client_as, camille, conseiller, colleague):
    diagnostic = draft(camille, conseiller)
    url = reverse("diagnostics:coauthor", args=[diagnostic.public_id])
    client = client_as(conseiller)
    response = client.post(url, {"email": "inconnu@exemple.fr", "speciality": "social"})
    assert "Aucun professionnel actif du territoire" in response.content.decode()
    response = client.post(url, {"speciality": "social"})
    assert "Choisissez un membre de" in response.content.decode()
    response = client.post(url, {"email": colleague.email, "speciality": "professionnel"})
    assert response.status_code == 302
    assert diagnostic.authors.filter(membership__user=colleague).exists()


def test_pages_run_a_bounded_number_of_queries(client_as, camille, conseiller, django_assert_max_num_queries):
    diagnostic = validated(
        camille, conseiller, situations={"logement.s02": ("fort", ""), "mobilite.s03": ("moyen", "")}
    )
    client = client_as(conseiller)
    with django_assert_max_num_queries(40):
        client.get(reverse("diagnostics:person", args=[camille.public_id]))
    with django_assert_max_num_queries(40):
        client.get(reverse("diagnostics:detail", args=[diagnostic.public_id]))


def test_the_coauthor_signs_from_the_diagnostic_page(client_as, camille, conseiller, other_structure):
    from spie.diagnostics import services

    from .helpers import COMPLETE, actor

    diagnostic = draft(camille, conseiller, **COMPLETE)
    services.add_coauthor(
        diagnostic=diagnostic,
        membership=other_structure.memberships.get(),
        speciality="professionnel",
        by=actor(conseiller),
    )
    validate_url = reverse("diagnostics:validate", args=[diagnostic.public_id])
    assert client_as(conseiller).post(validate_url, {"confirm": "on"}).status_code == 302
    detail_url = reverse("diagnostics:detail", args=[diagnostic.public_id])
    cosign_url = reverse("diagnostics:cosign", args=[diagnostic.public_id])
    page = client_as(conseiller).get(detail_url).content.decode()
    assert "n'a pas signé" in page and cosign_url not in page  # the author sees who has not signed
    assert client_as(conseiller).post(cosign_url).status_code == 403  # nobody signs for the co-author
    client = client_as(other_structure)
    page = client.get(detail_url).content.decode()
    assert cosign_url in page and "Signer ce diagnostic" in page
    response = client.post(cosign_url)
    assert response.status_code == 302 and response.url == detail_url
    page = client.get(detail_url).content.decode()
    assert "n'a pas signé" not in page and cosign_url not in page
    assert diagnostic.authors.filter(signed_at__isnull=True).count() == 0
