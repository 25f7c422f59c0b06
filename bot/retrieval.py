"""Paragraph retrieval over the leaflets' own text: the last step before "that is not in the leaflet".

Passages (bot/leaflets.py) are ranked with BM25 (rank-bm25). Words are folded, lemmatised
(simplemma's Dutch lemmas, then the topic matcher's light stemmer so that both sides agree),
Dutch compounds are split into parts the leaflets use ("wondcontrole" -> "wond" + "controle"), and
a word the leaflets do not have is read as the nearest one they do ("bloedverdunnres"), with
rapidfuzz. A passage answers only when it clearly matches: enough of the question's words, and
clearly better than the next passage from another section.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from bot import leaflets as leaflet_texts
from bot import paths, yamldata
from bot.normalize import fold

_WORD = re.compile(r"[a-z0-9]+")
# A web address says nothing a patient asks about, and its parts ("ruggenprik-lumbaalpunctie") would match.
_URL = re.compile(r"\(?https?://\S+|\bwww\.\S+")
MIN_PASSAGE_WORDS = 3  # fewer words beside its links: a list of links or a stray heading, never an answer

# When a passage "clearly matches" (chosen on the project's own question set and the first blind
# question batch, tests/bot/question_batch_1.yml; checked on the second).
MIN_MATCHED_TERMS = 2  # distinct question words found in the passage
MIN_COVERAGE = 0.34  # share of the question's (known) words found in the passage
MIN_SCORE = 3.0  # BM25 score of the best passage
MIN_MARGIN = 1.15  # best score over the best passage of another section
RARE_IN_PASSAGES = 2
TERM_PASSAGES = 8  # a word asked about ("wat betekent ...") that at most this many passages use; more: a topic
MAX_WORD = 40  # longer "words" (a pasted string without spaces) say nothing and would cost quadratic time  # a word in at most this many passages is specific to what is asked


@dataclass(frozen=True)
class Hit:
    passage: leaflet_texts.Passage
    score: float
    matched: Tuple[str, ...]
    coverage: float


@lru_cache(maxsize=1)
def _settings() -> Dict[str, object]:
    return yamldata.load(paths.DATA / "retrieval.yml")


@lru_cache(maxsize=1)
def _stop_words() -> FrozenSet[str]:
    from bot.topic_match import _STOP

    words = frozenset(_STOP) | frozenset(fold(w) for w in _settings()["stop_words"])  # type: ignore[union-attr]
    return words | frozenset(_normal(w) for w in words)  # and their lemmas ("krijg", "krijgt")


@lru_cache(maxsize=8192)
def _normal(word: str) -> str:
    import simplemma

    from bot.topic_match import stem

    word = stem(fold(simplemma.lemmatize(word, lang="nl")))
    # One family for the agent noun and the participle: "bloedverdunner", "bloedverdunnende".
    for suffix in ("ende", "end", "ers", "er"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def _framing() -> "re.Pattern[str]":
    phrases = [re.escape(fold(p)) for p in _settings().get("framing") or []]  # type: ignore[union-attr]
    return re.compile(r"\b(" + "|".join(phrases) + r")\b") if phrases else re.compile(r"(?!x)x")


def _words(text: str) -> List[str]:
    stop = _stop_words()
    folded = _framing().sub(" ", fold(text))
    normal = [(_normal(w), w) for w in _WORD.findall(folded) if w not in stop and 1 < len(w) <= MAX_WORD]
    return [n for n, _ in normal if n not in stop]


@lru_cache(maxsize=1)
def _lay_words() -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    raw = _settings().get("lay_words") or {}  # type: ignore[union-attr]
    return tuple((fold(k), tuple(_words(str(v)))) for k, v in raw.items())


def question_words(text: str) -> List[str]:
    """A question's words, with the leaflets' words for the patients' own (data/retrieval.yml `lay_words`)."""
    folded = f" {' '.join(_WORD.findall(fold(text)))} "
    extra = [w for lay, words in _lay_words() if f" {lay} " in folded for w in words]
    return _words(text) + extra


@lru_cache(maxsize=1)
def _vocabulary() -> FrozenSet[str]:
    from bot import procedures

    return frozenset(w for proc in procedures.all_procedures().values() for leaflet in proc.leaflets
                     for p in leaflet_texts.passages(leaflet) for w in _words(f"{p.section} {_without_links(p.text)}"))


