"""Patient-facing texts, kept as data: one file per language (data/texts/<code>.yml).

Dutch (nl.yml) has every text. The other languages have the escalation and safety texts only
(tests/bot/test_texts.py checks that each has the same keys under those headings as Dutch).
"""
import re
from typing import Any

from bot import paths, yamldata

DUTCH = "nl"


def get(path: str, language: str = DUTCH, **values: Any) -> str:
    """``get("contact_immediately.known", name=...)``: the text at a dotted path, filled in."""
    node: Any = yamldata.load(paths.DATA / "texts" / f"{language}.yml")
    for part in path.split("."):
        node = node[part]
    return re.sub(r"\s+", " ", str(node)).format(**values)


def has(path: str, language: str = DUTCH) -> bool:
    node: Any = yamldata.load(paths.DATA / "texts" / f"{language}.yml")
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def words(path: str, language: str = DUTCH) -> list:
    """A list of words kept under ``path`` (e.g. the answers that mean yes)."""
    node: Any = yamldata.load(paths.DATA / "texts" / f"{language}.yml")
    for part in path.split("."):
        node = node[part]
    return list(node)
