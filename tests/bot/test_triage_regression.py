"""The project's own triage regression set (tests/bot/triage_cases*.yml, three batches by different authors), independent of
the acceptance set: every category, every context rule, every procedure."""
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.triage import decide, detect

def _load(name):
    return YAML(typ="safe", pure=True).load(Path(__file__).with_name(name).read_text(encoding="utf-8"))["cases"]


# Batch 1 is the gated regression set. Batches 2 and 3 were written later by other authors, blind to
# the lexicon, with harder paraphrases; each was first measured blind (batch 2: recall 0.72, batch 3:
# 0.71), then the lexicon was widened by word class. Their floors below stop a regression;
# `python -m bot evaluate regression` scores the full stack (Rasa's NLU layer added).
CASES = _load("triage_cases.yml")
ALARMS = [c for c in CASES if c["escalate"]]
CALM = [c for c in CASES if not c["escalate"]]


def _id(case):
    return f"{case['category'] if case['escalate'] else case['rule']}:{case['text'][:50]}"


@pytest.mark.parametrize("case", ALARMS, ids=_id)
def test_red_flag_layer_alone_escalates_every_alarm(case):
    # The fail-safe layer: it must catch these even with Rasa down.
    result = detect(case["text"], case["procedure"])
    assert result.escalate, [(f.category, f.status, f.text) for f in result.findings]


@pytest.mark.parametrize("case", ALARMS, ids=_id)
def test_alarm_category_is_named(case):
    assert case["category"] in decide(case["text"], case["procedure"]).reasons


def test_false_escalations_stay_under_five_percent():
    false = [c["text"] for c in CALM if detect(c["text"], c["procedure"]).escalate]
    assert len(false) <= 0.05 * len(CALM), f"{len(false)}/{len(CALM)} false escalations:\n" + "\n".join(false)


def test_the_set_covers_every_category_and_context_rule():
    categories = Counter(c["category"] for c in ALARMS)
    rules = Counter(c["rule"] for c in CALM)
    assert all(categories[k] >= 15 for k in ("fever", "neuro_deficit", "saddle_anaesthesia", "bladder_bowel", "infection_signs"))
    assert all(rules[k] >= 8 for k in ("negated", "hypothetical", "question_about_alarm", "resolved", "normal_temperature", "expected_side_effect"))
    assert {"third_party", "mixed", "persisting", "uncertain"} <= {c["rule"] for c in ALARMS}


# (batch, lowest recall, highest false-escalation rate), measured 2026-11-23: batch 2 0.953 / 0.019,
# batch 3 0.994 / 0.062. Raise these when it improves; never lower them to make a change pass.
FLOORS = [("triage_cases_2.yml", 0.95, 0.02), ("triage_cases_3.yml", 0.99, 0.07)]


@pytest.mark.parametrize("name,min_recall,max_false", FLOORS)
def test_red_flag_layer_on_the_harder_batches_does_not_fall_below_its_measured_level(name, min_recall, max_false):
    cases = _load(name)
    alarms = [c for c in cases if c["escalate"]]
    calm = [c for c in cases if not c["escalate"]]
    recall = sum(detect(c["text"], c["procedure"]).escalate for c in alarms) / len(alarms)
    false_rate = sum(detect(c["text"], c["procedure"]).escalate for c in calm) / len(calm)
    assert recall >= min_recall, recall
    assert false_rate <= max_false, false_rate


# Blind batches 4 to 6 (other languages, cases to ask about, unsupported languages, conversations),
# scored through the API's own chat service with Rasa unreachable: the red-flag layer alone.
# Each file's header has its blind first-run figure; these floors are the figures measured at the end
# of issue 12 (`python -m bot evaluate batch --layer detector`). Raise them when it improves.
ALL_PARTS = ("Dutch, five categories and calm", "Dutch, general emergencies and new categories", "English", "other languages")
BATCH_FLOORS = {
    # measured 2026-12-01: batch 4 219/220 recall, 0/137 false, 26/27 asked or safety net, 37/37 conversations;
    # batch 5 217/218, 1/128, 27/27, 35/35; batch 6 223/235, 2/173, 21/26, 32/37
    "triage_cases_4.yml": {"recall": 0.99, "false_rate": 0.01, "ask_or_safety_net": 0.96, "conversations": 37,
                           "parts": dict(zip(ALL_PARTS, (0.99, 1.0, 1.0, 1.0)))},
    "triage_cases_5.yml": {"recall": 0.99, "false_rate": 0.01, "ask_or_safety_net": 0.96, "conversations": 35,
                           "parts": dict(zip(ALL_PARTS, (0.99, 1.0, 1.0, 1.0)))},
    "triage_cases_6.yml": {"recall": 0.94, "false_rate": 0.02, "ask_or_safety_net": 0.80, "conversations": 32,
                           "parts": dict(zip(ALL_PARTS, (0.93, 0.90, 1.0, 1.0)))},
}


def _batch_result(name):
    from bot.evaluation import batches
    from bot.evaluation.channels import FailSafeChannel

    return batches.score(FailSafeChannel(), batches.load(Path(__file__).with_name(name)))


@pytest.fixture(scope="module")
def batch_results():
    import logging

    logging.getLogger("bot.chat").setLevel(logging.ERROR)  # "rasa unavailable" is the point here
    return {}


@pytest.mark.parametrize("name", sorted(BATCH_FLOORS))
def test_red_flag_layer_on_the_blind_batches_holds_its_floor(name, batch_results):
    floor = BATCH_FLOORS[name]
    result = batch_results.setdefault(name, _batch_result(name))
    assert result.recall >= floor["recall"], (result.recall, [m["id"] for m in result.misses if m["expected"] == "escalate"])
    assert result.false_rate <= floor["false_rate"], (result.false_rate, [m["id"] for m in result.misses if m["expected"] == "calm"])
    for part, minimum in floor.get("parts", {}).items():
        tally = result.parts[part]
        assert tally.caught / tally.alarms >= minimum, (part, tally.line())
    assert result.total.other_ok / result.total.other >= floor["ask_or_safety_net"], result.total.line()
    assert result.conversations["passed"] >= floor["conversations"], result.conversations["failures"]
