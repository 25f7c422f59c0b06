"""One definition of the alarm categories (data/triage/categories.yml): every part reads it."""
import pytest

from bot import data_checks, escalation, review, staff_texts
from bot.triage import categories


def test_the_categories_in_reply_order_with_their_routes():
    assert categories.codes() == ["emergency", "suicidal", "saddle_anaesthesia", "bladder_bowel", "neuro_deficit",
                                  "thrombosis", "fever", "infection_signs", "wound_complication"]
    assert {c.code: c.route for c in categories.alarms()}["suicidal"] == "suicide"
    assert categories.most_urgent_route(["fever", "thrombosis"]) == "department"
    assert categories.most_urgent_route(["thrombosis", "wound_complication"]) == "same_day"
    assert categories.most_urgent_route(["suicidal", "fever", "emergency"]) == "emergency"


def test_suicidal_thoughts_are_top_of_the_queue_and_a_notice_alone_is_last():
    assert review.urgency(["suicidal"]) > review.urgency(["emergency"]) > review.urgency(["saddle_anaesthesia", "bladder_bowel"])
    assert review.urgency(["saddle_anaesthesia"]) > review.urgency(["neuro_deficit"]) > review.urgency(["fever"])
    assert review.urgency(["fever"]) > review.urgency(["other_language"]) == review.urgency(["red_flag_question"])


def test_every_category_is_complete_in_domain_rules_training_data_lexicons_and_texts():
    assert data_checks.incomplete_categories(data_checks.nlu_examples()) == []


def test_a_new_category_reaches_every_reader(monkeypatch):
    """Adding a category is one edit of categories.yml (plus its words and texts): the readers follow."""
    alarms, notices = categories._load()
    extra = categories.Category("sepsis", len(alarms), 5, "emergency", "report_sepsis", "sepsis")
    monkeypatch.setattr(categories, "_load", lambda: ({**alarms, "sepsis": extra}, notices))
    from api.schemas import ChatResponse, Escalation

    assert "sepsis" in ChatResponse.schema()["definitions"]["Escalation"]["properties"]["reasons"]["items"]["enum"]
    Escalation(level="contact_immediately", reasons=["sepsis"], contact={"name": "", "phone": "", "hours": ""})
    assert categories.by_intent()["report_sepsis"] == "sepsis"
    assert "sepsis" in review.alarm_categories() and staff_texts.label("categories", "sepsis") == "sepsis"
    assert escalation.escalation(["fever", "sepsis"], "hernia")["contact"]["phone"] == "112"
    with pytest.raises(ValueError):
        Escalation(level="contact_immediately", reasons=["bogus"], contact={"name": "", "phone": "", "hours": ""})
