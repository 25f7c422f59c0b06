"""A second opinion on which aftercare topic a question asks about, from the leaflets' own words.

Rasa's intent classifier knows the phrasings it was trained on; this scorer knows the vocabulary of
the answers themselves (data/knowledge) and of each topic's keywords (data/topics.yml). The
actions combine both (bot/answering.py: ``choose_topic``), so a question in words the training
data lacks can still find the answer whose leaflet text uses those words.
"""
import math
import re
from collections import Counter
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from bot import knowledge, paths, procedures, yamldata
from bot.normalize import fold

# Function words and chat words that say nothing about the topic.
_STOP = set("""
aan al alle alles als alsjeblieft alstublieft ben bent bij bijvoorbeeld daar dan dat de deze die dit doe doen
dokter door echt een eens en er even ga gaan gaat ge gij goed had heb hebben heeft het hier hoe hun ik in is
ja je jij jullie kan kun kunnen maar me meer men mij mijn moet moeten mag mn na naar nee niet nog nou nu of
ok oke om onder ook op over per s sinds te toch tot u uw van veel voor vraag vragen waar wanneer wat we
weer wel welk welke wie wij wil willen word wordt worden zal ze zeggen zich zij zijn zo zou zoals graag
behandeling ingreep folder eigenlijk precies beetje iets iemand hallo dag dank bedankt
gebruik gebruiken gebruikt
""".split())

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A crude Dutch stem: "tillen", "til", "tilt" -> "til"; "benen" -> "ben"; "wondjes" -> "wond"."""
    for suffix in ("tjes", "jes", "tje", "je", "heden", "heid", "ingen", "ing", "en", "es", "s", "e", "t"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) >= 4 and word[-1] == word[-2]:
        word = word[:-1]
    return word


def terms(text: str) -> List[str]:
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in _STOP and len(w) > 1]


@lru_cache(maxsize=1)
def _index() -> Tuple[Dict[Tuple[str, str], Counter], Dict[str, float], float]:
    """Documents per (topic, procedure): keywords, description and the answer texts."""
    raw = yamldata.load(paths.DATA / "topics.yml")
    keywords = raw.get("keywords") or {}
    docs: Dict[Tuple[str, str], Counter] = {}
    for proc in procedures.all_procedures().values():
        for leaflet in proc.leaflets:
            for topic, item in (knowledge.leaflets()[leaflet].get("answers") or {}).items():
                doc = docs.setdefault((topic, proc.key), Counter())
                doc.update(terms(item["text"]))
                # The topic's own words count more (three times) than words that happen to be in the answer.
                doc.update({t: 3 * n for t, n in Counter(terms(" ".join(keywords.get(topic) or []))).items()})
                doc.update(terms(raw["topics"].get(topic, "")))
    df = Counter(t for doc in docs.values() for t in set(doc))
    idf = {t: math.log(1 + len(docs) / n) for t, n in df.items()}
    avg_len = sum(sum(d.values()) for d in docs.values()) / max(len(docs), 1)
    return docs, idf, avg_len


def _bm25(query: set, doc: Counter) -> float:
    _, idf, avg_len = _index()
    length = sum(doc.values())
    score = 0.0
    for t in query:
        tf = doc.get(t, 0)
        if tf:
            score += idf[t] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg_len))
    return score


def rank(text: str, procedure: Optional[str] = None) -> List[Tuple[str, float]]:
    """Topics by BM25 score for the question, best first; only the treatment's leaflets if known."""
    docs = _index()[0]
    query = set(terms(text))
    proc = procedures.normalize(procedure)
    best: Dict[str, float] = {}
    for (topic, key), doc in docs.items():
        if proc and key != proc:
            continue
        score = _bm25(query, doc)
        if score > best.get(topic, 0.0):
            best[topic] = score
    return sorted(best.items(), key=lambda item: -item[1])


# A treatment is assumed for a question only when its answer's words fit the question clearly
# better than any other treatment's answer (chosen on tests/bot/question_cases.yml: 26 of 27 right).
ASSUME_MIN_SCORE = 2.0
ASSUME_MIN_RATIO = 1.5


def procedure_for_topic(text: str, topic: str, choices) -> Optional[str]:
    """The treatment whose answer on ``topic`` the question's words point to, else None."""
    docs = _index()[0]
    query = set(terms(text))
    scores = sorted(((_bm25(query, docs.get((topic, key), Counter())), key) for key in choices), reverse=True)
    if len(scores) < 2:
        return None
    (best, key), (second, _) = scores[0], scores[1]
    return key if best >= ASSUME_MIN_SCORE and best >= ASSUME_MIN_RATIO * second else None
