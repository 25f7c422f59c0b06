"""The Markdown report: table cells stay cells whatever a patient typed, and every section renders."""
from pathlib import Path

from bot.evaluation import compare, markdown_report, nlu_cv, plots, stories
from tests.bot.test_report_compare import _figures

SAMPLES = Path(__file__).parent / "report_samples"


def test_a_pipe_or_newline_in_a_text_does_not_break_the_table():
    assert markdown_report.cell("koorts | 39 graden\nen hoofdpijn") == "koorts \\| 39 graden en hoofdpijn"
    assert markdown_report.cell("a\\|b") == "a\\\\\\|b"  # an escaped pipe in the text cannot unescape ours
    assert markdown_report.cell(None) == ""
    rendered = markdown_report.table(["set", "text"], [["s", "ik heb | koorts\n38,5"]])
    row = rendered.splitlines()[2]
    # two cells: exactly three unescaped separators
    assert row.replace("\\|", "").count("|") == 3
    assert rendered.splitlines()[1] == "|---|---|"


def _render(now, before):
    import json

    report = json.loads((SAMPLES / "intent_report.json").read_text(encoding="utf-8"))
    rows = nlu_cv.intent_rows(report)
    outcomes = stories.outcomes(SAMPLES, "e2e")
    now = {**now, "meta": {"model": "abc.tar.gz", "created": "2026-11-24T01:00:00", "code": "eeec35e"},
           "nlu_cv": {"folds": 3, "seconds": 600.0, **nlu_cv.summary(report)}, "stories": {"passed": 2, "total": 3},
           "timings": {"scoring": 300.0}}
    return markdown_report.render(now, rows, nlu_cv.confused_pairs(rows), outcomes, "# failed story yaml", "old.tar.gz" if before else None,
                                  compare.deltas(now, before) if before else [], compare.changed_cases(now, before) if before else [],
                                  ["folds | differ"] if before else [])


def test_the_report_has_every_section_and_the_miss_texts_escaped():
    now = _figures(["t|1"], ["q1"])
    now["sets"]["acceptance_triage_with_procedure"]["texts"] = {"t|1": "rug | been slap"}
    text = _render(now, _figures([], ["q1"]))
    for heading in ("## Alarm recall, false escalations and answer accuracy", "## NLU cross-validation per intent",
                    "## Stories (`rasa test core`)", "## Differences against the previous model"):
        assert heading in text
    assert "| acceptance triage | t\\|1 | rug \\| been slap |" in text
    assert "| acceptance triage | t\\|1 | newly wrong | rug \\| been slap |" in text
    assert "`ask_bed_rest` 0.50" in text  # the worst intent is named
    assert "| ask_lifting | ask_work | 2 |" in text
    assert "| question then treatment | test_stories.yml | e2e | FAIL |" in text
    assert "| acceptance triage — alarm recall | 90.0% | 100.0% | -10.0 |" in text
    assert "![recall and accuracy per set](sets.png)" in text
    assert "Note: folds | differ" in text


def test_without_previous_figures_the_report_says_so():
    text = _render(_figures([], []), None)
    assert "No previous figures" in text


def test_charts_are_png_files(tmp_path):
    sets = _figures(["t1"], [])["sets"]
    for path in (plots.sets_chart(sets, None, tmp_path / "a.png"), plots.sets_chart(sets, sets, tmp_path / "b.png"),
                 plots.confusions_chart([("ask_lifting", "ask_work", 3)], tmp_path / "c.png")):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
