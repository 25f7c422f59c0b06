"""Text normalisation shared by triage and procedure detection: patients skip diacritics."""
import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # one message is folded by several steps (treatment, triage, answers)
def fold(text: str) -> str:
    """Lower case, no diacritics ("geïrriteerd" -> "geirriteerd"), single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
