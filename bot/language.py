"""The language of a patient message (lingua-language-detector; see data/languages.yml).

Chosen over langid after `python -m bot compare-language-detectors` on the project's own short
messages (tests/bot/language_samples.yml): lingua is more accurate on texts of a few words, knows
Somali, and runs beside Rasa's pins. Dutch is the default: a short or uncertain text is Dutch.
"""
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, List

from bot import paths, yamldata

DUTCH = "nl"
UNKNOWN = "und"  # a language the detector does not know
_SAMPLE = 1000  # characters looked at: enough for the language, bounded for a 64 KB body
_WORD = re.compile(r"\w+")
_lock = threading.Lock()


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, or "und"

    @property
    def supported(self) -> bool:
        """Has its own escalation and safety texts (data/texts/<code>.yml)."""
        return self.code in supported()

    @property
    def is_dutch(self) -> bool:
        return self.code == DUTCH


def settings() -> Dict[str, Any]:
    return yamldata.load(paths.DATA / "languages.yml")


@lru_cache(maxsize=1)
def supported() -> List[str]:
    return sorted(p.stem for p in (paths.DATA / "texts").glob("*.yml"))


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language as LinguaLanguage, LanguageDetectorBuilder

    codes = settings()["detect"]
    return LanguageDetectorBuilder.from_languages(
        *[LinguaLanguage.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]).build()


@lru_cache(maxsize=1)
def _common() -> Dict[str, frozenset]:
    import unicodedata as ud

    def plain(word: str) -> str:
        return "".join(c for c in ud.normalize("NFKD", word) if not ud.combining(c))

    return {code: frozenset(plain(w) for w in words) for code, words in settings().get("common_words", {}).items()}


def warm_up() -> None:
    """Load the language models (about a second) before the first patient waits for them."""
    detect("ik heb een vraag over mijn behandeling")


def _script(text: str) -> str:
    """The main script of the letters: latin, arabic, or other."""
    counts: Dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            script = "latin" if name.startswith("LATIN") else "arabic" if name.startswith("ARABIC") else "other"
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else "latin"


def detect(text: str) -> Language:
    sample = (text or "")[:_SAMPLE]
    config = settings()
    script = _script(sample)
    words = [w.lower().replace("'", "") for w in re.findall(r"[\w']+", sample)]
    if script == "latin" and len(words) < config["min_words"]:
        return Language(DUTCH)
    with _lock:  # lingua's detector is not documented as thread-safe; a call takes well under a millisecond
        values = _detector().compute_language_confidence_values(sample)
    ranked = [(v.language.iso_code_639_1.name.lower(), v.value) for v in values]
    if not ranked or ranked[0][1] <= 0:
        return Language(DUTCH if script == "latin" else UNKNOWN)
    best, confidence = ranked[0]
    if best == DUTCH:
        return Language(DUTCH)
    if script == "latin" and confidence < config["min_confidence"]:
        # A few words: the very common words of Dutch or English settle it, when the detector
        # has that language near the top.
        top = {code for code, _ in ranked[:3]}
        share = {code: sum(w in common for w in words) / len(words) for code, common in _common().items()}
        for code, other in ((DUTCH, "en"), ("en", DUTCH)):
            if share.get(code, 0) >= config["common_share"] and share.get(code, 0) > share.get(other, 0) and (code == DUTCH or code in top):
                return Language(code)
    dutch = next((value for code, value in ranked if code == DUTCH), 0.0)
    sure = confidence >= config["min_confidence"] or (confidence >= 0.2 and confidence - dutch >= config["min_margin"])
    if sure or script != "latin":
        return Language(best)
    return Language(DUTCH)

