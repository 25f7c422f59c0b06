"""Load and compile the alarm lexicon (data/triage/lexicon.yml)."""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Pattern, Tuple

from bot import paths, yamldata

# "up to three other words" between two parts of a pattern. A negation word is never such a
# filler: "mijn been voelt niet doof" must not match "been ... doof" (patterns that need
# "niet", like "kan ... niet ... plassen", spell it out).
_GAP = r"(?:\W+(?!(?:niet|nie|geen|nooit|gene)\b)\w+){0,3}\W+"


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    procedures: Tuple[str, ...]
    patterns: Tuple[Pattern[str], ...]
    fuzzy: Tuple[str, ...]

    def applies_to(self, procedure: str) -> bool:
        return "all" in self.procedures or procedure in self.procedures


def _compile(pattern: str) -> Pattern[str]:
    # "{W}" sits between two "\b...\b" groups; the gap supplies its own separators.
    return re.compile(pattern.replace(r"\b{W}\b", _GAP).replace("{W}", _GAP))


@lru_cache(maxsize=1)
def rules() -> List[Rule]:
    raw = yamldata.load(paths.DATA / "triage" / "lexicon.yml")["categories"]
    return [
        Rule(
            name=name,
            category=item.get("category", name),
            procedures=tuple(item["procedures"]),
            patterns=tuple(_compile(p) for p in item["patterns"]),
            fuzzy=tuple(item.get("fuzzy", ())),
        )
        for name, item in raw.items()
    ]


@lru_cache(maxsize=1)
def context() -> Dict[str, object]:
    return yamldata.load(paths.DATA / "triage" / "lexicon.yml")["context"]
