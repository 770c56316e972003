"""Resolving the commune a user typed in an imported file."""

from collections import defaultdict

from spie.core.text import normalize_for_search

from .models import Commune


class CommuneLookup:
    """Communes by INSEE code or by name (made unambiguous by the postal code), loaded once per import."""

    def __init__(self):
        self.by_code, self.by_name = {}, defaultdict(list)
        fields = ("pk", "insee_code", "search_name", "postal_codes", "name", "departement_id")
        for commune in Commune.objects.only(*fields):
            self.by_code[commune.insee_code] = commune
            self.by_name[commune.search_name].append(commune)

    def resolve(self, value, postal_code=""):
        """The commune, or ValueError with a French reason naming what was typed."""
        if value.upper() in self.by_code:
            return self.by_code[value.upper()]
        candidates = self.by_name.get(normalize_for_search(value), [])
        if postal_code and len(candidates) > 1:
            candidates = [c for c in candidates if postal_code in c.postal_code_list]
        if len(candidates) == 1:
            return candidates[0]
        raise ValueError(
            f"« {value} » introuvable (nom ou code INSEE)"
            if not candidates
            else f"« {value} » ambiguë : indiquez le code postal"
        )