def _split(word: str, vocabulary: FrozenSet[str]) -> List[str]:
    """A compound's two parts when both are leaflet words (a linking "s" or "e" may sit between)."""
    if len(word) < 7:
        return []
    for at in range(len(word) - 3, 2, -1):  # the longest first part first
        left, right = word[:at], word[at:]
        for part in (right, right[1:] if right[:1] in ("s", "e") else None):
            if part and len(part) >= 3 and left in vocabulary and _normal(part) in vocabulary:
                return [left, _normal(part)]
    return []


def _expand(words: Sequence[str], vocabulary: FrozenSet[str], typos: bool) -> List[str]:
    from rapidfuzz import fuzz, process

    out: List[str] = []
    for word in words:
        if word in vocabulary:
            out.append(word)
            out.extend(_split(word, vocabulary))
            continue
        parts = _split(word, vocabulary)
        if parts:
            out.extend(parts)
        elif typos and len(word) >= 5:
            near = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=84)
            if near:
                out.append(near[0])
            elif _sound(word) in _by_sound(vocabulary):  # spelt as it sounds: "narkose"
                out.append(_by_sound(vocabulary)[_sound(word)])
    return out


# Spelling by sound (low literacy, dictation): letters that sound alike in Dutch get one spelling.
_SOUNDS = ((re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"c(?!h)"), "k"), (re.compile(r"ph"), "f"), (re.compile(r"th"), "t"),
           (re.compile(r"ks"), "x"), (re.compile(r"ei"), "ij"), (re.compile(r"y"), "ij"), (re.compile(r"au"), "ou"),
           (re.compile(r"(?<=[aeiou])dt\b|d\b"), "t"), (re.compile(r"(.)\1"), r"\1"))


def _sound(word: str) -> str:
    for pattern, replacement in _SOUNDS:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=4)
def _by_sound(vocabulary: FrozenSet[str]) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for word in sorted(vocabulary, key=lambda w: (len(w), w)):  # a shorter word first when two sound alike
        found.setdefault(_sound(word), word)
    return found


def _without_links(text: str) -> str:
    return _URL.sub(" ", text)


@lru_cache(maxsize=16)
def _index(leaflets: Tuple[str, ...]):
    from rank_bm25 import BM25Okapi

    skip = tuple(fold(s) for s in _settings()["skip_passages_starting_with"])  # type: ignore[union-attr]
    vocabulary = _vocabulary()
    found = [p for leaflet in leaflets for p in leaflet_texts.passages(leaflet)
             if not fold(p.text).startswith(skip) and len(_WORD.findall(fold(_without_links(p.text)))) >= MIN_PASSAGE_WORDS]
    docs = [_expand(_words(f"{p.section} {_without_links(p.text)}"), vocabulary, typos=False) for p in found]
    return found, [frozenset(d) for d in docs], BM25Okapi(docs)


def search(text: str, leaflets: Sequence[str]) -> List[Hit]:
    """Passages of ``leaflets`` by BM25 score for the question, best first (those sharing a word)."""
    passages, doc_sets, bm25 = _index(tuple(leaflets))
    query = list(dict.fromkeys(_expand(question_words(text), _vocabulary(), typos=True)))
    if not query or not passages:
        return []
    scores = bm25.get_scores(query)
    hits = []
    for passage, words, score in zip(passages, doc_sets, scores):
        matched = tuple(w for w in query if w in words)
        if matched:
            hits.append(Hit(passage, float(score), matched, len(matched) / len(query)))
    return sorted(hits, key=lambda h: -h.score)


def words_of(text: str) -> FrozenSet[str]:
    """The words of a text as the index reads them (for comparing a passage with an answer)."""
    return frozenset(_expand(_words(text), _vocabulary(), typos=False))


def rare(word: str, leaflets: Sequence[str]) -> bool:
    """A word that only a few passages of these leaflets hold: it tells what is asked."""
    _, docs, _ = _index(tuple(leaflets))
    return 0 < sum(word in d for d in docs) <= RARE_IN_PASSAGES


