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
