"""Choosing the topic of a question from Rasa's ranking and the leaflets' words (bot/answering.py)."""
from bot import answering, knowledge, topic_match


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


def test_without_the_treatment_each_treatments_answer_is_given_under_its_name_then_asked():
    reply = answering.answer_topic("lifting", None, "hoelang niet tillen?")
    assert reply.pending_topic == "lifting" and reply.procedure is None  # nothing guessed or remembered
    assert reply.texts[0].startswith("Het antwoord verschilt per behandeling")
    assert "Welke behandeling heeft u gehad?" in reply.texts[-1]
    labelled = reply.texts[1:-1]
    assert [t.split(":")[0] for t in labelled] == [
        "Bij een bloedpatch na een ruggenprik", "Bij een proefstimulatie (ruggenmergstimulatie)", "Bij een hernia in de rug"]
    assert [s["leaflet"] for s in reply.sources] == ["bloedpatch-na-ruggenprik", "ruggenmergstimulatie-proefstimulatie", "keuzekaart-hernia-in-de-rug"]
    assert all("Bron: folder" in t for t in labelled)


def test_a_topic_too_long_to_list_per_treatment_is_guessed_only_on_clear_words_else_asked():
    assert len(" ".join(a.text for k in knowledge.lookup("risks", None).choices for a in knowledge.lookup("risks", k).answers)) > answering.OVERVIEW_MAX_CHARS
    asked = answering.answer_topic("risks", None, "wat zijn de risicos?")
    assert asked.pending_topic == "risks" and "Welke behandeling heeft u gehad" in asked.texts[0] and not asked.sources

    assumed = answering.answer_topic("risks", None, "kans op verlamming of zenuwschade na de operatie aan de hernia")
    assert assumed.texts[0].startswith("Ik ga ervan uit dat uw vraag over de hernia in de rug gaat")
    assert assumed.sources[0]["leaflet"] == "keuzekaart-hernia-in-de-rug"
    assert assumed.pending_topic is None
    assert assumed.procedure is None  # a guess is not remembered as the patient's treatment
