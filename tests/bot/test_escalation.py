"""Contact routes per treatment, from data/contacts.yml."""
import pytest

from bot import escalation

ROUTES = [
    ("bloedpatch", "Anesthesiologie", "088 320 31 00"),
    ("ruggenmergstimulatie", "Pijnbestrijding", "088 320 68 00"),
    ("wortelinfiltratie", "Pijnkliniek", "015 89 22 50"),
    ("hernia", "huisarts", ""),
]


@pytest.mark.parametrize("procedure,name,phone", ROUTES)
def test_contact_route_per_procedure(procedure, name, phone):
    esc = escalation.escalation(["fever"], procedure)
    assert esc["level"] == "contact_immediately" and esc["reasons"] == ["fever"]
    assert name in esc["contact"]["name"] and esc["contact"]["phone"] == phone
    first = escalation.contact_messages(["fever"], procedure)[0]
    assert "direct contact" in first and "112" in first and phone in first


def test_escalation_sentences_read_as_dutch_and_the_belgian_number_dials_from_abroad():
    first = escalation.contact_messages(["fever"], "bloedpatch")[0]
    assert "Neem nu direct contact op met de afdeling Anesthesiologie van het St. Antonius Ziekenhuis, 088 320 31 00." in first
    for procedure in ("bloedpatch", "ruggenmergstimulatie", "wortelinfiltratie", "hernia", None):
        for text in escalation.contact_messages(["fever"], procedure) + [escalation.reminder(procedure)]:
            assert " met De " not in text and " via " not in text, text
    belgian = escalation.escalation(["fever"], "wortelinfiltratie")["contact"]
    assert belgian["tel"] == "+3215892250" and belgian["phone"] == "015 89 22 50"
    # Belgian terms for the Belgian clinic's patients, also in the "today" advice
    for text in escalation.contact_messages(["fever"], "wortelinfiltratie") + escalation.contact_messages(["thrombosis"], "wortelinfiltratie"):
        assert "huisartsenpost" not in text and "Spoedeisende Hulp" not in text
    assert "huisarts van wacht" in " ".join(escalation.contact_messages(["thrombosis"], "wortelinfiltratie"))


def test_unknown_procedure_gives_general_advice_then_asks_which_treatment():
    first, question = escalation.contact_messages(["neuro_deficit"], None)
    assert "huisarts" in first and "112" in first and "Spoedeisende Hulp" in first
    assert "Welke behandeling" in question


def test_reasons_are_ordered_most_urgent_first_and_unique():
    assert escalation.ordered_reasons(["fever", "bladder_bowel", "fever"]) == ["bladder_bowel", "fever"]


# Routes of the new categories (issue 12): the contact object says 112 / 113 / 1813 where that is the advice.
def test_an_emergency_says_call_112_first_and_the_contact_is_112():
    messages = escalation.contact_messages(["neuro_deficit", "emergency"], "bloedpatch")
    assert messages[0].startswith("Bel nu direct 112")
    assert "minder kracht of gevoel" in messages[1] and "088 320 31 00" in messages[1]
    assert escalation.escalation(["neuro_deficit", "emergency"], "bloedpatch")["contact"]["phone"] == "112"
    assert escalation.escalation(["neuro_deficit", "emergency"], "bloedpatch")["reasons"] == ["emergency", "neuro_deficit"]


@pytest.mark.parametrize("procedure,phone,line", [
    ("bloedpatch", "113", "0800-0113"), ("hernia", "113", "0800-0113"),
    ("wortelinfiltratie", "1813", "1813"),  # the Belgian clinic (AZ Sint-Maarten)
    (None, "113", "1813"),  # unknown: both lines are named
])
def test_suicidal_thoughts_get_calm_words_and_the_line_of_the_hospitals_country(procedure, phone, line):
    first = escalation.contact_messages(["suicidal"], procedure)[0]
    assert first.startswith("Fijn dat u dit vertelt") and line in first and "112" in first
    assert "U meldt" not in first  # not the clinical intro
    assert escalation.escalation(["suicidal"], procedure)["contact"]["phone"] == phone


def test_thrombosis_after_hernia_surgery_is_same_day_with_the_hospital_that_operated():
    (message,) = escalation.contact_messages(["thrombosis"], "hernia")
    assert "vandaag nog" in message and "geopereerd" in message and "huisartsenpost" in message
    assert "geopereerd" in escalation.escalation(["thrombosis"], "hernia")["contact"]["name"]


def test_a_department_reason_beats_same_day_for_the_contact():
    esc = escalation.escalation(["wound_complication", "fever"], "ruggenmergstimulatie")
    assert esc["contact"]["phone"] == "088 320 68 00"
    (message,) = escalation.contact_messages(["wound_complication", "fever"], "ruggenmergstimulatie")
    assert "Neem nu direct contact op" in message and "koorts" in message and "wond" in message


def test_english_escalation_is_english_only_and_other_languages_come_with_dutch():
    english = escalation.contact_messages(["fever"], "ruggenmergstimulatie", "en")
    assert english == [m for m in english if "Contact" in m] and "Pain Clinic" in english[0] and "088 320 68 00" in english[0]
    polish = escalation.contact_messages(["fever"], "ruggenmergstimulatie", "pl")
    assert len(polish) == 2 and "088 320 68 00" in polish[0] and polish[1].startswith("U meldt: koorts")
    unsupported = escalation.contact_messages(["fever"], "ruggenmergstimulatie", "it")
    assert unsupported[0].startswith("You report: fever") and unsupported[1].startswith("U meldt: koorts")


def test_the_safety_net_of_an_unsupported_language_is_english_and_dutch_with_the_number():
    net = escalation.safety_net("bloedpatch", "so")
    assert len(net) == 2 and "only read messages in Dutch" in net[0] and "Ik begrijp alleen berichten in het Nederlands" in net[1]
    assert all("088 320 31 00" in m and "112" in m for m in net)
