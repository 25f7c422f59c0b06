"""Render the evaluation report (figures.json plus the NLU and story results) as Markdown."""
from typing import Any, Dict, Iterable, List, Optional, Sequence

from bot.evaluation.compare import CaseChange, Delta
from bot.evaluation.nlu_cv import IntentRow
from bot.evaluation.stories import StoryOutcome


def cell(value: Any) -> str:
    """A table cell: '|' would end the cell and a newline the row, so neither may pass as is."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def pct(value: Optional[float]) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def points(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:+.1f}"


def _sets_section(sets: Dict[str, Dict[str, Any]]) -> List[str]:
    rows = []
    for entry in sets.values():
        if entry["kind"] == "triage":
            rows.append([entry["label"], f"{entry['caught']}/{entry['alarms']}", pct(entry["recall"]),
                         f"{entry['false_escalations']}/{entry['calm']}", pct(entry["false_rate"])])
        else:
            false = entry.get("false_escalations")
            rows.append([entry["label"], f"{entry['correct']}/{entry['total']}", pct(entry["value"]),
                         "–" if false is None else str(false), ""])
    out = ["## Alarm recall, false escalations and answer accuracy", "",
           "Through `POST /api/chat` on the full stack (one stack for the whole report). Triage sets: alarm "
           "recall and false escalations of the calm messages; conversations: escalated at the right turn and "
           "stayed escalated; questions: every expected fact in the answer (acceptance) or the right leaflet "
           "section cited (own set).", "",
           table(["set", "right", "recall / accuracy", "false escalations", "false rate"], rows), "",
           "![recall and accuracy per set](sets.png)", ""]
    misses = [(e["label"], case, e.get("texts", {}).get(case, "")) for e in sets.values() for case in e.get("misses", [])]
    if misses:
        out += ["<details><summary>Misses per set ({})</summary>".format(len(misses)), "",
                table(["set", "case", "text"], misses), "", "</details>", ""]
    return out


def _nlu_section(nlu: Optional[Dict[str, Any]], rows: List[IntentRow], pairs: List[tuple], worst: int = 8) -> List[str]:
    out = ["## NLU cross-validation per intent", ""]
    if not nlu:
        return out + ["Not run (`--folds 0`).", ""]
    if nlu.get("error"):
        return out + [f"**Failed:** {cell(nlu['error'])}", ""]
    out += [f"`rasa test nlu --cross-validation --folds {nlu['folds']}` on data/nlu ({nlu.get('seconds', 0):.0f} s): "
            f"accuracy {pct(nlu.get('accuracy'))}, macro F1 {pct(nlu.get('macro_f1'))}, weighted F1 {pct(nlu.get('weighted_f1'))}.", ""]
    out += ["Worst intents (F1): " + ", ".join(f"`{r.intent}` {r.f1:.2f}" for r in rows[:worst]) + ".", ""]
    if pairs:
        out += ["Most confused pairs:", "", table(["intent", "predicted as", "count"], pairs), "",
                "![most confused intent pairs](nlu_confusions.png)", ""]
    out += ["<details><summary>All intents</summary>", "",
            table(["intent", "precision", "recall", "F1", "support"],
                  [[r.intent, f"{r.precision:.2f}", f"{r.recall:.2f}", f"{r.f1:.2f}", r.support] for r in sorted(rows, key=lambda r: r.intent)]),
            "", "</details>", "", "Rasa's full confusion matrix (all intents):", "",
            "![intent confusion matrix](nlu-cv/intent_confusion_matrix.png)", ""]
    return out


def _stories_section(stories: Optional[Dict[str, Any]], outcomes: List[StoryOutcome], failed_text: str) -> List[str]:
    out = ["## Stories (`rasa test core`)", ""]
    if not stories:
        return out + ["Not run.", ""]
    if stories.get("error"):
        return out + [f"**Failed:** {cell(stories['error'])}", ""]
    out += [f"{stories['passed']}/{stories['total']} stories passed. tests/stories end to end (`--e2e`: each user "
            "text through the model's NLU, then the predicted actions); data/stories by their intents (they have no texts).", "",
            table(["story", "file", "mode", "result"], [[o.name, o.file, o.mode, "pass" if o.passed else "FAIL"] for o in outcomes]), ""]
    if failed_text.strip():
        out += ["Rasa's annotation of the failed stories:", "", "```yaml", failed_text.rstrip(), "```", ""]
    return out


def _comparison_section(previous_name: Optional[str], rows: List[Delta], changes: List[CaseChange], notes: Sequence[str]) -> List[str]:
    out = ["## Differences against the previous model", ""]
    if previous_name is None:
        return out + ["No previous figures (pass `--previous MODEL|figures.json`; by default the newest other "
                      "report under var/report/).", ""]
    out += [f"Previous: `{cell(previous_name)}`. Deltas in percentage points.", "",
            table(["figure", "current", "previous", "delta"], [[d.label, pct(d.current), pct(d.previous), points(d.points)] for d in rows]), ""]
    out += [f"Note: {note}" for note in notes] + ([""] if notes else [])
    if changes:
        out += [f"Cases that changed outcome ({len(changes)}):", "",
                table(["set", "case", "now", "text"], [[c.label, c.case, "newly wrong" if c.now == "broken" else "newly right", c.text] for c in changes]), ""]
    else:
        out += ["No scored case changed outcome.", ""]
    return out


def render(figures: Dict[str, Any], intent_rows: List[IntentRow], pairs: List[tuple], outcomes: List[StoryOutcome],
           failed_stories: str, previous_name: Optional[str], delta_rows: List[Delta], changes: List[CaseChange],
           notes: Sequence[str] = ()) -> str:
    meta = figures.get("meta", {})
    timing = ", ".join(f"{k} {v:.0f} s" for k, v in (figures.get("timings") or {}).items())
    lines = [f"# Evaluation report: model `{cell(meta.get('model'))}`", "",
             f"Created {cell(meta.get('created'))} from code `{cell(meta.get('code'))}`. Timings: {timing}.", ""]
    lines += _sets_section(figures.get("sets") or {})
    lines += _nlu_section(figures.get("nlu_cv"), intent_rows, pairs)
    lines += _stories_section(figures.get("stories"), outcomes, failed_stories)
    lines += _comparison_section(previous_name, delta_rows, changes, notes)
    return "\n".join(lines).rstrip() + "\n"
