"""The retraining gate: the suite fails when a change or a retrain makes triage or answers worse.

Runs on the session's running stack (the model trained for this run), through POST /api/chat:
- alarm recall 100% on the public acceptance set, with and without the procedure field, and on the
  project's regression batch 1; batches 2 and 3 at their measured floors (tests/gate_baseline.yml);
- answer accuracy on the acceptance questions and the project's own question set at most 2 points
  below the figures of the last accepted model (tests/gate_baseline.yml).
The acceptance set is only scored here, never trained on.
"""
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.evaluation import acceptance
from bot.evaluation.channels import ApiChannel
from bot.evaluation.report import regression_items
from tests.conftest import TEST_SECRET

pytestmark = pytest.mark.stack

BASELINE = YAML(typ="safe", pure=True).load((Path(__file__).parent / "gate_baseline.yml").read_text(encoding="utf-8"))


def _acceptance(name):
    path = acceptance.DEFAULT_DIR / name
    if not path.exists():
        pytest.fail(f"the acceptance set is missing: {path} (the repository expects ../shared/acceptance beside it)", pytrace=False)
    return acceptance.read_jsonl(path)


@pytest.fixture(scope="module")
def channel(stack):
    client = ApiChannel(stack.api_url, TEST_SECRET)
    yield client
    client.http.close()


def _allowed(key: str) -> float:
    return BASELINE["answer_accuracy"][key] - BASELINE["max_drop_points"] / 100


@pytest.mark.parametrize("with_procedure", [True, False], ids=["with-procedure", "without-procedure"])
def test_every_acceptance_alarm_escalates(channel, with_procedure):
    score = acceptance.score_triage(channel, _acceptance("triage.jsonl"), with_procedure)
    missed = [(m["id"], m["text"]) for m in score.misses if m["expected"]]
    assert not missed, f"alarm recall {score.caught}/{score.total_alarm}; missed: {missed}"


@pytest.mark.parametrize("name", sorted(BASELINE["alarm_recall_floor"]))
def test_regression_alarm_recall_holds(channel, name):
    score = acceptance.score_triage(channel, regression_items(name), with_procedure=True)
    floor = BASELINE["alarm_recall_floor"][name]
    missed = [m["text"] for m in score.misses if m["expected"]]
    assert score.recall >= floor, f"{name}: recall {score.caught}/{score.total_alarm} below {floor:.0%}; missed: {missed}"


@pytest.mark.parametrize("with_procedure", [True, False], ids=["with-procedure", "without-procedure"])
def test_acceptance_answer_accuracy_drops_at_most_two_points(channel, with_procedure):
    key = "acceptance_with_procedure" if with_procedure else "acceptance_without_procedure"
    result = acceptance.score_questions(channel, _acceptance("questions.jsonl"), with_procedure)
    assert result["accuracy"] >= _allowed(key), (
        f"{result['correct']}/{result['total']} = {result['accuracy']:.1%}, baseline {BASELINE['answer_accuracy'][key]:.1%}; "
        f"misses: {[m['id'] for m in result['misses']]}"
    )


def test_own_question_accuracy_drops_at_most_two_points(channel):
    cases = YAML(typ="safe", pure=True).load((Path(__file__).parent / "bot" / "question_cases.yml").read_text(encoding="utf-8"))["cases"]
    result = acceptance.score_own_questions(channel, cases)
    accuracy = result["correct"] / result["total"]
    assert accuracy >= _allowed("own_questions"), f"{result['correct']}/{result['total']} = {accuracy:.1%}"


def test_acceptance_conversations_escalate_at_the_right_turn_and_stay_escalated(channel):
    result = acceptance.score_conversations(channel, _acceptance("conversations.jsonl"))
    assert not result["failures"], result["failures"]


@pytest.mark.parametrize("name", sorted(BASELINE["blind_batch_floor"]))
def test_blind_batches_hold_their_floor_through_the_api(channel, name):
    from bot.evaluation import batches

    floor = BASELINE["blind_batch_floor"][name]
    result = batches.score(channel, batches.load(Path(__file__).parent / "bot" / name))
    missed = [m["id"] for m in result.misses if m["expected"] == "escalate"]
    assert result.recall >= floor["recall"], f"{name}: recall {result.total.caught}/{result.total.alarms}; missed {missed}"
    assert result.false_rate <= floor["false_rate"], f"{name}: false escalations {result.total.false}/{result.total.calm}"
    assert result.conversations["passed"] >= floor["conversations"], result.conversations["failures"]


@pytest.mark.parametrize("name", sorted(BASELINE.get("question_batch_floor") or {}))
def test_blind_question_batches_hold_their_floor_through_the_api(channel, name):
    from bot.evaluation import question_batches

    floor = BASELINE["question_batch_floor"][name]
    result = question_batches.score(channel, question_batches.load(Path(__file__).parent / "bot" / name))
    with_click = (result.right + result.after_click) / result.total
    misses = [(m["id"], m["class"]) for m in result.misses]
    assert result.accuracy >= floor["first_reply"], f"{name}: {result.right}/{result.total} at the first reply; {misses}"
    assert with_click >= floor["with_click"], f"{name}: {result.right + result.after_click}/{result.total} with a click; {misses}"
    # never "kunt u het anders zeggen" to a question the leaflet answers, never another treatment unannounced
    assert result.classes["asked to rephrase"] == 0, misses
    assert result.classes["another treatment, not said"] == 0, misses
    assert result.classes["escalated"] <= floor["escalated"], misses