def treatments_with_words(text: str) -> List[str]:
    """The treatments whose leaflets hold a word of the question that only they use, and rarely."""
    from bot import procedures

    import simplemma

    # nouns only ("inschrijving", "holding"): verbs ("terugkomen", "optreden") are everyone's words
    nouns = " ".join(w for w in _WORD.findall(fold(text)) if len(w) > 3 and not fold(simplemma.lemmatize(w, lang="nl")).endswith("en"))
    query = set(_expand(_words(nouns), _vocabulary(), typos=False))
    per_treatment = {key: set(w for p in _index(proc.leaflets)[1] for w in p) for key, proc in procedures.all_procedures().items()}
    found = []
    for key, proc in procedures.all_procedures().items():
        others = set().union(*(words for other, words in per_treatment.items() if other != key))
        if any(w in per_treatment[key] and w not in others and rare(w, proc.leaflets) for w in query):
            found.append(key)
    return found


@lru_cache(maxsize=2)
def _cues(name: str) -> "re.Pattern[str]":
    cues = [f"(?:{c})" for c in _settings().get(name) or []]  # type: ignore[union-attr]
    return re.compile("|".join(cues)) if cues else re.compile(r"(?!x)x")


@lru_cache(maxsize=1)
def _term_framing() -> FrozenSet[str]:
    return frozenset(_normal(fold(w)) for w in _settings().get("term_question_words") or [])  # type: ignore[union-attr]


def used_by(word: str, leaflets: Sequence[str]) -> bool:
    return any(word in d for d in _index(tuple(leaflets))[1])


_QUOTED = re.compile(r"['\"‘’“”]([^'\"‘’“”]{3,60})['\"‘’“”]")


def term_passage(text: str, leaflets: Sequence[str]) -> Optional[Hit]:
    """A question about what a word means or how to recognise it ("Wat bedoelt de dokter met ischias?",
    "Hoe merk ik dat ik trombose heb?", "Er staat 'neurologische uitval'. Wat wil dat zeggen?"), about a
    word that only a few passages use: the first of them (a meaning), or the best match (recognising).
    Common words ("hernia", "pijn") leave the question to the topics. The word is looked for in quotes,
    then in the sentence that asks, then, when that sentence points back ("dat", "daaronder"), in the
    whole message."""
    folded = fold(text)
    sentences = re.split(r"(?<=[.!?])\s+", folded)
    meaning = [s for s in sentences if _cues("term_question_cues").search(s)]
    recognise = [s for s in sentences if _cues("recognise_cues").search(s)]
    if not meaning and not recognise:
        return None
    pointers = {fold(w) for w in _settings().get("term_pointers") or []}  # type: ignore[union-attr]
    asking = recognise or meaning
    points_back = any(w in pointers for s in asking for w in _WORD.findall(s))
    passages, docs, _ = _index(tuple(leaflets))
    abbreviations = {_normal(w) for w in re.findall(r"\b[A-Z]{3,}\b", text)}  # "ESES": short words count when capitals
    for place in [" ".join(_QUOTED.findall(text)), " ".join(asking)] + ([folded] if points_back else []):
        words = set(_expand(_words(place), _vocabulary(), typos=True)) - _term_framing()
        counts = {w: sum(w in d for d in docs) for w in words if len(w) >= 4 or w in abbreviations}
        terms = {w for w, n in counts.items() if 0 < n <= TERM_PASSAGES}
        if not terms:
            continue
        hits = [h for h in search(place, leaflets) if terms & set(h.matched)]
        if not hits:
            continue
        if recognise:
            return hits[0]
        term = min(terms, key=lambda w: (counts[w], -len(w), w))  # the most specific word asked about
        # the first passage whose own text (not only its heading) uses the word
        using = [h for h in hits if term in words_of(h.passage.text)] or hits
        return min(using, key=lambda h: (list(leaflets).index(h.passage.leaflet), h.passage.index))
    return None


def term_words(hit: Hit, leaflets: Sequence[str]) -> List[str]:
    """The rare words by which ``term_passage`` chose the hit."""
    _, docs, _ = _index(tuple(leaflets))
    return [w for w in hit.matched if len(w) >= 4 and w not in _term_framing() and 0 < sum(w in d for d in docs) <= TERM_PASSAGES]


def best(text: str, leaflets: Sequence[str]) -> Optional[Hit]:
    """The passage that clearly answers the question, else None."""
    hits = search(text, leaflets)
    if not hits:
        return None
    top = hits[0]
    if len(top.matched) < MIN_MATCHED_TERMS or top.coverage < MIN_COVERAGE or top.score < MIN_SCORE:
        return None
    other = next((h for h in hits[1:] if h.passage.section != top.passage.section), None)
    if other and top.score < MIN_MARGIN * other.score:
        return None
    return top
