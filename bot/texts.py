"""Patient-facing texts, kept as data in data/texts.yml."""
import re
from typing import Any

from bot import paths, yamldata


def get(path: str, **values: Any) -> str:
    """``get("contact_immediately.known", name=...)``: the text at a dotted path, filled in."""
    node: Any = yamldata.load(paths.DATA / "texts.yml")
    for part in path.split("."):
        node = node[part]
    return re.sub(r"\s+", " ", str(node)).format(**values)
