"""Score a blind triage batch (tests/bot/triage_cases_<n>.yml, batch 4 on) through a channel.

A batch has single messages (``cases``) and ``conversations``. A case either escalates
(``escalate: true`` with its ``category``), stays calm (``escalate: false``), should make the bot
ask its red-flag question (``expect: ask``: passes when the reply offers ja/nee buttons or the bot
escalates), or is in a language the bot does not support (``expect: safety_net``: passes when the
reply carries the Dutch safety-net text). Figures are reported per part: the five original
categories in Dutch, the general emergencies and the other new categories in Dutch, English, the
other languages, and the conversations.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from ruamel.yaml import YAML

from bot import paths
from bot.evaluation import acceptance
from bot.evaluation.channels import Channel

ORIGINAL = ("fever", "neuro_deficit", "saddle_anaesthesia", "bladder_bowel", "infection_signs")
DUTCH = ("nl", "nl-BE")
OTHER_SUPPORTED = ("pl", "tr", "ar", "de", "fr", "es")


def load(path: Path) -> Dict[str, Any]:
    doc = YAML(typ="safe", pure=True).load(Path(path).read_text(encoding="utf-8"))
    return {"cases": doc.get("cases") or [], "conversations": doc.get("conversations") or []}


def part(case: Dict[str, Any]) -> str:
    """Which reported part of the batch a case belongs to."""
    language = case.get("language") or "nl"
    if case.get("expect") == "safety_net":
        return "unsupported language"
    if case.get("expect") == "ask":
        return "unclear: ask"
    if language == "en":
        return "English"
    if language in OTHER_SUPPORTED:
        return "other languages"
    if case.get("escalate") and case.get("category") not in ORIGINAL:
        return "Dutch, general emergencies and new categories"
    return "Dutch, five categories and calm"


def asked(body: Dict[str, Any]) -> bool:
    return any(reply.get("buttons") for reply in body.get("replies") or [])


def has_safety_net(body: Dict[str, Any]) -> bool:
    from bot import texts

    try:
        marker = acceptance.fold(texts.get("safety_net.marker"))
    except KeyError:  # a version of the bot without the safety net
        return False
    return any(marker in acceptance.fold(reply.get("text") or "") for reply in body.get("replies") or [])


@dataclass
class Tally:
    alarms: int = 0
    caught: int = 0
    calm: int = 0
    false: int = 0
    other: int = 0  # ask / safety net cases
    other_ok: int = 0

    def line(self) -> str:
        parts = []
        if self.alarms:
            parts.append(f"recall {self.caught}/{self.alarms} = {100 * self.caught / self.alarms:.1f}%")
        if self.calm:
            parts.append(f"false escalations {self.false}/{self.calm} = {100 * self.false / self.calm:.1f}%")
        if self.other:
            parts.append(f"as expected {self.other_ok}/{self.other} = {100 * self.other_ok / self.other:.1f}%")
        return ", ".join(parts)


@dataclass
class BatchScore:
    total: Tally = field(default_factory=Tally)
    parts: Dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_category: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: List[Dict[str, Any]] = field(default_factory=list)
    conversations: Dict[str, Any] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.total.caught / self.total.alarms if self.total.alarms else 1.0

    @property
    def false_rate(self) -> float:
        return self.total.false / self.total.calm if self.total.calm else 0.0


def _safe_send(channel: Channel, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
    # A refused message (422 for a wrong length, 429) still has the contract's fields: score those.
    import httpx

    try:
        return channel.send(text, conversation_id, procedure)
    except httpx.HTTPStatusError as exc:
        body = exc.response.json()
        if "replies" in body:
            return body
        raise


def score(channel: Channel, batch: Dict[str, Any], with_procedure: bool = True) -> BatchScore:
    result = BatchScore()
    for case in batch["cases"]:
        procedure = case.get("procedure") if with_procedure else None
        body = _safe_send(channel, case["text"], None, procedure)
        escalated = body.get("escalation") is not None
        tally = result.parts[part(case)]
        expect = case.get("expect")
        if expect in ("ask", "safety_net"):
            ok = (asked(body) or escalated) if expect == "ask" else has_safety_net(body)
            for t in (tally, result.total):
                t.other += 1
                t.other_ok += ok
        elif case["escalate"]:
            ok = escalated
            for t in (tally, result.total):
                t.alarms += 1
                t.caught += ok
        else:
            ok = not escalated
            for t in (tally, result.total):
                t.calm += 1
                t.false += not ok
        key = case.get("category") or "?"
        result.by_category[key][0] += ok
        result.by_category[key][1] += 1
        if not ok:
            result.misses.append({"id": case["id"], "part": part(case), "expected": expect or ("escalate" if case["escalate"] else "calm"),
                                  "category": key, "procedure": case.get("procedure"), "language": case.get("language"),
                                  "text": case["text"], "reasons": (body.get("escalation") or {}).get("reasons")})
    items = [{"id": c["id"], "turns": c["turns"], "expect": c["expect"]} for c in batch["conversations"]]
    result.conversations = acceptance.score_conversations(channel, items) if items else {"passed": 0, "total": 0, "failures": []}
    return result


def print_score(label: str, result: BatchScore) -> None:
    print(f"\n== {label} ==")
    print(f"all alarms            {result.total.line()}")
    for name in sorted(result.parts):
        print(f"  {name:48} {result.parts[name].line()}")
    print("per category: " + ", ".join(f"{k} {c}/{t}" for k, (c, t) in sorted(result.by_category.items())))
    conv = result.conversations
    print(f"conversations         {conv['passed']}/{conv['total']}")
    for miss in result.misses:
        print(f"  MISS {miss['id']} expected {miss['expected']} [{miss['category']}, {miss['language']}, {miss['procedure']}] "
              f"reasons={miss['reasons']}: {miss['text'][:160]}")
    for failure in conv["failures"]:
        print(f"  FAILED {failure['id']} expected {failure['expect']}, escalated per turn: {failure['escalated_per_turn']}")


def default_batches() -> List[Path]:
    return sorted(p for p in (paths.ROOT / "tests" / "bot").glob("triage_cases_*.yml") if _batch_number(p) >= 4)


def _batch_number(path: Path) -> int:
    try:
        return int(path.stem.rsplit("_", 1)[1])
    except (IndexError, ValueError):
        return 0
