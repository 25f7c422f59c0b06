"""When unsure, ask (bot/red_flags.py): which area, the question and its buttons, the answers."""
import pytest

from bot import red_flags
from bot.store import Question
from bot.triage import decide


@pytest.mark.parametrize("text,procedure,category", [
    ("mijn been voelt raar", "hernia", "neuro_deficit"),
    ("ik loop wat moeilijker sinds gisteren", None, "neuro_deficit"),
    ("het plassen gaat wat stroef", "hernia", "bladder_bowel"),
    ("ik heb het een beetje warm", "bloedpatch", "fever"),
    ("de wond ziet er anders uit", "hernia", "wound_complication"),
    ("de prikplaats ziet er raar uit", "wortelinfiltratie", "infection_signs"),
    ("my leg feels funny", "hernia", "neuro_deficit"),
])
def test_a_message_that_touches_an_area_gets_that_areas_question(text, procedure, category):
    decision = decide(text, procedure)
    assert not decision.escalate
    assert red_flags.choose(decision, []) == category


@pytest.mark.parametrize("text,procedure", [
    ("mijn been doet pijn", "hernia"),  # ordinary pain
    ("hoe lang moet de wond droog blijven?", "hernia"),  # an aftercare question
    ("mijn been voelt niet raar hoor", "hernia"),  # denied
    ("mijn been voelt warm en raar, de verdoving werkt nog", "wortelinfiltratie"),  # the leaflet's harmless effect
    ("ik heb 39 graden koorts", "hernia"),  # sure: escalates instead
])
def test_no_question_when_nothing_is_unclear(text, procedure):
    assert red_flags.choose(decide(text, procedure), []) is None


def test_a_question_is_not_asked_twice_in_a_conversation():
    decision = decide("mijn been voelt raar", "hernia")
    assert red_flags.choose(decision, [Question(1, "neuro_deficit", "no")]) is None
    assert red_flags.pending([Question(1, "neuro_deficit", None)]).category == "neuro_deficit"
    assert red_flags.pending([Question(1, "neuro_deficit", "no")]) is None


def test_the_question_has_ja_nee_buttons_whose_payload_is_the_answer():
    question = red_flags.question("neuro_deficit", "nl")
    assert "minder kracht" in question["text"]
    assert question["buttons"] == [{"title": "Ja", "payload": "Ja"}, {"title": "Nee", "payload": "Nee"}]
    assert red_flags.question("fever", "en")["buttons"][0]["title"] == "Yes"
    assert red_flags.question("fever", "pl")["text"] == red_flags.question("fever", "nl")["text"]  # no Polish questions: Dutch


@pytest.mark.parametrize("text,language,answer", [
    ("Ja", "nl", "yes"), ("ja hoor!", "nl", "yes"), ("klopt", "nl", "yes"), ("Nee", "nl", "no"), ("nee, gelukkig niet", "nl", "no"),
    ("Yes", "en", "yes"), ("no", "en", "no"), ("ja", "en", "yes"),
    ("ja maar ik heb ook koorts", "nl", None), ("wanneer mag ik douchen?", "nl", None),
])
def test_answers(text, language, answer):
    assert red_flags.answer_of(text, language) == answer
