from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswerQuestion, ActionFallback, ActionOutOfScope


def test_answer_from_the_leaflet_with_source(dispatcher, make_tracker):
    tracker = make_tracker("mag ik tillen?", "ask_lifting", metadata={"procedure": "bloedpatch"})
    events = ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert "1 week" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"] == {"sources": [{"leaflet": "bloedpatch-na-ruggenprik", "section": "Nazorg"}]}
    assert SlotSet("procedure", "bloedpatch") in events and SlotSet("pending_topic", None) in events


def test_without_procedure_answers_per_treatment_asks_then_answers_and_remembers(make_tracker, dispatcher):
    events = ActionAnswerQuestion().run(dispatcher, make_tracker("hoelang niet tillen?", "ask_lifting"), {})
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("Het antwoord verschilt per behandeling") and "Welke behandeling" in texts[-1]
    assert any(t.startswith("Bij een hernia in de rug:") and "8 weken" in t for t in texts)
    assert len(dispatcher.messages[-1]["custom"]["sources"]) == 3  # one per treatment, on the last message
    assert SlotSet("pending_topic", "lifting") in events and SlotSet("procedure", None) in events

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


def _ranked(tracker, *pairs):
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in pairs]
    return tracker


def test_leaflet_words_break_a_near_tie_between_intents(dispatcher, make_tracker):
    # Rasa hesitates between two topics; the question's words ("autorijden") are the driving answer's.
    ActionAnswerQuestion().run(dispatcher, _ranked(make_tracker("mag ik na de prik zelf autorijden naar huis?", "ask_going_home", metadata={"procedure": "wortelinfiltratie"}),
                                                   ("ask_going_home", 0.48), ("ask_driving", 0.44)), {})
    assert "24 uur" in dispatcher.messages[-1]["text"]


def test_a_confident_intent_is_not_overruled_by_words(dispatcher, make_tracker):
    tracker = _ranked(make_tracker("hoelang moet ik plat liggen, mag ik dan autorijden?", "ask_lying_flat", metadata={"procedure": "bloedpatch"}),
                      ("ask_lying_flat", 0.9), ("ask_driving", 0.05))
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["sources"][0]["section"] == "Enkele uren plat liggen"


def test_unsure_rasa_answers_only_when_the_leaflet_words_agree(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionClarify

    agree = CollectingDispatcher()
    tracker = _ranked(make_tracker("duiken met dat ding?", "nlu_fallback", metadata={"procedure": "ruggenmergstimulatie"}),
                      ("nlu_fallback", 0.35), ("ask_diving", 0.3), ("ask_magnets", 0.2))
    ActionClarify().run(agree, tracker, {})
    assert agree.messages[0]["custom"]["sources"][0]["leaflet"] == "ruggenmergstimulatie-proefstimulatie"

    disagree = CollectingDispatcher()
    tracker = _ranked(make_tracker("duiken met dat ding?", "nlu_fallback", metadata={"procedure": "ruggenmergstimulatie"}),
                      ("nlu_fallback", 0.35), ("ask_magnets", 0.3), ("ask_diving", 0.2))
    events = ActionClarify().run(disagree, tracker, {})
    assert disagree.messages == [{"response": "utter_ask_rephrase", **{k: v for k, v in disagree.messages[0].items() if k != "response"}}]
    assert events == []


def test_background_with_a_question_gets_the_answer_without_one_an_acknowledgement(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionInformContext

    question = CollectingDispatcher()
    tracker = _ranked(make_tracker("mijn neuroloog wil een mri laten maken. kan dat met de stimulator?", "inform_context"),
                      ("inform_context", 0.6), ("ask_mri", 0.3))
    ActionInformContext().run(question, tracker, {})
    assert "strikte voorwaarden" in question.messages[0]["text"]

    statement = CollectingDispatcher()
    events = ActionInformContext().run(statement, make_tracker("ik heb gisteren een bloedpatch gehad", "inform_context"), {})
    assert statement.messages[0]["response"] == "utter_inform_context"
    assert SlotSet("procedure", "bloedpatch") in events


def test_a_treatment_with_two_leaflets_answers_from_both(dispatcher, make_tracker):
    tracker = make_tracker("welke pijnstillers mag ik nemen?", "ask_pain_relief", metadata={"procedure": "hernia"})
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert [m["text"].splitlines()[-1] for m in dispatcher.messages] == [
        "Bron: folder Rughernia, Pijnstillers", "Bron: folder Keuzekaart Hernia in de rug, Wat zijn de risico’s en bijwerkingen?"]
    assert len(dispatcher.messages[-1]["custom"]["sources"]) == 2


def test_a_department_named_tells_the_treatment_only_when_nothing_else_does(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    unknown = CollectingDispatcher()
    ActionAnswerQuestion().run(unknown, make_tracker("wat is het nummer van de poli pijnbestrijding?", "ask_contact"), {})
    assert "088 320 68 00" in unknown.messages[0]["text"]

    known = CollectingDispatcher()
    tracker = make_tracker("wat is het nummer van de poli pijnbestrijding?", "ask_contact", metadata={"procedure": "wortelinfiltratie"})
    ActionAnswerQuestion().run(known, tracker, {})
    assert "015 89 22 50" in known.messages[0]["text"]


def test_questions_are_told_from_chat_style_statements():
    from actions.context import is_question

    assert is_question("mag ik tillen") and is_question("hoelang plat") and is_question("is het normaal dat mijn rug stijf is")
    assert is_question("Kan ik douchen?")
    assert not is_question("kan gewoon plassen hoor") and not is_question("heb geen koorts meer") and not is_question("")
