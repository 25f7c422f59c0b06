"""Dutch texts of the staff pages (/nurse/), kept as data in data/staff_texts.yml.

Codes (categories, statuses, audit actions) stay English everywhere else: in URLs, filters, the
database and the audit CSV. Only what a nurse or privacy officer reads goes through here.
"""
import re
from typing import Any, Iterable

from bot import paths, yamldata


def _node(path: str) -> Any:
    node: Any = yamldata.load(paths.DATA / "staff_texts.yml")
    for part in path.split("."):
        node = node[part]
    return node


def get(path: str, **values: Any) -> str:
    """``get("errors.note_too_long", limit=2000)``: the text at a dotted path, filled in."""
    return re.sub(r"\s+", " ", str(_node(path))).format(**values)


def label(group: str, code: Any) -> str:
    """The Dutch label of a code (``label("categories", "fever")`` → "koorts"); an unknown code
    is shown as it is rather than failing the page. Category labels come from their one
    definition (data/triage/categories.yml `nurse`), the other groups from staff_texts.yml."""
    if code is None:
        return ""
    if group == "categories":
        from bot.triage import categories

        return categories.get(code).nurse if categories.known(code) else str(code)
    labels = _node(group)
    return str(labels.get(code, code))


def labels(group: str, codes: Iterable[Any]) -> str:
    return ", ".join(label(group, code) for code in codes)
