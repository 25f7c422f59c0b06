from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswerQuestion, ActionFallback, ActionOutOfScope
from bot import answering


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


def test_another_treatment_named_is_answered_and_the_reply_says_so_first(dispatcher, make_tracker):
    tracker = make_tracker("mag ik autorijden na de wortelinfiltratie?", "ask_driving", slots={"procedure": "bloedpatch"})
    events = ActionAnswerQuestion().run(dispatcher, tracker, {})
    first, answer = dispatcher.messages[0]["text"], dispatcher.messages[1]["text"]
    assert first.startswith("Let op: u vraagt naar de wortelinfiltratie") and "bloedpatch" in first
    assert "24 uur" in answer and answer.endswith("Wortelinfiltratie en -denervatie, Voorbereiding")
    assert SlotSet("procedure", "bloedpatch") in events  # the patient's own treatment stays the one known


def test_a_lay_word_does_not_override_the_portal(dispatcher, make_tracker):
    # "het kastje" is the stimulator's lay name, but this patient's portal says root infiltration.
    tracker = make_tracker("moet ik dat kastje iets doen met mijn bloedverdunners?", "ask_anticoagulants", metadata={"procedure": "wortelinfiltratie"})
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    texts = " ".join(m["text"] for m in dispatcher.messages)
    assert "12 uur" in texts and "een week voor de ingreep" not in texts


def test_topic_not_in_the_leaflet_is_answered_honestly_with_a_phone_number(dispatcher, make_tracker):
    tracker = _ranked(make_tracker("mag ik autorijden?", "ask_driving", metadata={"procedure": "bloedpatch"}), ("ask_driving", 0.9))
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "staat niets in de folder" in text and "088 320 31 00" in text
    assert "custom" not in dispatcher.messages[0] or not dispatcher.messages[0].get("custom")


def test_an_activity_no_leaflet_mentions_is_never_answered_with_a_neighbouring_topic(dispatcher, make_tracker):
    # Rasa's guess (diving) shares the water; the leaflet says nothing about swimming: say so.
    tracker = _ranked(make_tracker("mag ik zwemmen met de stimulator?", "ask_diving", metadata={"procedure": "ruggenmergstimulatie"}),
                      ("ask_diving", 0.8), ("ask_wound_care", 0.1))
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Over zwemmen staat niets in de folder") and "088 320 68 00" in text and "10 meter" not in text


def test_out_of_scope_and_fallback_reply_in_dutch(dispatcher, make_tracker):
    ActionOutOfScope().run(dispatcher, make_tracker("wat vind jij van voetbal", "out_of_scope", metadata={"procedure": "ruggenmergstimulatie"}), {})
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


def test_close_topics_are_offered_as_buttons_and_a_click_answers_the_chosen_one(dispatcher, make_tracker, monkeypatch):
    # Rasa and the answers' classifier hesitate between two topics and the words do not settle it: ask, with buttons.
    # (The classifier's hesitation is set here: how sure it is of a given sentence changes with its data.)
    from bot import topic_classifier

    monkeypatch.setattr(topic_classifier, "ranking", lambda text: [{"name": "ask_going_home", "confidence": 0.5},
                                                                   {"name": "ask_driving", "confidence": 0.5}])
    tracker = _ranked(make_tracker("kan ik na de prik met de auto naar huis?", "ask_going_home", metadata={"procedure": "wortelinfiltratie"}),
                      ("ask_going_home", 0.48), ("ask_driving", 0.46))
    events = ActionAnswerQuestion().run(dispatcher, tracker, {})
    offer = dispatcher.messages[-1]
    assert offer["text"].startswith("Ik weet niet zeker wat u bedoelt. Bedoelt u")
    assert {b["payload"] for b in offer["buttons"]} == {"/ask_going_home", "/ask_driving", "/choose_other_topic"}
    assert offer["buttons"][-1]["title"] == "Iets anders"
    assert SlotSet("procedure", "wortelinfiltratie") in events

    from rasa_sdk.executor import CollectingDispatcher

    clicked = CollectingDispatcher()
    ActionAnswerQuestion().run(clicked, make_tracker("/ask_driving", "ask_driving", metadata={"procedure": "wortelinfiltratie"}), {})
    assert "24 uur" in clicked.messages[0]["text"] and clicked.messages[-1]["custom"]["sources"][0]["section"] == "Voorbereiding"

    # "Iets anders" is answered by the chat service (tests/api/test_topic_offers.py): the rephrase
    # request, with an example for the patient's own treatment, not the blood patch
    other = answering.rephrase("wortelinfiltratie")
    assert "wortelinfiltratie" in other.texts[0] and "bloedpatch" not in other.texts[0] and "015 89 22 50" in other.texts[-1]


