"""Choosing the topic of a question from Rasa's ranking and the leaflets' words (bot/answering.py)."""
from bot import answering, topic_match


def _ranking(*pairs):
    return [{"name": name, "confidence": conf} for name, conf in pairs]


def test_leaflet_words_find_the_topic():
    assert topic_match.rank("wanneer mag ik weer autorijden", "wortelinfiltratie")[0][0] == "driving"
    assert topic_match.rank("kan ik door de detectiepoortjes in de winkel", "ruggenmergstimulatie")[0][0] == "magnets"


def test_only_the_treatments_leaflets_are_searched():
    assert "diving" not in dict(topic_match.rank("mag ik duiken", "bloedpatch"))


def test_a_broad_intent_sharing_no_word_with_the_question_yields_to_one_that_does():
    ranking = _ranking(("ask_alarm_symptoms", 0.5), ("ask_driving", 0.2))
    assert answering.choose_topic(ranking, "mag ik autorijden na de wortelinfiltratie?", "wortelinfiltratie") == "driving"


def test_a_confident_intent_stands():
    ranking = _ranking(("ask_lifting", 0.9), ("ask_driving", 0.05))
    assert answering.choose_topic(ranking, "mag ik tillen en autorijden?", "bloedpatch") == "lifting"


def test_unsure_rasa_gets_a_topic_only_when_the_words_agree():
    agree = _ranking(("nlu_fallback", 0.35), ("ask_diving", 0.3))
    disagree = _ranking(("nlu_fallback", 0.35), ("ask_magnets", 0.3))
    assert answering.choose_topic(agree, "duiken?", "ruggenmergstimulatie", agreement_only=True) == "diving"
    assert answering.choose_topic(disagree, "duiken?", "ruggenmergstimulatie", agreement_only=True) is None


def test_without_the_treatment_the_bot_asks_unless_the_words_point_to_one():
    asked = answering.answer_topic("lifting", None, "hoelang niet tillen?")
    assert asked.pending_topic == "lifting" and "Welke behandeling" in asked.texts[0]

    # only the root-infiltration leaflet's going-home answer speaks of someone taking you home
    assumed = answering.answer_topic("going_home", None, "moet iemand mij na afloop naar huis brengen?")
    assert assumed.texts[0].startswith("Ik ga ervan uit dat uw vraag over de wortelinfiltratie")
    assert assumed.sources == [{"leaflet": "wortelinfiltratie-en-denervatie", "section": "Nazorg"}]
    assert assumed.pending_topic is None
    assert assumed.procedure is None  # a guess is not remembered as the patient's treatment
