"""Score the three acceptance files through a channel and report figures and misses."""
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot import paths
from bot.evaluation.channels import Channel

DEFAULT_DIR = paths.ROOT.parent / "shared" / "acceptance"
NUMBER_WORDS = {"een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7", "acht": "8", "negen": "9", "tien": "10", "twaalf": "12"}


def read_jsonl(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _procedure(item: Dict[str, Any], with_procedure: bool) -> Optional[str]:
    proc = item.get("procedure")
    return proc if with_procedure and proc and proc != "unknown" else None


@dataclass
class TriageScore:
    total_alarm: int = 0
    caught: int = 0
    total_calm: int = 0
    false_escalations: int = 0
    misses: List[Dict[str, Any]] = field(default_factory=list)
    by_category: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_procedure: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def recall(self) -> float:
        return self.caught / self.total_alarm if self.total_alarm else 1.0

    @property
    def false_rate(self) -> float:
        return self.false_escalations / self.total_calm if self.total_calm else 0.0


def score_triage(channel: Channel, items: List[Dict[str, Any]], with_procedure: bool) -> TriageScore:
    score = TriageScore()
    for item in items:
        body = channel.send(item["text"], None, _procedure(item, with_procedure))
        escalated = body.get("escalation") is not None
        correct = escalated == item["escalate"]
        if item["escalate"]:
            score.total_alarm += 1
            score.caught += escalated
        else:
            score.total_calm += 1
            score.false_escalations += escalated
        for key, table in ((item["category"], score.by_category), (item["procedure"], score.by_procedure)):
            table[key][0] += correct
            table[key][1] += 1
        if not correct:
            score.misses.append({"id": item["id"], "expected": item["escalate"], "category": item["category"], "procedure": item["procedure"], "text": item["text"], "reasons": (body.get("escalation") or {}).get("reasons")})
    return score


def score_conversations(channel: Channel, items: List[Dict[str, Any]]) -> Dict[str, Any]:
    passed, failures = 0, []
    for item in items:
        expect = item["expect"]
        at = int(expect.rsplit("_", 1)[1]) if expect.startswith("escalate_at_turn_") else None
        conv, ok, seen = None, True, []
        for turn, text in enumerate(item["turns"], start=1):
            body = channel.send(text, conv, None)
            conv = body["conversation_id"]
            escalated = body.get("escalation") is not None
            seen.append(escalated)
            # escalated from the expected turn on, and never taken back by a later message
            should = at is not None and turn >= at
            if escalated != should:
                ok = False
        passed += ok
        if not ok:
            failures.append({"id": item["id"], "expect": expect, "escalated_per_turn": seen})
    return {"passed": passed, "total": len(items), "failures": failures}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", lambda m: NUMBER_WORDS[m.group(1)], text)
    return re.sub(r"(?<=\d)[\s-]+(?=\d)", "", text)


def score_questions(channel: Channel, items: List[Dict[str, Any]], with_procedure: bool) -> Dict[str, Any]:
    correct, escalations, misses = 0, 0, []
    by_source: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        body = channel.send(item["text"], None, _procedure(item, with_procedure))
        answer = fold(" ".join(r["text"] for r in body.get("replies", [])))
        ok = all(fold(fact) in answer for fact in item["answer_facts"]) and body.get("escalation") is None
        escalations += body.get("escalation") is not None
        correct += ok
        by_source[item["source"]][0] += ok
        by_source[item["source"]][1] += 1
        if not ok:
            misses.append({"id": item["id"], "text": item["text"], "facts": item["answer_facts"], "reply": " / ".join(r["text"].replace("\n", " ") for r in body.get("replies", []))[:300]})
    return {"accuracy": correct / len(items) if items else 0.0, "correct": correct, "total": len(items), "false_escalations": escalations, "by_source": dict(by_source), "misses": misses}


def score_own_questions(channel: Channel, cases: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The project's own question set (tests/bot/question_cases.yml): a reply is right when it
    cites the leaflet section that answers the case's topic for its treatment."""
    from bot import knowledge

    correct, misses = 0, []
    for case in cases:
        expected = [a.source for a in knowledge.lookup(case["topic"], case["procedure"]).answers]
        body = channel.send(case["text"], None, case["procedure"])
        got = body.get("sources") or []
        if expected and all(source in got for source in expected):
            correct += 1
        else:
            misses.append({"text": case["text"], "topic": case["topic"], "procedure": case["procedure"], "got": got})
    return {"correct": correct, "total": len(cases), "misses": misses}
