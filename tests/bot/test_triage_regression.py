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
