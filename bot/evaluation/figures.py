"""The figures of one model on the scored sets, as a JSON-ready dict (the report's figures.json).

Each set keeps its headline figure and the ids of the cases it got wrong, so two runs can be
compared case by case ("which cases changed outcome").
"""
import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from ruamel.yaml import YAML

from bot import paths
from bot.evaluation import acceptance
from bot.evaluation.channels import Channel
from bot.evaluation.report import regression_items

REGRESSION_FILES = ("triage_cases.yml", "triage_cases_2.yml", "triage_cases_3.yml")
OWN_QUESTIONS = paths.ROOT / "tests" / "bot" / "question_cases.yml"


class ProgressChannel:
    """Passes messages on and prints how far a set has got, so a run of minutes shows it is alive."""

    def __init__(self, channel: Channel, say: Callable[[str], None] = print, every: int = 50):
        self.channel, self.say, self.every = channel, say, every
        self.label, self.sent = "", 0

    def start(self, label: str) -> None:
        self.label, self.sent = label, 0

    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        self.sent += 1
        if self.sent % self.every == 0:
            self.say(f"    {self.label}: {self.sent} messages sent")
        return self.channel.send(text, conversation_id, procedure)


def triage_entry(label: str, score: acceptance.TriageScore) -> Dict[str, Any]:
    return {"label": label, "kind": "triage", "value": score.recall, "recall": score.recall,
            "caught": score.caught, "alarms": score.total_alarm, "false_escalations": score.false_escalations,
            "calm": score.total_calm, "false_rate": score.false_rate,
            "misses": sorted(str(m["id"]) for m in score.misses),
            "texts": {str(m["id"]): m["text"] for m in score.misses}}


def own_question_key(case: Dict[str, Any]) -> str:
    return f"{case['procedure']}: {case['text']}"


def collect(channel: Channel, acceptance_dir: Path, say: Callable[[str], None] = print) -> Dict[str, Dict[str, Any]]:
    """Scores every set through the channel (one running stack). Keys are stable between runs."""
    progress = ProgressChannel(channel, say)
    sets: Dict[str, Dict[str, Any]] = {}

    def step(key: str, label: str, score: Callable[[], Dict[str, Any]]) -> None:
        say(f"  scoring {label} ...")
        started = time.monotonic()
        progress.start(label)
        sets[key] = score()
        say(f"    {label}: {headline(sets[key])} ({progress.sent} messages, {time.monotonic() - started:.0f} s)")

    triage = acceptance.read_jsonl(acceptance_dir / "triage.jsonl")
    for with_proc in (True, False):
        label = f"acceptance triage, {'with' if with_proc else 'without'} procedure"
        step(f"acceptance_triage_{'with' if with_proc else 'without'}_procedure", label,
             lambda: triage_entry(label, acceptance.score_triage(progress, triage, with_proc)))

    def conversations() -> Dict[str, Any]:
        result = acceptance.score_conversations(progress, acceptance.read_jsonl(acceptance_dir / "conversations.jsonl"))
        return {"label": "acceptance conversations", "kind": "conversations", "value": result["passed"] / result["total"],
                "correct": result["passed"], "total": result["total"],
                "misses": sorted(str(f["id"]) for f in result["failures"]), "texts": {}}
    step("acceptance_conversations", "acceptance conversations", conversations)

    for name in REGRESSION_FILES:
        label = f"own regression {name}"
        step(f"regression_{name.split('.')[0]}", label,
             lambda: triage_entry(label, acceptance.score_triage(progress, regression_items(name), True)))

    from bot.evaluation import batches

    for path in batches.default_batches():
        label = f"blind batch {path.stem.rsplit('_', 1)[1]}"

        def blind() -> Dict[str, Any]:
            return batch_entries(label, batches.score(progress, batches.load(path)))
        step(f"batch_{path.stem}", label, blind)
        result = sets[f"batch_{path.stem}"].pop("parts")
        for name, entry in result.items():
            sets[f"batch_{path.stem}_{_slug(name)}"] = entry

    questions = acceptance.read_jsonl(acceptance_dir / "questions.jsonl")
    for with_proc in (True, False):
        label = f"acceptance questions, {'with' if with_proc else 'without'} procedure"

        def score_questions() -> Dict[str, Any]:
            result = acceptance.score_questions(progress, questions, with_proc)
            return {"label": label, "kind": "questions", "value": result["accuracy"], "correct": result["correct"],
                    "total": result["total"], "false_escalations": result["false_escalations"],
                    "misses": sorted(str(m["id"]) for m in result["misses"]),
                    "texts": {str(m["id"]): m["text"] for m in result["misses"]}}
        step(f"acceptance_questions_{'with' if with_proc else 'without'}_procedure", label, score_questions)

    def own_questions() -> Dict[str, Any]:
        cases = YAML(typ="safe", pure=True).load(OWN_QUESTIONS.read_text(encoding="utf-8"))["cases"]
        result = acceptance.score_own_questions(progress, cases)
        return {"label": "own question set", "kind": "questions", "value": result["correct"] / result["total"],
                "correct": result["correct"], "total": result["total"],
                "misses": sorted(own_question_key(m) for m in result["misses"]), "texts": {}}
    step("own_questions", "own question set", own_questions)
    return sets


def _slug(name: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def batch_entries(label: str, result) -> Dict[str, Any]:
    """A blind batch as a triage entry (all alarms and calm cases), with its parts and its
    conversations under ``parts`` (each a triage or conversations entry of its own)."""
    def entry(part_label: str, tally, misses) -> Dict[str, Any]:
        if not tally.alarms and not tally.calm:  # the cases that should be asked about, or get the safety net
            return {"label": part_label, "kind": "cases", "value": tally.other_ok / tally.other if tally.other else 1.0,
                    "correct": tally.other_ok, "total": tally.other,
                    "misses": sorted(str(m["id"]) for m in misses), "texts": {str(m["id"]): m["text"] for m in misses}}
        misses = [m for m in misses if m["expected"] in ("escalate", "calm")]
        recall = tally.caught / tally.alarms if tally.alarms else 1.0
        return {"label": part_label, "kind": "triage", "value": recall, "recall": recall, "caught": tally.caught, "alarms": tally.alarms,
                "false_escalations": tally.false, "calm": tally.calm, "false_rate": tally.false / tally.calm if tally.calm else 0.0,
                "misses": sorted(str(m["id"]) for m in misses), "texts": {str(m["id"]): m["text"] for m in misses}}

    out = entry(label, result.total, result.misses)
    out["parts"] = {name: entry(f"{label}: {name}", tally, [m for m in result.misses if m["part"] == name])
                    for name, tally in result.parts.items()}
    conv = result.conversations
    out["parts"]["conversations"] = {"label": f"{label}: conversations", "kind": "conversations",
                                     "value": conv["passed"] / conv["total"] if conv["total"] else 1.0,
                                     "correct": conv["passed"], "total": conv["total"],
                                     "misses": sorted(str(f["id"]) for f in conv["failures"]), "texts": {}}
    return out


def headline(entry: Dict[str, Any]) -> str:
    if entry["kind"] == "triage":
        return (f"recall {entry['caught']}/{entry['alarms']} = {entry['recall']:.1%}, "
                f"false escalations {entry['false_escalations']}/{entry['calm']}")
    return f"{entry['correct']}/{entry['total']} = {entry['value']:.1%}"
