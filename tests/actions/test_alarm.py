from rasa_sdk.events import SlotSet

from actions.alarm import ActionContactImmediately
from bot import answering


def test_alarm_intent_gives_contact_advice_and_escalation_payload(dispatcher, make_tracker):
    tracker = make_tracker("ik heb 38,9 koorts", "report_fever", metadata={"procedure": "bloedpatch"})
    events = ActionContactImmediately().run(dispatcher, tracker, {})
    assert SlotSet("escalated", True) in events
    assert SlotSet("procedure", "bloedpatch") in events
    assert SlotSet("alarm_reasons", ["fever"]) in events
    assert "088 320 31 00" in dispatcher.messages[0]["text"]
    payload = dispatcher.messages[-1]["custom"]
    assert payload["escalation"]["reasons"] == ["fever"]
    assert payload["escalation"]["contact"]["phone"] == "088 320 31 00"
    assert {s["text"] for s in payload["alarm_spans"]} >= {"38,9"}


def test_reasons_accumulate_and_detector_adds_categories(dispatcher, make_tracker):
    tracker = make_tracker(
        "mijn been is slap en ik kan mijn plas niet ophouden", "report_neuro_deficit",
        slots={"alarm_reasons": ["fever"], "procedure": "hernia"},
    )
    events = ActionContactImmediately().run(dispatcher, tracker, {})
    assert SlotSet("alarm_reasons", ["bladder_bowel", "neuro_deficit", "fever"]) in events


def test_unknown_procedure_asks_which_treatment(dispatcher, make_tracker):
    ActionContactImmediately().run(dispatcher, make_tracker("mijn billen voelen doof", "report_saddle_anaesthesia"), {})
    texts = [m["text"] for m in dispatcher.messages]
    assert len(texts) == 2 and "Welke behandeling" in texts[1]
    assert dispatcher.messages[-1]["custom"]["escalation"]["contact"]["phone"] == ""


def test_detector_context_vetoes_a_wrong_nlu_alarm(dispatcher, make_tracker):
    tracker = make_tracker("ik heb geen koorts, 36,9 gemeten", "report_fever", metadata={"procedure": "bloedpatch"})
    events = ActionContactImmediately().run(dispatcher, tracker, {})
    assert SlotSet("escalated", True) not in events
    assert all("escalation" not in (m.get("custom") or {}) for m in dispatcher.messages)
    assert "088 320 31 00" in dispatcher.messages[0]["text"]  # when to call, from the leaflet


def test_infection_signs_only_escalate_after_the_stimulator_trial(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    for procedure, escalates in (("hernia", False), ("ruggenmergstimulatie", True)):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker("ik voel me niet lekker en duizelig", "report_infection_signs", metadata={"procedure": procedure})
        events = ActionContactImmediately().run(dispatcher, tracker, {})
        assert (SlotSet("escalated", True) in events) is escalates, procedure


def test_a_general_question_classified_as_an_alarm_is_answered_as_a_question(dispatcher, make_tracker):
    tracker = make_tracker("hoe groot wordt de snee bij de proefstimulatie?", "report_infection_signs")
    tracker.latest_message["intent_ranking"] = [
        {"name": "report_infection_signs", "confidence": 0.65}, {"name": "ask_procedure_explained", "confidence": 0.2},
    ]
    events = ActionContactImmediately().run(dispatcher, tracker, {})
    assert SlotSet("escalated", True) not in events
    # answered, or (Rasa and the answers' classifier see "proefstimulatie" and "snee" in several topics) the
    # topics offered, with the one that answers it
    offered = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert "3 cm" in dispatcher.messages[0]["text"] or "/ask_procedure_explained" in offered
    if offered:
        assert "3 cm" in answering.answer_intent("ask_procedure_explained", "ruggenmergstimulatie").texts[0]
