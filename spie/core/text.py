import re
import unicodedata


def normalize_for_search(value: str) -> str:
    """Lower case, without accents, hyphens and apostrophes as spaces: 'Saint-Étienne' -> 'saint etienne'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    stripped = re.sub(r"[-'’_/.,()]", " ", stripped)
    return re.sub(r"\s+", " ", stripped).strip()
