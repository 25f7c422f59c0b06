"""Dutch leaflet words for an English question (data/glossary/en.yml), so that the topic scorer,
the paragraph search and the activity check can read it. Rasa's classifier still gets the English
text; the answer stays the leaflet's Dutch text (the reply says so first)."""
import re
from functools import lru_cache
from typing import Dict

from bot import paths, yamldata
from bot.normalize import fold


@lru_cache(maxsize=1)
def _english() -> Dict[str, str]:
    return {fold(k): str(v) for k, v in (yamldata.load(paths.DATA / "glossary" / "en.yml")["words"] or {}).items()}


def with_dutch(text: str, language: str) -> str:
    """The text, followed by the Dutch words of its English words (an English message only)."""
    if language != "en":
        return text
    words = _english()
    dutch = [words[w] for w in re.findall(r"[a-z][a-z'-]*", fold(text)) if w in words]
    return f"{text} {' '.join(dutch)}" if dutch else text
