"""Typo-tolerant word matching (optimal string alignment distance)."""


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau (adjacent transposition) distance, cut off early above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def allowed_typos(word: str) -> int:
    """Short words get no typo allowance: too many real words lie one letter away."""
    if len(word) < 6:
        return 0
    return 1 if len(word) < 10 else 2
