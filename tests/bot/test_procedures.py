"""One rule for the treatment of a message (bot/procedures.py `resolve`): chat service, triage, actions."""
import pytest

from bot import procedures
from bot.procedures import resolve


@pytest.mark.parametrize("text,portal,known,key,patient,how", [
    # the portal's treatment is the patient's own
    ("mag ik tillen?", "bloedpatch", None, "bloedpatch", "bloedpatch", "portal"),
    # ... a name of another treatment is answered for (the reply then says so first)
    ("mag ik duiken met de stimulator?", "wortelinfiltratie", None, "ruggenmergstimulatie", "wortelinfiltratie", "named"),
    # ... unless that name is a word of the patient's own leaflet (its preparation list names a neurostimulator)
    ("ik heb een neurostimulator, moet ik de afstandsbediening meebrengen?", "wortelinfiltratie", None, "wortelinfiltratie", "wortelinfiltratie", "portal"),
    # a lay word never overrides the portal ("het kastje" is the stimulator's)
    ("moet ik dat kastje meenemen?", "bloedpatch", None, "bloedpatch", "bloedpatch", "portal"),
    # what the conversation already knows
    ("en mag ik autorijden?", None, "hernia", "hernia", "hernia", "conversation"),
    # without a treatment: names, then lay names, then clue words
    ("mag ik tillen na de proefplaatsing?", None, None, "ruggenmergstimulatie", None, "named"),
    ("het kastje op mijn heup piept", None, None, "ruggenmergstimulatie", None, "lay_name"),
    ("mag ik tillen na de operatie?", None, None, "hernia", None, "clue"),
    ("mag ik tillen na de operatie van de stimulator?", None, None, "ruggenmergstimulatie", None, "named"),
    # two named, one only as a word of the other's leaflet
    ("mijn neurostimulator, moet ik die meebrengen naar de wortelinfiltratie?", None, None, "wortelinfiltratie", None, "named"),
    ("hoofdpijn na de ruggenprik, wat nu?", None, None, "bloedpatch", None, "clue"),
    ("ik gebruik clexane, wanneer stoppen?", None, None, "wortelinfiltratie", None, "clue"),
    # words only one leaflet uses
    ("wat moet ik meebrengen voor de inschrijving?", None, None, "wortelinfiltratie", None, "leaflet_words"),
    # nothing points anywhere: ask back
    ("mag ik tillen?", None, None, None, None, "none"),
])
def test_resolve(text, portal, known, key, patient, how):
    found = resolve(text, portal=portal, known=known)
    assert (found.key, found.patient, found.how) == (key, patient, how)


def test_the_reply_must_say_so_when_another_treatment_or_a_guess_is_answered():
    assert resolve("mag ik duiken met de stimulator?", portal="wortelinfiltratie").other_than_patient
    assert not resolve("mag ik tillen?", portal="bloedpatch").other_than_patient
    assert resolve("mag ik tillen na de operatie?").assumed and resolve("wat moet ik meebrengen voor de inschrijving?").assumed


def test_only_a_strong_clue_routes_a_phone_call():
    # Triage and contacts use `own`: a weak clue (surgery words) could send an alarm to the wrong department.
    assert resolve("koorts na de operatie").own is None
    assert resolve("koorts na de ruggenprik").own == "bloedpatch"
    assert resolve("koorts na de proefplaatsing").own == "ruggenmergstimulatie"
    assert resolve("koorts", portal="hernia").own == "hernia"
    assert resolve("wat moet ik meebrengen voor de inschrijving?").own is None


def test_what_the_conversation_keeps_is_never_a_guess():
    assert resolve("het kastje piept").remembered == "ruggenmergstimulatie"
    assert resolve("mag ik tillen na de operatie?").remembered is None
    assert resolve("mag ik duiken met de stimulator?", portal="wortelinfiltratie").remembered == "wortelinfiltratie"


def test_triage_uses_the_same_rule():
    from bot.triage import detect

    assert detect("ik heb koorts na de ruggenprik").procedure == "bloedpatch"
    assert detect("ik heb koorts, het kastje", "wortelinfiltratie").procedure == "wortelinfiltratie"
    assert detect("ik heb koorts na de operatie").procedure == procedures.UNKNOWN


def test_a_long_body_costs_bounded_work():
    import time

    started = time.perf_counter()
    resolve("x" * 65_000)
    resolve("operatie " * 7_000)
    assert time.perf_counter() - started < 1.0
