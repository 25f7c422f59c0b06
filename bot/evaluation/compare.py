"""Differences between two models' figures (figures.json): per-figure deltas and the cases that changed."""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional


@dataclass
class Delta:
    key: str
    label: str
    current: Optional[float]
    previous: Optional[float]

    @property
    def points(self) -> Optional[float]:
        """Difference in percentage points (figures are shares), None when one side lacks it."""
        if self.current is None or self.previous is None:
            return None
        return round(100 * (self.current - self.previous), 2)


@dataclass
class CaseChange:
    set_key: str
    label: str
    case: str
    now: str  # "fixed" (was wrong, now right) or "broken" (was right, now wrong)
    text: str = ""


def _headline_figures(figures: Dict[str, Any]) -> Dict[str, tuple]:
    """key -> (label, value) for every compared figure, in report order."""
    out: Dict[str, tuple] = {}
    for key, entry in (figures.get("sets") or {}).items():
        out[key] = (entry["label"] + (" — alarm recall" if entry["kind"] == "triage" else " — accuracy"), entry.get("value"))
        if entry["kind"] == "triage":
            out[f"{key}.false_rate"] = (entry["label"] + " — false escalations", entry.get("false_rate"))
    for name, value in (figures.get("nlu_cv") or {}).items():
        if isinstance(value, (int, float)) and name in ("accuracy", "macro_f1", "weighted_f1"):
            out[f"nlu_cv.{name}"] = (f"NLU cross-validation — {name.replace('_', ' ')}", float(value))
    stories = figures.get("stories")
    if stories and stories.get("total"):
        out["stories"] = ("rasa test core — stories passed", stories["passed"] / stories["total"])
    return out


def deltas(current: Dict[str, Any], previous: Dict[str, Any]) -> List[Delta]:
    """One row per figure present in either run; a figure only one run has gets None on the other side."""
    now, before = _headline_figures(current), _headline_figures(previous)
    keys = list(now) + [k for k in before if k not in now]
    return [Delta(k, (now.get(k) or before.get(k))[0], (now.get(k) or (None, None))[1], (before.get(k) or (None, None))[1]) for k in keys]


def changed_cases(current: Dict[str, Any], previous: Dict[str, Any]) -> List[CaseChange]:
    """Cases scored in both runs whose outcome differs: newly wrong first, then newly right."""
    changes: List[CaseChange] = []
    before_sets = previous.get("sets") or {}
    for key, entry in (current.get("sets") or {}).items():
        if key not in before_sets:
            continue
        before = before_sets[key]
        now_misses, old_misses = set(entry.get("misses", [])), set(before.get("misses", []))
        texts = {**before.get("texts", {}), **entry.get("texts", {})}
        changes += [CaseChange(key, entry["label"], c, "broken", texts.get(c, "")) for c in sorted(now_misses - old_misses)]
        changes += [CaseChange(key, entry["label"], c, "fixed", texts.get(c, "")) for c in sorted(old_misses - now_misses)]
    return sorted(changes, key=lambda c: (c.now != "broken", c.set_key, c.case))


def caveats(current: Dict[str, Any], previous: Dict[str, Any]) -> List[str]:
    """Why some deltas are not like for like."""
    notes = []
    now, before = (current.get("nlu_cv") or {}).get("folds"), (previous.get("nlu_cv") or {}).get("folds")
    if now and before and now != before:
        notes.append(f"The cross-validation used {now} folds now and {before} before: fewer folds train on less data, "
                     "so its figures are lower for that reason alone.")
    return notes


def load_figures(path: Path) -> Dict[str, Any]:
    """A figures.json, or the figures.json in a report directory."""
    path = path / "figures.json" if path.is_dir() else path
    return json.loads(path.read_text(encoding="utf-8"))


def newest_other_figures(report_root: Path, exclude: Path) -> Optional[Path]:
    """The most recent figures.json under report_root/*/ that is not in the directory `exclude`."""
    found = [p for p in report_root.glob("*/figures.json") if p.parent.resolve() != exclude.resolve()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None
