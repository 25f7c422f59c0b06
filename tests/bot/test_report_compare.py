"""Differences between two runs' figures.json: deltas per figure and the cases that changed outcome."""
import json
import os
import time

from bot.evaluation import compare


def _figures(recall_misses, question_misses, nlu_accuracy=None, stories=None):
    alarms, calm = 10, 10
    caught = alarms - len(recall_misses)
    return {
        "sets": {
            "acceptance_triage_with_procedure": {
                "label": "acceptance triage", "kind": "triage", "value": caught / alarms, "recall": caught / alarms,
                "caught": caught, "alarms": alarms, "false_escalations": 1, "calm": calm, "false_rate": 0.1,
                "misses": recall_misses, "texts": {m: f"text of {m}" for m in recall_misses}},
            "own_questions": {"label": "own question set", "kind": "questions", "value": (20 - len(question_misses)) / 20,
                              "correct": 20 - len(question_misses), "total": 20, "misses": question_misses, "texts": {}},
        },
        "nlu_cv": {"folds": 3, "accuracy": nlu_accuracy} if nlu_accuracy is not None else None,
        "stories": stories,
    }


def test_deltas_in_points_per_figure():
    now = _figures(["t1"], ["q1"], nlu_accuracy=0.9, stories={"passed": 6, "total": 7})
    before = _figures(["t2", "t3"], ["q1", "q2"], nlu_accuracy=0.85, stories={"passed": 7, "total": 7})
    rows = {d.key: d for d in compare.deltas(now, before)}
    assert rows["acceptance_triage_with_procedure"].points == 10.0  # 90% against 80%
    assert rows["acceptance_triage_with_procedure.false_rate"].points == 0.0
    assert rows["own_questions"].points == 5.0
    assert rows["nlu_cv.accuracy"].points == 5.0
    assert rows["stories"].points == round(100 * (6 / 7 - 1), 2)
    assert rows["own_questions"].label == "own question set — accuracy"


def test_a_figure_only_one_run_has_gets_no_delta():
    now = _figures([], [], nlu_accuracy=0.9)
    before = _figures([], [])  # its report skipped the cross-validation
    row = {d.key: d for d in compare.deltas(now, before)}["nlu_cv.accuracy"]
    assert (row.current, row.previous, row.points) == (0.9, None, None)
    gone = {d.key: d for d in compare.deltas(before, now)}["nlu_cv.accuracy"]
    assert (gone.current, gone.previous) == (None, 0.9)


def test_changed_cases_newly_wrong_first_then_newly_right():
    now = _figures(["t1", "t4"], ["q1"])
    before = _figures(["t1", "t2"], ["q1", "q3"])
    changes = [(c.set_key, c.case, c.now, c.text) for c in compare.changed_cases(now, before)]
    assert changes == [
        ("acceptance_triage_with_procedure", "t4", "broken", "text of t4"),
        ("acceptance_triage_with_procedure", "t2", "fixed", "text of t2"),
        ("own_questions", "q3", "fixed", ""),
    ]


def test_identical_runs_have_no_changes_and_zero_deltas():
    run = _figures(["t1"], ["q1"], nlu_accuracy=0.8)
    assert compare.changed_cases(run, run) == []
    assert all(d.points == 0 for d in compare.deltas(run, run))


def test_a_set_missing_in_the_previous_run_is_not_listed_as_changed():
    now, before = _figures(["t1"], []), _figures([], [])
    del before["sets"]["acceptance_triage_with_procedure"]
    assert compare.changed_cases(now, before) == []


def test_newest_other_figures_skips_the_current_report(tmp_path):
    for name, age in (("old", 300), ("newer", 100), ("current", 0)):
        (tmp_path / name).mkdir()
        path = tmp_path / name / "figures.json"
        path.write_text(json.dumps({"name": name}))
        os.utime(path, (time.time() - age, time.time() - age))
    found = compare.newest_other_figures(tmp_path, tmp_path / "current")
    assert found == tmp_path / "newer" / "figures.json"
    assert compare.load_figures(found.parent) == {"name": "newer"}
    assert compare.newest_other_figures(tmp_path / "none", tmp_path / "current") is None


def test_a_different_number_of_folds_is_pointed_out():
    now, before = _figures([], [], nlu_accuracy=0.75), _figures([], [], nlu_accuracy=0.785)
    assert compare.caveats(now, before) == []
    now["nlu_cv"]["folds"] = 2
    assert compare.caveats(now, before) == [
        "The cross-validation used 2 folds now and 3 before: fewer folds train on less data, so its figures are lower for that reason alone."]
