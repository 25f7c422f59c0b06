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
    aliases: Tuple[str, ...]
    hints: Tuple[str, ...] = ()  # e.g. the department's name: used only when nothing else names the treatment


def all_procedures() -> Dict[str, Procedure]:
    raw = yamldata.load(paths.DATA / "procedures.yml")["procedures"]
    return {
        key: Procedure(key, item["label"], tuple(item["leaflets"]), tuple(fold(a) for a in item["aliases"]),
                       tuple(fold(h) for h in item.get("hints", ())))
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


def _whole_word(name: str) -> "re.Pattern[str]":
    return re.compile(r"(?<![a-z])" + re.escape(name) + r"(?![a-z])")


@lru_cache(maxsize=256)
def mentioned(text: str) -> List[str]:
    """Treatments a patient names in a message, in order of first mention (cached: the chat,
    the detector and the actions all ask for the same message; callers must not change the list)."""
    folded = fold(text)
    first: Dict[str, int] = {}  # each distinct word and where it first occurs
    for word in re.finditer(r"[a-z]+", folded):
        first.setdefault(word.group(), word.start())
    found: List[Tuple[int, str]] = []
    for proc in all_procedures().values():
        positions = [m.start() for alias in proc.aliases for m in _whole_word(alias).finditer(folded)]
        # One-word names with a typo: "bloedpacht", "wortelinfitratie", "proefstimulatje".
        typo_aliases = [(alias, allowed_typos(alias)) for alias in proc.aliases if " " not in alias and len(alias) >= 8]
        for token, at in first.items():
            for alias, limit in typo_aliases:
                if limit and token != alias and abs(len(token) - len(alias)) <= limit and edit_distance(token, alias, limit) <= limit:
                    positions.append(at)
        if positions:
            found.append((min(positions), proc.key))
    return [key for _, key in sorted(found)]


@lru_cache(maxsize=256)
def hinted(text: str) -> Optional[str]:
    """The one treatment a weaker word points to (its department's name, "ruggenprik"), else None."""
    folded = fold(text)
    found = {proc.key for proc in all_procedures().values() for hint in proc.hints if _whole_word(hint).search(folded)}
    return found.pop() if len(found) == 1 else None
