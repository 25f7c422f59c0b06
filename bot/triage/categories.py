"""The alarm categories and the queue's notices, from data/triage/categories.yml (one definition)."""
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from bot import paths, yamldata

# Routes from the most to the least urgent: with several reasons, the first one present gives the
# contact object ("bel nu 112" beats the department; the department now beats "vandaag nog").
ROUTES = ("emergency", "suicide", "department", "same_day")


@dataclass(frozen=True)
class Category:
    code: str
    order: int  # place in the reply: the most urgent advice first
    urgency: int  # nurses' queue: higher first
    route: str  # one of ROUTES
    intent: Optional[str]  # Rasa NLU intent (None for a notice)
    nurse: str  # label on the nurses' pages
    alarm: bool = True  # False: a notice (queued for the nurses, no escalation)
    calmed_by: Optional[Tuple[str, ...]] = None  # the only context readings that make its words calm (None: all)


@lru_cache(maxsize=1)
def _load() -> Tuple[Dict[str, Category], Dict[str, Category]]:
    doc = yamldata.load(paths.DATA / "triage" / "categories.yml")
    alarms = {
        code: Category(code, index, int(item["urgency"]), item["route"], item["intent"], item["nurse"],
                       calmed_by=tuple(item["calmed_by"]) if item.get("calmed_by") else None)
        for index, (code, item) in enumerate(doc["categories"].items())
    }
    notices = {code: Category(code, len(alarms) + i, 0, "", None, item["nurse"], alarm=False)
               for i, (code, item) in enumerate((doc.get("notices") or {}).items())}
    for category in alarms.values():
        if category.route not in ROUTES:
            raise ValueError(f"categories.yml: {category.code} has unknown route {category.route!r} (known: {ROUTES})")
    return alarms, notices


def alarms() -> List[Category]:
    return list(_load()[0].values())


def codes() -> List[str]:
    """Alarm category codes, in reply order (the contract's ``escalation.reasons`` values)."""
    return list(_load()[0])


def notice_codes() -> List[str]:
    return list(_load()[1])


def get(code: str) -> Category:
    alarms_, notices = _load()
    return alarms_.get(code) or notices[code]


def known(code: str) -> bool:
    alarms_, notices = _load()
    return code in alarms_ or code in notices


def by_intent() -> Dict[str, str]:
    """Rasa intent -> category code."""
    return {c.intent: c.code for c in alarms() if c.intent}


def ordered(reasons: Iterable[str]) -> List[str]:
    """Reasons without repeats, in reply order (unknown codes last, alphabetically)."""
    unique = set(reasons)
    order = codes()
    return [r for r in order if r in unique] + sorted(unique - set(order))


def urgency(flagged: Iterable[str]) -> int:
    """Queue urgency of a set of flagged categories: the worst one counts most, then how many alarms."""
    present = [c for c in set(flagged) if known(c)]
    worst = max((get(c).urgency for c in present), default=0)
    return worst * 10 + sum(1 for c in present if get(c).alarm)


def most_urgent_route(reasons: Iterable[str]) -> str:
    present = {get(r).route for r in reasons if r in _load()[0]}
    return next((route for route in ROUTES if route in present), "department")
