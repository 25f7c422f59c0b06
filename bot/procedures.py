"""The four treatments: names, labels, leaflets, and recognising them in a patient's words."""
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from bot import paths, yamldata
from bot.fuzzy import allowed_typos, edit_distance
from bot.normalize import fold

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Procedure:
    key: str
    label: str
    leaflets: Tuple[str, ...]
    names: Tuple[str, ...]
    lay_names: Tuple[str, ...] = ()
    clues: Tuple[Tuple[str, int], ...] = ()  # (word, weight)

    @property
    def aliases(self) -> Tuple[str, ...]:
        return self.names + self.lay_names


@lru_cache(maxsize=1)
def all_procedures() -> Dict[str, Procedure]:
    raw = yamldata.load(paths.DATA / "procedures.yml")["procedures"]
    return {
        key: Procedure(key, item["label"], tuple(item["leaflets"]), tuple(fold(a) for a in item["names"]),
                       tuple(fold(a) for a in item.get("lay_names", ())),
                       tuple((fold(w), int(group.get("weight", 1))) for group in item.get("clues", ()) for w in group["words"]))
        for key, item in raw.items()
    }


def normalize(value: Optional[str]) -> Optional[str]:
    """Map a procedure given by the portal or a slot ("Proefstimulatie") to its key, else None."""
    if not value:
        return None
    folded = fold(value)
    procedures = all_procedures()
    if folded in procedures:
        return folded
    for proc in procedures.values():
        if folded in proc.aliases:
            return proc.key
    return None


_ONE_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def whole_word(name: str) -> "re.Pattern[str]":
    # cached here: re's own cache (512 patterns) is emptied by the lexicons' many patterns, and
    # compiling a treatment's names again for every message cost a 2,000-character message 25 ms
    return re.compile(r"(?<![a-z])" + re.escape(name) + r"(?![a-z])")


def _named(text: str, kind: str) -> List[str]:
    """Treatments whose ``kind`` words ("names" or "lay_names") the message holds, by first mention."""
    folded = fold(text)
    first: Dict[str, int] = {}  # each distinct word and where it first occurs
    for word in re.finditer(r"[a-z]+", folded):
        first.setdefault(word.group(), word.start())
    found: List[Tuple[int, str]] = []
    for proc in all_procedures().values():
        words = getattr(proc, kind)
        # a one-word name is a whole word of the text exactly when it is one of its [a-z]+ tokens
        positions = [first[alias] for alias in words if alias in first]
        positions += [m.start() for alias in words if not _ONE_WORD.fullmatch(alias) for m in whole_word(alias).finditer(folded)]
        # One-word names with a typo: "bloedpacht", "wortelinfitratie", "proefstimulatje".
        typo_aliases = [(alias, allowed_typos(alias)) for alias in words if " " not in alias and len(alias) >= 8]
        for token, at in first.items():
            for alias, limit in typo_aliases:
                if limit and token != alias and abs(len(token) - len(alias)) <= limit and edit_distance(token, alias, limit) <= limit:
                    positions.append(at)
        if positions:
            found.append((min(positions), proc.key))
    return [key for _, key in sorted(found)]


@lru_cache(maxsize=256)
def mentioned(text: str) -> List[str]:
    """Treatments a message names by name or lay name, in order of first mention (cached; callers
    must not change the list)."""
    names = _named(text, "names")
    return names + [key for key in _named(text, "lay_names") if key not in names]


def _clued(text: str) -> Tuple[Optional[str], int]:
    """The one treatment the clue words point to most (weights added), else None; and the weight of
    its strongest clue word."""
    folded = fold(text)
    tokens = set(re.findall(r"[a-z]+", folded))
    scores: Dict[str, int] = {}
    strongest: Dict[str, int] = {}
    for proc in all_procedures().values():
        for word, weight in proc.clues:
            if (word in tokens) if _ONE_WORD.fullmatch(word) else whole_word(word).search(folded):
                scores[proc.key] = scores.get(proc.key, 0) + weight
                strongest[proc.key] = max(strongest.get(proc.key, 0), weight)
    if not scores:
        return None, 0
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None, 0  # clues of two treatments, neither clearly stronger
    return ranked[0][0], strongest[ranked[0][0]]


# A clue word of this weight (a department, the puncture, a medicine only one leaflet names) is strong
# enough to route a phone call; weaker ones (surgery words) only choose the leaflet of an answer.
CONTACT_WEIGHT = 2
CLUE_CHARS = 2000


