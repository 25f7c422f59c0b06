"""The project's own triage regression set (tests/bot/triage_cases*.yml, two batches by different authors), independent of the
acceptance set: every category, every context rule, every procedure."""
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.triage import decide, detect

def _load(name):
    return YAML(typ="safe", pure=True).load(Path(__file__).with_name(name).read_text(encoding="utf-8"))["cases"]


# Batch 1 is the gated regression set. Batch 2 was written later by another author, blind to the
# lexicon, with harder paraphrases: it shows how far the red-flag layer alone generalises
# (Rasa's NLU layer covers more of it; `python -m bot evaluate regression` scores the full stack).
CASES = _load("triage_cases.yml")
HELD_OUT = _load("triage_cases_2.yml")
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


def test_red_flag_layer_on_the_harder_batch_does_not_fall_below_its_measured_level():
    alarms = [c for c in HELD_OUT if c["escalate"]]
    calm = [c for c in HELD_OUT if not c["escalate"]]
    recall = sum(detect(c["text"], c["procedure"]).escalate for c in alarms) / len(alarms)
    false_rate = sum(detect(c["text"], c["procedure"]).escalate for c in calm) / len(calm)
    # Measured 2026-11-23: recall 0.72, false escalations 0.094. Raise these when it improves.
    assert recall >= 0.70, recall
    assert false_rate <= 0.10, false_rate
