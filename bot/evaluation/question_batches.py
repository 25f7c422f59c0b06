"""Score a blind question batch (tests/bot/question_batch_<n>.yml) through a channel.

Each case is one aftercare question of a patient whose treatment is ``procedure``; ``portal: true``
means the portal sends that treatment with the message, ``portal: false`` that the bot has only the
text (which gives the treatment away). ``expect: answer`` is right when the reply holds every
``facts`` string (the acceptance README's matching: case and diacritics ignored, number words as
digits) and nothing escalated, ``expect: not_in_leaflet`` when the bot says honestly that the leaflet
does not cover it. A miss is put in one class, so that fixes aim at classes, not sentences.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from ruamel.yaml import YAML

from bot import paths
from bot.evaluation import acceptance
from bot.evaluation.channels import Channel

# Markers of the bot's own replies (folded); kept here so that an older version of the bot scores the same way.
REPHRASE = "anders zeggen"
NOT_IN_LEAFLET = ("staat niets in de folder", "staat niets over", "niets in de folders")
ASK_TREATMENT = "welke behandeling heeft u gehad"
SPLIT = "verschilt per behandeling"
OFFER = "bedoelt u"  # the topics offered as buttons


def default_batches() -> List[Path]:
    return sorted((paths.ROOT / "tests" / "bot").glob("question_batch_*.yml"))


def load(path: Path) -> List[Dict[str, Any]]:
    return YAML(typ="safe", pure=True).load(Path(path).read_text(encoding="utf-8"))["cases"]


def _leaflets(procedure: str) -> List[str]:
    from bot import procedures

    return list(procedures.all_procedures()[procedure].leaflets)


def _said_other_treatment(first_reply: str, leaflets: List[str]) -> bool:
    """The reply starts by saying it answers for another treatment (its label or leaflet is named)."""
    from bot import procedures

    folded = acceptance.fold(first_reply)
    for proc in procedures.all_procedures().values():
        if set(proc.leaflets) & set(leaflets) and acceptance.fold(proc.label) in folded:
            return True
    return False


def offered(body: Dict[str, Any]) -> List[Dict[str, str]]:
    """The topic buttons of a "Bedoelt u: ..." reply (not the red-flag question's ja/nee), without "iets anders"."""
    replies = body.get("replies") or []
    if not replies or OFFER not in acceptance.fold(replies[-1].get("text") or ""):
        return []
    return list(replies[-1].get("buttons") or [])[:-1]


def classify(case: Dict[str, Any], body: Dict[str, Any]) -> str:
    """``right`` or the class of the miss."""
    replies = [r.get("text") or "" for r in body.get("replies") or []]
    text = acceptance.fold(" ".join(replies))
    if body.get("escalation") is not None:
        return "escalated"
    said_not = any(marker in text for marker in NOT_IN_LEAFLET)
    if case["expect"] == "not_in_leaflet":
        return "right" if said_not else "answered although the leaflet says nothing"
    cited = [s.get("leaflet") for s in body.get("sources") or []]
    own = _leaflets(case["procedure"])
    other = [leaflet for leaflet in cited if leaflet not in own]
    if other and not any(leaflet in own for leaflet in cited) and not _said_other_treatment(replies[0] if replies else "", other):
        return "another treatment, not said"
    has_facts = all(acceptance.fold(fact) in text for fact in case["facts"])
    if has_facts:
        if not case.get("portal") and SPLIT in text:
            return "split over treatments although given"
        return "right"
    if REPHRASE in text:
        return "asked to rephrase"
    if said_not:
        return "said not in the leaflet"
    if ASK_TREATMENT in text or SPLIT in text:
        return "asked the treatment back" if ASK_TREATMENT in text and SPLIT not in text else "split over treatments although given"
    if offered(body):
        return "offered topics"
    if other:
        return "another treatment"
    return "wrong paragraph or facts missing"


@dataclass
class QuestionBatchScore:
    total: int = 0
    right: int = 0  # at the first reply
    after_click: int = 0  # the topics were offered, and one click on the case's topic answered it
    classes: Counter = field(default_factory=Counter)
    by_source: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_portal: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_expect: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def score(channel: Channel, cases: List[Dict[str, Any]]) -> QuestionBatchScore:
    result = QuestionBatchScore()
    for case in cases:
        procedure: Optional[str] = case["procedure"] if case.get("portal") else None
        body = channel.send(case["text"], None, procedure)
        verdict = classify(case, body)
        if verdict == "offered topics":
            # The patient clicks the button of the topic asked about: right when one of them answers it.
            for index, button in enumerate(offered(body)):
                # each button in a conversation of its own (a click retires the other buttons)
                again = body if index == 0 else channel.send(case["text"], None, procedure)
                clicked = channel.send(button["payload"], again["conversation_id"], procedure)
                if classify(case, clicked) == "right":
                    verdict = "right after a click"
                    result.after_click += 1
                    break
        ok = verdict in ("right", "right after a click")
        result.total += 1
        result.right += verdict == "right"
        for table, key in ((result.by_source, case.get("source") or "?"), (result.by_portal, "portal" if case.get("portal") else "text only"),
                           (result.by_expect, case["expect"])):
            table[key][0] += ok
            table[key][1] += 1
        if verdict != "right":
            result.classes[verdict] += 1
        if not ok:
            result.misses.append({"id": case["id"], "class": verdict, "procedure": case["procedure"], "portal": bool(case.get("portal")),
                                  "text": case["text"], "facts": case.get("facts") or [],
                                  "reply": " / ".join((r.get("text") or "").replace("\n", " ") for r in body.get("replies") or [])[:400]})
    return result


def _table(rows: Dict[str, List[int]]) -> str:
    return ", ".join(f"{key} {ok}/{n}" for key, (ok, n) in sorted(rows.items()))


def print_score(label: str, result: QuestionBatchScore) -> None:
    print(f"\n== Question batch ({label}) ==")
    print(f"right at the first reply {result.right}/{result.total} = {100 * result.accuracy:.1f}%")
    both = result.right + result.after_click
    print(f"right, or after one click on the topic offered  {both}/{result.total} = {100 * both / result.total:.1f}%")
    print(f"per leaflet:            {_table(result.by_source)}")
    print(f"portal / text only:     {_table(result.by_portal)}")
    print(f"per expectation:        {_table(result.by_expect)}")
    print("misses by class:        " + ", ".join(f"{name} {n}" for name, n in result.classes.most_common()))
    for miss in result.misses:
        print(f"  MISS {miss['id']} [{miss['class']}; {miss['procedure']}, {'portal' if miss['portal'] else 'text only'}] facts={miss['facts']}: "
              f"{miss['text']}\n       reply: {miss['reply']}")