@lru_cache(maxsize=16)
def _leaflet_words(procedure: str) -> frozenset:
    from bot import leaflets

    return frozenset(re.findall(r"[a-z]+", fold(" ".join(leaflets.leaflet_text(leaflet) for leaflet in all_procedures()[procedure].leaflets))))


@dataclass(frozen=True)
class Resolution:
    """Which treatment a message is about, and the patient's own."""

    key: Optional[str]  # the treatment to answer for; None: nothing points anywhere (ask back)
    patient: Optional[str] = None  # the patient's own: the portal's or the token's, else what the conversation knows
    how: str = "none"  # "named", "portal", "conversation", "lay_name", "clue", "leaflet_words" or "none"
    strong: bool = True  # a clue strong enough to route a phone call (data/procedures.yml `weight`)

    @property
    def own(self) -> Optional[str]:
        """The treatment for triage and contacts: the patient's own, else the one the message names or
        strongly points to (a weak clue could send an alarm to the wrong department: then none)."""
        return self.patient or (self.key if self.strong else None)

    @property
    def other_than_patient(self) -> bool:
        """The message asks about another treatment than the patient's (the reply must say so first)."""
        return bool(self.key and self.patient and self.key != self.patient)

    @property
    def assumed(self) -> bool:
        """Only clue words point to the treatment: the reply says it assumes it."""
        return self.how in ("clue", "leaflet_words")

    @property
    def remembered(self) -> Optional[str]:
        """What the conversation keeps as the patient's treatment (a clue's guess is not kept)."""
        return self.patient or (self.key if self.how in ("named", "lay_name") else None)


def resolve(text: str, portal: Optional[str] = None, known: Optional[str] = None, for_answers: bool = True) -> Resolution:
    """The one place that decides the treatment of a message (chat service, triage and actions).

    ``portal``: the treatment the portal sent with the message, or the token's; ``known``: what the
    conversation already knows. See data/procedures.yml for the order of the clues.
    ``for_answers=False`` (triage, the chat service's record): the last step, words only one leaflet
    uses, is skipped: it only chooses the leaflet of an answer, never the treatment for a phone call.
    """
    patient = normalize(portal) or normalize(known)
    how_patient = "portal" if normalize(portal) else "conversation"
    text = text or ""
    named = _named(text, "names")
    # Two treatments named, one only as a word of the other's leaflet ("mijn neurostimulator ... naar de
    # wortelinfiltratie": that leaflet asks to bring its remote): the other one is meant.
    if len(named) > 1:
        named = [key for key in named if not any(other != key and _names_in_own_leaflet(text, key, other) for other in named)] or named
    for key in named:
        if patient is None:
            return Resolution(key, None, "named")
        if key != patient and not _names_in_own_leaflet(text, key, patient):
            return Resolution(key, patient, "named")
        if key == patient:
            return Resolution(key, patient, how_patient)
    if patient:
        return Resolution(patient, patient, how_patient)
    lay = _named(text, "lay_names")
    if lay:
        return Resolution(lay[0], None, "lay_name")
    # Clues are read in the first part of a message only: a question is short, and the work stays
    # bounded for a 64 KB body (which is triaged in full, but whose treatment no clue can settle).
    clued, weight = _clued(text[:CLUE_CHARS])
    if clued:
        return Resolution(clued, None, "clue", strong=weight >= CONTACT_WEIGHT)
    only = _only_leaflet_with(text[:CLUE_CHARS]) if for_answers else None
    return Resolution(only, None, "leaflet_words", strong=False) if only else Resolution(None)


def _only_leaflet_with(text: str) -> Optional[str]:
    """The one treatment whose leaflets alone use the question's specific words ("inschrijving",
    "holding"), for choosing the leaflet of an answer; never for a phone number."""
    from bot import retrieval

    found = retrieval.treatments_with_words(text)
    return found[0] if len(found) == 1 else None


def _names_in_own_leaflet(text: str, key: str, patient: str) -> bool:
    """Every name of ``key`` in the message is also a word of the patient's own leaflet."""
    folded = fold(text)
    used = [name for name in all_procedures()[key].names if whole_word(name).search(folded)]
    own = _leaflet_words(patient)
    return bool(used) and all(all(part in own for part in name.split()) for name in used)
