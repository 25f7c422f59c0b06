"""Nurses' "the bot was wrong" feedback (bot/review.py) as candidate Rasa NLU training examples
(issue 7): ``python -m bot export-feedback``.

The patient's words are pseudonymised (bot/pseudonymise.py), mapped to the intent the nurse's label
means, deduplicated, and written as Rasa 3.x NLU YAML to a file outside data/: a developer reads
the candidates and copies the good ones into data/nlu by hand (that also retrains the model).
Every export is recorded in the audit log as the developer's action.
"""
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot import audit, paths, review, yamldata
from bot.pseudonymise import pseudonymise
from bot.store import conversations, messages

HEADER = "# candidates — review before adding to data/nlu"
# A false alarm has no single right intent: the developer chooses among these.
CALM_INTENTS = ("deny_symptom", "report_expected_side_effect", "inform_context", "out_of_scope")


class ExportError(Exception):
    """An English message for the developer running the command."""


@dataclass
class Candidate:
    intent: Optional[str]  # None: the developer has to choose (see ``reason``)
    text: str  # pseudonymised
    kind: str
    label: str
    reason: str = ""
    note: str = ""  # the nurse's note, pseudonymised: shown with the ones the developer decides on


@dataclass
class ExportReport:
    path: Path
    feedback_rows: int = 0
    examples: int = 0  # written under an intent
    to_decide: int = 0  # written as comments for the developer
    duplicates: int = 0
    already_in_training_data: int = 0
    without_message: int = 0  # feedback on the whole conversation: no example to take
    intents: Dict[str, int] = field(default_factory=dict)

    def lines(self) -> List[str]:
        return [
            f"feedback rows read: {self.feedback_rows}",
            f"candidate examples: {self.examples} under {len(self.intents)} intent(s)"
            + (f" ({', '.join(f'{i}: {n}' for i, n in sorted(self.intents.items()))})" if self.intents else ""),
            f"for the developer to decide (commented out): {self.to_decide}",
            f"skipped: {self.duplicates} duplicate(s), {self.already_in_training_data} already in data/nlu, "
            f"{self.without_message} without a message",
            f"written to {self.path} — review before adding to data/nlu",
        ]


def _known_intents() -> Set[str]:
    domain = yamldata.load(paths.DOMAIN)
    return {str(i) if not isinstance(i, dict) else next(iter(i)) for i in domain.get("intents", [])}


