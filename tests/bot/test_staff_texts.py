"""Every code a staff page shows has a Dutch label, and every error key in bot/review.py and the
staff pages has a Dutch text (data/staff_texts.yml)."""
import re
from pathlib import Path

import pytest

from bot import audit, paths, review, staff_texts


@pytest.mark.parametrize("group, codes", [
    ("categories", review.queue_categories()), ("statuses", review.STATUSES), ("feedback_kinds", review.FEEDBACK_KINDS),
    ("question_answers", ("yes", "no", "other", "pending")),
    ("events", (*review.ACTIONS, "feedback", "manual_flag")), ("audit_actions", audit.ACTIONS),
])
def test_every_code_has_a_dutch_label(group, codes):
    for code in codes:
        shown = staff_texts.label(group, code)
        assert shown != code and shown.strip(), (group, code)


def test_the_category_labels_are_the_ones_nurses_use():
    labels = {c: staff_texts.label("categories", c) for c in review.queue_categories()}
    assert labels == {
        "emergency": "spoed (112)", "suicidal": "suïcidale gedachten", "saddle_anaesthesia": "zadelanesthesie",
        "bladder_bowel": "blaas/darm", "neuro_deficit": "krachtverlies/gevoelsverlies", "thrombosis": "trombose",
        "fever": "koorts", "infection_signs": "infectietekenen", "wound_complication": "wondprobleem",
        "other_language": "andere taal", "red_flag_question": "rode-vlagvraag gesteld"}
    assert staff_texts.label("categories", "unknown_code") == "unknown_code"  # shown as is, the page still renders


def test_every_error_key_raised_has_a_dutch_text():
    sources = [Path(review.__file__), paths.ROOT / "api" / "routes" / "nurse.py", paths.ROOT / "api" / "staff_deps.py"]
    keys = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        keys |= set(re.findall(r'ReviewError\(f?"[^"]*", "(\w+)"', text))
        keys |= set(re.findall(r'StaffPageError\(status\.\w+, "(\w+)"', text))
    assert len(keys) >= 12, keys
    for key in keys:
        assert staff_texts.get(f"errors.{key}", limit=1, categories="koorts", role="verpleegkundige")


def test_texts_are_filled_in():
    assert staff_texts.get("queue.count_many", n=3) == "3 gesprekken"
    assert staff_texts.get("errors.note_too_long", limit=2000) == "De notitie is langer dan 2000 tekens."
