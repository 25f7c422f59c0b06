"""Load and compile the alarm lexicons, one per language (data/triage/lexicon/<language>.yml).

A lexicon has the words of each alarm category (`categories`), the areas the bot asks about when
it is not sure (`areas`, bot/triage/detector.py), and the language's context cues (`context`):
negation, hypothetical, resolved, ... A lexicon without a cue simply does not use that rule.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Optional, Pattern, Tuple

from bot import paths, yamldata
from bot.triage import categories, prefilter

# "up to four other words" between two parts of a pattern; a word of the language's `not_filler`
# list (a negation: "mijn been voelt niet doof" must not match "been ... doof") never fills it.
# Nor does a gap cross a full stop or a question mark (a comma it may: "benen raar, verdoofd").
_SEP = r"[^\w.;:!?]+"
_MACRO = re.compile(r"\{([A-Z_]+)\}")
LEXICON_DIR = paths.DATA / "triage" / "lexicon"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    procedures: Tuple[str, ...]
    patterns: Tuple[Pattern[str], ...]
    fuzzy: Tuple[str, ...]
    reassurance: Tuple[Pattern[str], ...] = ()  # explicit normal function: "kan mijn plas gewoon ophouden"
    # per pattern (then per reassurance): literals one of which a match contains (bot/triage/prefilter.py)
    literals: Tuple[Optional[FrozenSet[str]], ...] = ()

    def applies_to(self, procedure: str) -> bool:
        return "all" in self.procedures or procedure in self.procedures


@dataclass(frozen=True)
class Profile:
    """One language's lexicon, compiled."""

    language: str
    rules: Tuple[Rule, ...]
    areas: Tuple[Rule, ...]  # words that touch a red-flag area without saying enough (ask, don't guess)
    cues: Dict[str, Any]  # word lists and settings of `context`
    regex: Dict[str, Pattern[str]] = field(default_factory=dict)  # the compiled regex cues
    clause_break: Optional[Pattern[str]] = None
    fuzzy_never: FrozenSet[str] = frozenset()
    topics: Tuple[Rule, ...] = ()  # words naming an area at all: only their calm readings count

    def cue(self, name: str) -> List[str]:
        return list(self.cues.get(name) or ())


# Context cues that are regular expressions (the others are lists of words).
_REGEX_CUES = ("uncertain_before", "negation_phrase_before", "negation_right_after", "negation_dislocated", "negation_inverted", "third_person_treatment", "threshold_before",
               "possibility_after", "resolved_state", "resolved_copula", "expectation", "temperature_words")


def _gap(not_filler: List[str], words: int) -> str:
    never = rf"(?!(?:{'|'.join(re.escape(w) for w in not_filler)})\b)" if not_filler else ""
    # lazy: the nearest keyword ends the match, so that the words after it are the context read
    # ("mijn wond lekt geel vocht en ruikt niet fris": not "... ruikt" + "niet")
    return rf"(?:{_SEP}{never}\w+){{0,{words}}}?{_SEP}"


def _compile(pattern: str, macros: Dict[str, str], gap: str, wide_gap: str) -> Pattern[str]:
    # "{W}" sits between two "\b...\b" groups; the gap supplies its own separators.
    pattern = pattern.replace(r"\b{W}\b", gap).replace("{W}", gap)
    pattern = pattern.replace(r"\b{WW}\b", wide_gap).replace("{WW}", wide_gap)  # up to eight words, same filler rules
    # "{BODY}" etc.: word groups defined once under `macros:` in the lexicon.
    pattern = _MACRO.sub(lambda m: "(?:" + macros[m.group(1)] + ")", pattern)
    return re.compile(pattern)


def _rules(raw: Dict[str, Any], macros: Dict[str, str], gap: str, wide_gap: str, source: str) -> Tuple[Rule, ...]:
    out = []
    for name, item in (raw or {}).items():
        code = item.get("category", name)
        if not categories.known(code) or not categories.get(code).alarm:
            raise ValueError(f"{source}: {name} names category {code!r}, which data/triage/categories.yml does not define")
        patterns = tuple(_compile(p, macros, gap, wide_gap) for p in item.get("patterns") or ())
        reassurance = tuple(_compile(p, macros, gap, wide_gap) for p in item.get("reassurance", ()))
        out.append(Rule(
            name=name,
            category=code,
            procedures=tuple(item.get("procedures") or ["all"]),
            patterns=patterns,
            fuzzy=tuple(item.get("fuzzy", ())),
            reassurance=reassurance,
            literals=tuple(prefilter.required_literals(p.pattern) for p in patterns + reassurance),
        ))
    return tuple(out)


def _profile(path) -> Profile:
    doc = yamldata.load(path)
    language = doc.get("language") or path.stem
    cues = dict(doc.get("context") or {})
    macros = doc.get("macros") or {}
    not_filler = list(cues.get("not_filler") or ())
    gap, wide_gap = _gap(not_filler, 4), _gap(not_filler, 8)
    source = f"lexicon/{path.name}"
    clause_words = cues.get("clause_words") or ()
    clause = r"(?<!\d),|,(?!\d)" + (rf"|\b(?:{'|'.join(re.escape(w) for w in clause_words)})\b" if clause_words else "")
    return Profile(
        language=language,
        rules=_rules(doc.get("categories"), macros, gap, wide_gap, source),
        areas=_rules(doc.get("areas"), macros, gap, wide_gap, source),
        topics=_rules(doc.get("topics"), macros, gap, wide_gap, source),
        cues=cues,
        regex={name: re.compile(cues[name]) for name in _REGEX_CUES if cues.get(name)},
        clause_break=re.compile(clause),
        fuzzy_never=frozenset(cues.get("fuzzy_never") or ()),
    )


@lru_cache(maxsize=1)
def profiles() -> Dict[str, Profile]:
    """Every language's lexicon, Dutch first."""
    files = sorted(LEXICON_DIR.glob("*.yml"), key=lambda p: (p.stem != "nl", p.stem))
    return {profile.language: profile for profile in map(_profile, files)}


def dutch() -> Profile:
    return profiles()["nl"]
