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


def test_unknown_procedure_gives_general_advice_then_asks_which_treatment():
    first, question = escalation.contact_messages(["neuro_deficit"], None)
    assert "huisarts" in first and "112" in first and "Spoedeisende Hulp" in first
    assert "Welke behandeling" in question


def test_reasons_are_ordered_most_urgent_first_and_unique():
    assert escalation.ordered_reasons(["fever", "bladder_bowel", "fever"]) == ["bladder_bowel", "fever"]
