import re
import unicodedata
import uuid


def normalize_for_search(value: str) -> str:
    """Lower case, without accents, hyphens and apostrophes as spaces: 'Saint-Étienne' -> 'saint etienne'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    stripped = re.sub(r"[-'’_/.,()]", " ", stripped)
    return re.sub(r"\s+", " ", stripped).strip()


def as_uuid(value):
    """The UUID a request parameter holds, or None when it holds none (missing or malformed)."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
