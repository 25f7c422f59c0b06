"""Read the project's YAML data files (texts, contacts, lexicons, knowledge)."""
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


@lru_cache(maxsize=None)
def load(path: Path) -> Any:
    """Parse a YAML file once per process; the data files do not change while it runs."""
    with Path(path).open(encoding="utf-8") as handle:
        return YAML(typ="safe", pure=True).load(handle)
