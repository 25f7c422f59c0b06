"""Load and compile the alarm lexicon (data/triage/lexicon.yml)."""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Pattern, Tuple

from bot import paths, yamldata

# "up to four other words" between two parts of a pattern. A negation word is never such a
# filler: "mijn been voelt niet doof" must not match "been ... doof" (patterns that need
# "niet", like "kan ... niet ... plassen", spell it out).
# Nor does a gap cross a full stop or a question mark (a comma it may: "benen raar, verdoofd").
_SEP = r"[^\w.;:!?]+"
# Never fillers: negations, and words that start a new event ("voet, daarna zakt het weer").
_NOT_FILLER = r"(?!(?:niet|nie|neet|geen|nooit|gene|niks|niets|daarna|nadien|toen)\b)"
_GAP = rf"(?:{_SEP}{_NOT_FILLER}\w+){{0,4}}{_SEP}"
_WIDE_GAP = rf"(?:{_SEP}{_NOT_FILLER}\w+){{0,8}}{_SEP}"
_MACRO = re.compile(r"\{([A-Z_]+)\}")


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    procedures: Tuple[str, ...]
    patterns: Tuple[Pattern[str], ...]
    fuzzy: Tuple[str, ...]
    reassurance: Tuple[Pattern[str], ...] = ()  # explicit normal function: "kan mijn plas gewoon ophouden"

    def applies_to(self, procedure: str) -> bool:
        return "all" in self.procedures or procedure in self.procedures


def _compile(pattern: str, macros: Dict[str, str]) -> Pattern[str]:
    # "{W}" sits between two "\b...\b" groups; the gap supplies its own separators.
    pattern = pattern.replace(r"\b{W}\b", _GAP).replace("{W}", _GAP)
    pattern = pattern.replace(r"\b{WW}\b", _WIDE_GAP)  # up to eight words, same filler rules
    # "{BODY}" etc.: word groups defined once under `macros:` in the lexicon.
    pattern = _MACRO.sub(lambda m: "(?:" + macros[m.group(1)] + ")", pattern)
    return re.compile(pattern)


@lru_cache(maxsize=1)
def rules() -> List[Rule]:
    doc = yamldata.load(paths.DATA / "triage" / "lexicon.yml")
    raw, macros = doc["categories"], doc.get("macros", {})
    return [
        Rule(
            name=name,
            category=item.get("category", name),
            procedures=tuple(item["procedures"]),
            patterns=tuple(_compile(p, macros) for p in item["patterns"]),
            fuzzy=tuple(item.get("fuzzy", ())),
            reassurance=tuple(_compile(p, macros) for p in item.get("reassurance", ())),
        )
        for name, item in raw.items()
    ]


@lru_cache(maxsize=1)
def context() -> Dict[str, object]:
    return yamldata.load(paths.DATA / "triage" / "lexicon.yml")["context"]
