"""figures.collect on the real red-flag layer (the API's chat service with Rasa unreachable): every set
is scored with stable keys, and its misses agree with its counts, so two runs can be compared case by case."""
import json
import logging

import pytest

from bot.evaluation import acceptance, compare, figures
from bot.evaluation.channels import FailSafeChannel


@pytest.fixture(scope="module")
def sets():
    if not (acceptance.DEFAULT_DIR / "triage.jsonl").exists():
        pytest.fail(f"the acceptance set is missing: {acceptance.DEFAULT_DIR}", pytrace=False)
    logging.getLogger("bot.chat").setLevel(logging.ERROR)  # "rasa unavailable" is the point here
    said = []
    result = figures.collect(FailSafeChannel(), acceptance.DEFAULT_DIR, said.append)
    result["_said"] = said
    return result


def test_every_set_is_scored_under_a_stable_key(sets):
    batch = [k for k in sets if k.startswith("batch_triage_cases_4")]
    assert batch[0] == "batch_triage_cases_4" and "batch_triage_cases_4_english" in batch and "batch_triage_cases_4_conversations" in batch
    assert [k for k in sets if k != "_said" and not k.startswith("batch_")] == [
        "acceptance_triage_with_procedure", "acceptance_triage_without_procedure", "acceptance_conversations",
        "regression_triage_cases", "regression_triage_cases_2", "regression_triage_cases_3",
        "acceptance_questions_with_procedure", "acceptance_questions_without_procedure", "own_questions"]


def test_misses_agree_with_the_counts(sets):
    for key, entry in sets.items():
        if key == "_said":
            continue
        if entry["kind"] == "triage":
            wrong = entry["alarms"] - entry["caught"] + entry["false_escalations"]
            assert entry["alarms"] + entry["calm"] > 0
        else:
            wrong = entry["total"] - entry["correct"]
        assert len(entry["misses"]) == len(set(entry["misses"])) == wrong, key
    # Without Rasa nothing answers a question: every question is a miss, so the keys are all there.
    assert len(sets["own_questions"]["misses"]) == sets["own_questions"]["total"] == 201


def test_progress_is_printed_per_set(sets):
    said = sets["_said"]
    assert any("own question set: 200 messages sent" in line for line in said)
    assert sum(line.startswith("  scoring ") for line in said) == 9 + len([k for k in sets if k.startswith("batch_") and k.count("_") == 3])


def test_a_run_compared_with_itself_after_a_json_round_trip_has_no_changes(sets):
    run = {"sets": {k: v for k, v in sets.items() if k != "_said"}}
    again = json.loads(json.dumps(run))
    assert compare.changed_cases(again, run) == []
    # one triage alarm now missed shows up as newly wrong, with its text
    worse = json.loads(json.dumps(run))
    case = acceptance.read_jsonl(acceptance.DEFAULT_DIR / "triage.jsonl")
    alarm = next(c for c in case if c["escalate"] and c["id"] not in run["sets"]["acceptance_triage_with_procedure"]["misses"])
    worse["sets"]["acceptance_triage_with_procedure"]["misses"].append(alarm["id"])
    changes = compare.changed_cases(worse, run)
    assert [(c.case, c.now) for c in changes] == [(alarm["id"], "broken")]
