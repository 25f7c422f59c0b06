"""The red-flag detector on its own (issue 3 extends this into the full regression set)."""
import pytest

from bot.triage import detect

ALARMS = [
    ("Ik heb 38,5 graden koorts", None, "fever"),
    ("koors en rillerig sinds vanochtend", None, "fever"),
    ("temperatuur 38.2°C gemeten", "bloedpatch", "fever"),
    ("ik heb minder kracht in mijn linkerbeen", "bloedpatch", "neuro_deficit"),
    ("mijn voet blijft hangen als ik loop", "hernia", "neuro_deficit"),
    ("mijn billen en rond mijn anus voelen doof", "hernia", "saddle_anaesthesia"),
    ("ik kan mijn plas niet ophouden", "hernia", "bladder_bowel"),
    ("ik kan al sinds vanmorgen niet plassen", None, "bladder_bowel"),
    ("er komt pus uit de wond van de stimulator", "ruggenmergstimulatie", "infection_signs"),
    ("mijn vader heeft 39 graden koorts na zijn bloedpatch", None, "fever"),
]

NOT_ALARMS = [
    ("ik heb geen koorts", None),
    ("Wat als ik koorts krijg?", None),
    ("Bij welke klachten moet ik bellen?", None),
    ("mijn been voelt niet doof", "hernia"),
    ("gisteren had ik koorts maar nu is het weg", None),
    ("ik heb 37,2 gemeten", None),
    ("Mag ik tillen na de bloedpatch?", None),
    ("mijn been voelt warm en krachteloos, de verdoving werkt nog", "wortelinfiltratie"),
]


@pytest.mark.parametrize("text,procedure,category", ALARMS)
def test_alarm_is_found_with_its_span(text, procedure, category):
    result = detect(text, procedure)
    assert result.escalate and category in result.categories
    for finding in result.alarms:
        assert text[finding.start:finding.end] == finding.text


@pytest.mark.parametrize("text,procedure", NOT_ALARMS)
def test_context_keeps_these_calm(text, procedure):
    assert not detect(text, procedure).escalate


def test_spans_point_into_the_original_text_with_diacritics():
    text = "Ik héb   vannacht KOORTS gekregen"
    finding = detect(text).alarms[0]
    assert text[finding.start:finding.end] == "KOORTS"


def test_weakness_after_root_infiltration_escalates_when_it_lasts():
    assert detect("al drie dagen minder kracht in mijn been na de wortelinfiltratie", "wortelinfiltratie").escalate


@pytest.mark.parametrize(
    "text,procedure",
    [("na de bloedpacht", "bloedpatch"), ("sinds de wortelinfitratie", "wortelinfiltratie"), ("mijn proefstimulatje", "ruggenmergstimulatie")],
)
def test_procedure_names_with_a_typo_are_recognised(text, procedure):
    from bot import procedures

    assert procedures.mentioned(text) == [procedure]


def test_explicit_normal_function_is_a_calm_finding_that_vetoes_an_nlu_guess():
    from bot.triage import decide

    decision = decide("ik kan mijn plas gewoon ophouden hoor", "hernia", nlu_category="bladder_bowel")
    assert not decision.escalate and decision.nlu_vetoed
    assert decide("ik voel me raar in mijn onderlijf", "hernia", nlu_category="saddle_anaesthesia").escalate


def test_infection_signs_from_nlu_alone_need_the_stimulator_trial():
    from bot.triage import decide

    assert not decide("ik ben duizelig en misselijk", None, nlu_category="infection_signs").escalate
    assert decide("ik ben duizelig en misselijk", "ruggenmergstimulatie", nlu_category="infection_signs").escalate
    assert decide("er komt pus uit het wondje", None).escalate  # explicit sign: any treatment


def test_a_vague_message_with_an_unsure_classifier_is_asked_about_not_escalated():
    from bot.triage import decide

    unsure = decide("mijn benen voelen zwaar", "hernia", nlu_category="neuro_deficit", nlu_confidence=0.6)
    assert not unsure.escalate and unsure.nlu_vetoed and unsure.unclear == ["neuro_deficit"]
    sure = decide("mijn benen voelen zwaar", "hernia", nlu_category="neuro_deficit", nlu_confidence=0.95)
    assert sure.escalate  # a sure classifier still escalates on its own
