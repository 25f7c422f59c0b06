from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswerQuestion, ActionFallback, ActionOutOfScope


def test_answer_from_the_leaflet_with_source(dispatcher, make_tracker):
    tracker = make_tracker("mag ik tillen?", "ask_lifting", metadata={"procedure": "bloedpatch"})
    events = ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert "1 week" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"] == {"sources": [{"leaflet": "bloedpatch-na-ruggenprik", "section": "Nazorg"}]}
    assert SlotSet("procedure", "bloedpatch") in events and SlotSet("pending_topic", None) in events


def test_without_procedure_asks_then_answers_and_remembers(make_tracker, dispatcher):
    events = ActionAnswerQuestion().run(dispatcher, make_tracker("hoelang niet tillen?", "ask_lifting"), {})
    assert "Welke behandeling" in dispatcher.messages[0]["text"]
    assert SlotSet("pending_topic", "lifting") in events

    from rasa_sdk.executor import CollectingDispatcher

    second = CollectingDispatcher()
    tracker = make_tracker("een hernia-operatie", "inform_procedure", slots={"pending_topic": "lifting"})
    events = ActionAnswerQuestion().run(second, tracker, {})
    assert "8 weken" in second.messages[0]["text"]
    assert SlotSet("procedure", "hernia") in events and SlotSet("pending_topic", None) in events


def test_procedure_named_in_the_message_wins_over_the_slot(dispatcher, make_tracker):
    tracker = make_tracker("mag ik autorijden na de wortelinfiltratie?", "ask_driving", slots={"procedure": "bloedpatch"})
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert "24 uur" in dispatcher.messages[0]["text"]


def test_topic_not_in_the_leaflet_is_answered_honestly_with_a_phone_number(dispatcher, make_tracker):
    tracker = make_tracker("mag ik autorijden?", "ask_driving", metadata={"procedure": "bloedpatch"})
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "staat niets in de folder" in text and "088 320 31 00" in text
    assert "custom" not in dispatcher.messages[0] or not dispatcher.messages[0].get("custom")


def test_out_of_scope_and_fallback_reply_in_dutch(dispatcher, make_tracker):
    ActionOutOfScope().run(dispatcher, make_tracker("waar kan ik parkeren?", "out_of_scope", metadata={"procedure": "ruggenmergstimulatie"}), {})
    ActionFallback().run(dispatcher, make_tracker("???", "nlu_fallback"), {})
    texts = " ".join(m["text"] for m in dispatcher.messages)
    assert "088 320 68 00" in texts and "112" in texts


def test_question_naming_the_treatment_is_answered_not_taken_as_inform_procedure(dispatcher, make_tracker):
    tracker = make_tracker("mag ik blijven slapen na de proefplaatsing?", "inform_procedure")
    tracker.latest_message["intent_ranking"] = [
        {"name": "inform_procedure", "confidence": 0.54}, {"name": "ask_going_home", "confidence": 0.22},
    ]
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["sources"][0]["leaflet"] == "ruggenmergstimulatie-proefstimulatie"
