import json

from django.urls import reverse

from tests.diagnostics.helpers import validated


def test_the_persons_export_contains_their_diagnostics_in_words(client_as, camille, conseiller, pathway_referential):
    validated(camille, conseiller, situations={"logement.s02": ("fort", "Chez sa sœur"), "sante.s01": ("moyen", "")})
    data = json.loads(client_as(conseiller).get(reverse("people:export_json", args=[camille.public_id])).content)
    [diagnostic] = data["diagnostics"]
    assert diagnostic["statut"] == "Validé"
    assert "Hébergé chez un tiers : Frein fort (Chez sa sœur)" in diagnostic["situations"]
    assert "Santé" in diagnostic["situations"]  # the person's own export hides nothing
