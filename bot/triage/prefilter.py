"""Literal prefilters for the lexicon's regular expressions.

Python's regex engine tries a pattern that starts with ``\\b(...)`` at every position of the text;
with more than a hundred such patterns per language that is most of the detector's time. For each
pattern we derive, from its parse tree, a set of literal strings one of which every match must
contain; a pattern none of whose literals occurs in the message is not run at all.
"""
import sre_constants as C
import sre_parse
from typing import FrozenSet, List, Optional, Set

_MIN_LITERAL = 2  # a one-letter literal says nothing


def required_literals(pattern: str) -> Optional[FrozenSet[str]]:
    """Strings one of which every match of ``pattern`` contains; None when no such set is found."""
    found = _sequence(list(sre_parse.parse(pattern)))
    return frozenset(found) if found else None


def _better(a: Optional[Set[str]], b: Optional[Set[str]]) -> Optional[Set[str]]:
    """The more selective requirement: longest shortest member, then fewer members."""
    if not a:
        return b
    if not b:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _sequence(items: List) -> Optional[Set[str]]:
    best: Optional[Set[str]] = None
    run: List[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if len(run) >= _MIN_LITERAL:
            best = _better(best, {"".join(run)})
        run = []
        best = _better(best, _node(op, av))
    if len(run) >= _MIN_LITERAL:
        best = _better(best, {"".join(run)})
    return best


def _node(op, av) -> Optional[Set[str]]:
    if op is C.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is C.BRANCH:
        union: Set[str] = set()
        for alternative in av[1]:
            required = _sequence(list(alternative))
            if not required:
                return None  # one alternative can match without a literal
            union |= required
        return union
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    return None
