"""Typo-tolerant word matching: optimal string alignment distance (rapidfuzz)."""
from rapidfuzz.distance import OSA


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau (adjacent transposition) distance; ``limit + 1`` for anything above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    return OSA.distance(a, b, score_cutoff=limit)


def allowed_typos(word: str) -> int:
    """Short words get no typo allowance: too many real words lie one letter away."""
    if len(word) < 6:
        return 0
    return 1 if len(word) < 10 else 2
