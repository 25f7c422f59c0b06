"""The report's NLU and story tables, built from Rasa's own output files (samples in report_samples/)."""
import json
from pathlib import Path

import pytest

from bot.evaluation import nlu_cv, stories

SAMPLES = Path(__file__).parent / "report_samples"


@pytest.fixture
def report():
    return json.loads((SAMPLES / "intent_report.json").read_text(encoding="utf-8"))


def test_intent_rows_are_the_intents_only_worst_first(report):
    rows = nlu_cv.intent_rows(report)
    assert [r.intent for r in rows] == ["ask_bed_rest", "ask_lifting", "ask_work", "report_fever"]
    lifting = rows[1]
    assert (lifting.precision, lifting.recall, round(lifting.f1, 3), lifting.support) == (0.9, 0.75, 0.818, 12)
    assert lifting.confused_with == {"ask_work": 2, "ask_bed_rest": 1}


def test_confused_pairs_most_frequent_first_and_limited(report):
    rows = nlu_cv.intent_rows(report)
    assert nlu_cv.confused_pairs(rows) == [("ask_bed_rest", "ask_lifting", 2), ("ask_lifting", "ask_work", 2), ("ask_lifting", "ask_bed_rest", 1)]
    assert nlu_cv.confused_pairs(rows, limit=1) == [("ask_bed_rest", "ask_lifting", 2)]


def test_summary_takes_accuracy_and_the_averages(report):
    assert nlu_cv.summary(report) == {"accuracy": pytest.approx(0.8864, abs=1e-4), "macro_f1": pytest.approx(0.8018, abs=1e-4),
                                      "weighted_f1": 0.8848}


def test_summary_without_accuracy_uses_micro_avg():
    report = {"a": {"precision": 1, "recall": 1, "f1-score": 1, "support": 1}, "micro avg": {"precision": 0.7, "recall": 0.7, "f1-score": 0.7, "support": 3}}
    assert nlu_cv.summary(report) == {"accuracy": 0.7}


def test_story_outcomes_per_story_with_the_file_split_off():
    found = stories.outcomes(SAMPLES, "e2e")
    assert [(o.name, o.file, o.passed, o.mode) for o in found] == [
        ("question then treatment", "test_stories.yml", False, "e2e"),
        ("an alarm (with a bracket) in the middle", "test_stories.yml", True, "e2e"),
        ("small talk only", "test_stories.yml", True, "e2e"),
    ]


def test_story_outcomes_of_a_missing_results_folder_are_empty(tmp_path):
    assert stories.outcomes(tmp_path / "nothing") == []


def test_the_test_stories_are_in_rasas_format_with_texts_and_intents():
    """tests/stories/*.yml: every user step has a text and an intent (--e2e needs both)."""
    from ruamel.yaml import YAML

    # Rasa reads a file as test stories only when its name starts with "test_"; `--e2e` skips the others.
    assert all(p.name.startswith("test_") for p in stories.TEST_STORIES.glob("*.yml"))
    data = YAML(typ="safe", pure=True).load((stories.TEST_STORIES / "test_stories.yml").read_text(encoding="utf-8"))
    steps = [s for story in data["stories"] for s in story["steps"]]
    users = [s for s in steps if "user" in s]
    assert len(data["stories"]) >= 5 and users
    assert all(s.get("intent") and s["user"].strip() for s in users)
    assert {"action_contact_immediately", "action_answer_question", "utter_chitchat"} <= {s.get("action") for s in steps}


def test_progress_reads_rasas_progress_bars():
    """The lines Rasa 3.6 prints during a fold (copied from a run), as the progress display reads them."""
    epoch = "Epochs:  37%|███▋      | 13/35 [01:48<02:41,  7.33s/it, t_loss=3.7, i_acc=0.998]"
    predict = "  5%|▌         | 106/2090 [00:01<00:26, 74.78it/s]"
    assert nlu_cv._BAR.search(epoch).groups() == ("Epochs:", "13", "35")
    assert nlu_cv._BAR.search(predict).groups() == (None, "106", "2090")
    assert nlu_cv._BAR.search("2026-11-24 INFO rasa - 3/4 done") is None
    assert nlu_cv._FOLD_START.search("2026-11-24 01:28:18 INFO     rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.")