def test_a_confident_intent_is_not_overruled_by_words(dispatcher, make_tracker):
    tracker = _ranked(make_tracker("hoelang moet ik plat liggen, mag ik dan autorijden?", "ask_lying_flat", metadata={"procedure": "bloedpatch"}),
                      ("ask_lying_flat", 0.9), ("ask_driving", 0.05))
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["custom"]["sources"][0]["section"] == "Enkele uren plat liggen"


def test_unsure_rasa_answers_when_the_leaflet_words_point_to_one_topic_and_asks_back_otherwise(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionClarify

    agree = CollectingDispatcher()
    tracker = _ranked(make_tracker("duiken met dat ding?", "nlu_fallback", metadata={"procedure": "ruggenmergstimulatie"}),
                      ("nlu_fallback", 0.35), ("ask_diving", 0.3), ("ask_magnets", 0.2))
    ActionClarify().run(agree, tracker, {})
    assert agree.messages[0]["custom"]["sources"][0]["leaflet"] == "ruggenmergstimulatie-proefstimulatie"

    # The words settle it even when Rasa's best guess was another topic.
    words = CollectingDispatcher()
    tracker = _ranked(make_tracker("duiken met dat ding?", "nlu_fallback", metadata={"procedure": "ruggenmergstimulatie"}),
                      ("nlu_fallback", 0.35), ("ask_magnets", 0.3), ("ask_diving", 0.2))
    ActionClarify().run(words, tracker, {})
    assert "10 meter" in words.messages[0]["text"]

    # Nothing to go on: the rephrase request, with an example for this patient's treatment (a hernia).
    nothing = CollectingDispatcher()
    tracker = _ranked(make_tracker("hmm ok", "nlu_fallback", metadata={"procedure": "hernia"}), ("nlu_fallback", 0.35), ("ask_magnets", 0.1))
    ActionClarify().run(nothing, tracker, {})
    assert "anders zeggen" in nothing.messages[0]["text"] and "hernia" in nothing.messages[0]["text"] and "bloedpatch" not in nothing.messages[0]["text"]


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
    # each leaflet's part its own message, each with its own "Bron:" line
    assert [m["text"].splitlines()[-1] for m in dispatcher.messages] == [
        "Bron: folder Rughernia, Pijnstillers", "Bron: folder Keuzekaart Hernia in de rug, Wat zijn de risico’s en bijwerkingen?"]
    assert len(dispatcher.messages[-1]["custom"]["sources"]) == 2


def test_two_leaflets_with_different_figures_say_so(dispatcher, make_tracker):
    tracker = make_tracker("gaat een hernia vanzelf over?", "ask_natural_course", metadata={"procedure": "hernia"})
    ActionAnswerQuestion().run(dispatcher, tracker, {})
    texts = [m["text"] for m in dispatcher.messages]
    assert len(texts) == 3 and "twee verschillende folders" in texts[-1]
    assert "75 van de 100" in " ".join(texts) and "90%" in " ".join(texts)


def test_a_department_named_tells_the_treatment_only_when_nothing_else_does(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    unknown = CollectingDispatcher()
    ActionAnswerQuestion().run(unknown, make_tracker("wat is het nummer van de poli pijnbestrijding?", "ask_contact"), {})
    texts = [m["text"] for m in unknown.messages]
    assert texts[0].startswith("Ik ga ervan uit dat uw vraag over de proefstimulatie") and "088 320 68 00" in texts[1]
    assert "Buiten kantoortijden" in texts[-1]  # contact answers give the route outside office hours too

    known = CollectingDispatcher()
    tracker = make_tracker("wat is het nummer van de poli pijnbestrijding?", "ask_contact", metadata={"procedure": "wortelinfiltratie"})
    ActionAnswerQuestion().run(known, tracker, {})
    assert "015 89 22 50" in known.messages[0]["text"]


def test_questions_are_told_from_chat_style_statements():
    from actions.context import is_question

    assert is_question("mag ik tillen") and is_question("hoelang plat") and is_question("is het normaal dat mijn rug stijf is")
    assert is_question("Kan ik douchen?")
    assert not is_question("kan gewoon plassen hoor") and not is_question("heb geen koorts meer") and not is_question("")



def test_background_with_a_dictated_question_later_in_it_gets_the_answer(make_tracker):
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionInformContext

    dictated = CollectingDispatcher()
    tracker = _ranked(make_tracker("mijn vader heeft de proefstimulator gekregen mag hij nu autorijden", "inform_context",
                                   metadata={"procedure": "ruggenmergstimulatie"}),
                      ("inform_context", 0.6), ("ask_driving", 0.3))
    ActionInformContext().run(dictated, tracker, {})
    assert dictated.messages[0].get("response") != "utter_inform_context"
    assert "verkeer" in dictated.messages[0]["text"]