def _topics() -> Set[str]:
    return set(review.answer_topics())


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _training_examples() -> Set[str]:
    """The texts already in data/nlu (any intent), normalised."""
    found: Set[str] = set()
    for path in sorted((paths.DATA / "nlu").glob("*.yml")):
        for item in (yamldata.load(path) or {}).get("nlu", []) or []:
            for line in str(item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    found.add(_normal(line.strip()[2:]))
    return found


def intent_for(kind: str, label: str, intents: Set[str], topics: Set[str]) -> Tuple[Optional[str], str]:
    """The intent the nurse's label means, or None with the reason the developer must decide."""
    label = label.strip()
    if kind == "missed_alarm":
        intent = f"report_{label}"
        return (intent, "") if intent in intents else (None, f"no intent {intent} in domain.yml")
    if label in intents:  # the nurse (or a developer) gave the intent itself
        return label, ""
    if label in topics and f"ask_{label}" in intents:
        return f"ask_{label}", ""
    if kind == "false_alarm":
        return None, f"false alarm ({label}): choose a calm intent, e.g. {', '.join(CALM_INTENTS)}, or an ask_<topic>"
    return None, f"wrong answer, label {label!r} is no topic of data/topics.yml: choose the ask_<topic>"


def _rows(engine: Engine, since: Optional[date]) -> List[Dict[str, Any]]:
    fb = review.review_feedback
    query = (
        sa.select(fb.c.id, fb.c.conversation_id, fb.c.message_id, fb.c.kind, fb.c.correct_label, fb.c.note, fb.c.created_at,
                  messages.c.text, messages.c.sender, conversations.c.patient_id)
        .join(messages, messages.c.id == fb.c.message_id, isouter=True)
        .join(conversations, conversations.c.id == fb.c.conversation_id, isouter=True)
        .order_by(fb.c.id)
    )
    if since:
        query = query.where(fb.c.created_at >= datetime.combine(since, datetime.min.time(), timezone.utc))
    with engine.connect() as db:
        rows = [dict(r) for r in db.execute(query).mappings()]
        for row in rows:
            if row["sender"] == "bot":
                # Feedback on a bot reply (a wrong answer): the example is the patient message it answered.
                asked = db.execute(
                    sa.select(messages.c.text).where(messages.c.conversation_id == row["conversation_id"],
                                                     messages.c.sender == "patient", messages.c.id < row["message_id"])
                    .order_by(messages.c.id.desc()).limit(1)
                ).first()
                row["text"] = asked.text if asked else None
    return rows


def _quoted(text: str) -> str:
    # One example per line in Rasa's block; a comment line for one the developer decides on.
    return re.sub(r"\s+", " ", text).strip()


def render(candidates: List[Candidate], since: Optional[date]) -> str:
    by_intent: Dict[str, List[str]] = {}
    for c in candidates:
        if c.intent:
            by_intent.setdefault(c.intent, []).append(c.text)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        HEADER,
        f"# From the nurses' \"the bot was wrong\" feedback, exported {stamp}" + (f", feedback since {since.isoformat()}" if since else "") + ".",
        "# Pseudonymised: [NAAM] [DATUM] [TELEFOON] [EMAIL] [POSTCODE] [ADRES] [NUMMER]. Check that no name or",
        "# number slipped through, drop what is not a good example, and copy the rest into data/nlu by hand.",
        'version: "3.1"',
        "nlu:" if by_intent else "nlu: []",
    ]
    for intent in sorted(by_intent):
        out.append(f"- intent: {intent}")
        out.append("  examples: |")
        out += [f"    - {_quoted(text)}" for text in by_intent[intent]]
    undecided = [c for c in candidates if not c.intent]
    if undecided:
        out += ["", "# To decide by the developer (not loaded by Rasa until you move them under an intent):"]
        for c in undecided:
            out.append(f"#   {c.reason}")
            out.append(f"#     - {_quoted(c.text)}")
            if c.note:
                out.append(f"#       (nurse's note: {_quoted(c.note)})")
    return "\n".join(out) + "\n"


def _check_target(path: Path) -> Path:
    path = path.expanduser().resolve()
    data = paths.DATA.resolve()
    if path == data or data in path.parents:
        raise ExportError(f"refusing to write into {data}: the candidates must be reviewed first; copy the good ones by hand")
    return path


def default_path() -> Path:
    return paths.VAR / "feedback" / f"nlu-candidates-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}.yml"


def export(engine: Engine, out: Path, by: str, since: Optional[date] = None) -> ExportReport:
    out = _check_target(out)
    intents, topics, existing = _known_intents(), _topics(), _training_examples()
    report = ExportReport(out)
    rows = _rows(engine, since)
    report.feedback_rows = len(rows)
    seen: Set[Tuple[Optional[str], str]] = set()
    candidates: List[Candidate] = []
    for row in rows:
        if not row["text"]:
            report.without_message += 1
            continue
        text = _quoted(pseudonymise(row["text"], known=[row["patient_id"] or ""]))
        intent, reason = intent_for(row["kind"], row["correct_label"], intents, topics)
        key = (intent, _normal(text))
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        if intent and _normal(text) in existing:
            report.already_in_training_data += 1
            continue
        note = pseudonymise(row["note"] or "", known=[row["patient_id"] or ""])
        candidates.append(Candidate(intent, text, row["kind"], row["correct_label"], reason, note))
    # The same words under two intents would teach Rasa a contradiction: the developer decides.
    intents_of: Dict[str, Set[str]] = {}
    for c in candidates:
        if c.intent:
            intents_of.setdefault(_normal(c.text), set()).add(c.intent)
    for c in candidates:
        if c.intent and len(intents_of[_normal(c.text)]) > 1:
            c.reason = f"labelled as {', '.join(sorted(intents_of[_normal(c.text)]))} by different nurses: choose one"
            c.intent = None
    for c in candidates:
        if c.intent:
            report.examples += 1
            report.intents[c.intent] = report.intents.get(c.intent, 0) + 1
        else:
            report.to_decide += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    # Pseudonymised, but still patients' words: readable by the developer only.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render(candidates, since))
    audit.record(engine, by, "developer", "feedback_export", details={
        "since": since.isoformat() if since else None, "feedback_rows": report.feedback_rows, "examples": report.examples,
        "to_decide": report.to_decide, "file": out.name,
    })
    return report
