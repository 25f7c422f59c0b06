"""Dutch leaflet words for a question in another language (data/glossary/<code>.yml).

English: the Dutch words of its English words are added (``with_dutch``), so that the topic scorer,
the paragraph search and the activity check can read it; Rasa's classifier gets the English text,
on which it was trained too. German, Polish and Turkish: the message is put word by word into rough
Dutch (``to_dutch``: phrases first, then words, then word starts for inflected forms; a word the
glossary lacks, such as a medicine's name or a number, stays as it is), and that gloss is what Rasa
reads. Either way the answer stays the leaflet's Dutch text, and the reply says so first.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Tuple

from bot import paths, yamldata
from bot.normalize import fold

# Letters that NFKD folding keeps but that patients often type without ("agri" for "ağrı" folds to "agrı").
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "ß": "ss", "ø": "o", "đ": "d"})
_TOKEN = re.compile(r"\w+(?:'\w+)?|[^\w\s]", re.UNICODE)
MIN_STEM = 4  # a word start shorter than this would catch unrelated words


def _plain(text: str) -> str:
    return fold(text).translate(_PLAIN)


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


@dataclass(frozen=True)
class _Glossary:
    phrases: Dict[str, Tuple[Tuple[Tuple[str, ...], str], ...]]  # by their first word, longest first
    words: Dict[str, str]
    stems: Dict[str, Tuple[Tuple[str, str], ...]]  # by their first MIN_STEM letters, longest first


@lru_cache(maxsize=1)
def translated() -> FrozenSet[str]:
    """The languages whose messages are put into Dutch for Rasa (a glossary beside English's)."""
    return frozenset(p.stem for p in (paths.DATA / "glossary").glob("*.yml") if p.stem not in ("en", "nl"))


@lru_cache(maxsize=8)
def _glossary(code: str) -> _Glossary:
    raw = yamldata.load(paths.DATA / "glossary" / f"{code}.yml")
    phrases: Dict[str, List[Tuple[Tuple[str, ...], str]]] = {}
    for key, dutch in (raw.get("phrases") or {}).items():
        words = tuple(_TOKEN.findall(_plain(key)))
        if words:
            phrases.setdefault(words[0], []).append((words, str(dutch)))
    stems: Dict[str, List[Tuple[str, str]]] = {}
    for key, dutch in (raw.get("stems") or {}).items():
        stem = _plain(key)
        if len(stem) >= MIN_STEM:
            stems.setdefault(stem[:MIN_STEM], []).append((stem, str(dutch)))
    return _Glossary({k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()},
                     {_plain(k): str(v) for k, v in (raw.get("words") or {}).items()},
                     {k: tuple(sorted(v, key=lambda s: -len(s[0]))) for k, v in stems.items()})


def to_dutch(text: str, language: str) -> Optional[str]:
    """A word-by-word Dutch gloss of a message in a language with a glossary (else None): linear in its length."""
    if language not in translated():
        return None
    glossary = _glossary(language)
    tokens = _TOKEN.findall(_plain(text))
    out: List[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        phrase = next(((words, dutch) for words, dutch in glossary.phrases.get(token, ()) if tuple(tokens[i:i + len(words)]) == words), None)
        if phrase:
            out.append(phrase[1])
            i += len(phrase[0])
            continue
        stem = next((dutch for start, dutch in glossary.stems.get(token[:MIN_STEM], ()) if token.startswith(start)), None)
        out.append(glossary.words.get(token) or stem or token)
        i += 1
    return re.sub(r"\s+([?.!,;:])", r"\1", " ".join(out))
