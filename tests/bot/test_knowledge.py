"""Every answer is traceable: its facts and contacts must stand in the leaflet it cites."""
import re

import pytest

from bot import contacts, knowledge, paths, procedures
from bot.normalize import fold


def leaflet_text(leaflet: str) -> str:
    doc = knowledge.leaflets()[leaflet]
    return fold((paths.LEAFLETS / doc["file"]).read_text(encoding="utf-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


ANSWERS = [
    (leaflet, topic)
    for leaflet, doc in knowledge.leaflets().items()
    for topic in (doc.get("answers") or {})
]


@pytest.mark.parametrize("leaflet,topic", ANSWERS)
def test_answer_facts_stand_in_the_cited_leaflet(leaflet, topic):
    item = knowledge.leaflets()[leaflet]["answers"][topic]
    text = squeeze(leaflet_text(leaflet))
    for fact in item.get("facts", []):
        assert squeeze(fold(fact)) in text, f"{leaflet}/{topic}: '{fact}' is not in the leaflet"
    # Numbers in the answer text itself must come from the leaflet too.
    for number in re.findall(r"\d+(?:[ ,.]\d+)*", item["text"]):
        assert number in text, f"{leaflet}/{topic}: number '{number}' is not in the leaflet"


@pytest.mark.parametrize("leaflet,topic", ANSWERS)
def test_answer_section_is_a_heading_of_the_leaflet(leaflet, topic):
    section = knowledge.leaflets()[leaflet]["answers"][topic]["section"]
    assert squeeze(fold(section)) in squeeze(leaflet_text(leaflet))


def test_every_leaflet_has_a_knowledge_file():
    files = {p.name for p in paths.LEAFLETS.glob("*.txt")}
    assert files == {doc["file"] for doc in knowledge.leaflets().values()}


@pytest.mark.parametrize("procedure", sorted(procedures.all_procedures()))
def test_contact_phone_numbers_stand_in_their_leaflet(procedure):
    contact = contacts.contact_for(procedure)
    assert contact.source, f"{procedure}: contact has no source leaflet"
    text = squeeze(leaflet_text(contact.source["leaflet"]))
    if contact.phone:
        assert contact.phone in text
    assert squeeze(fold(contact.source["section"])) in text


def test_answer_depends_on_procedure_and_names_its_source():
    patch = knowledge.lookup("lifting", "bloedpatch").answer
    assert "1 week" in patch.text and patch.source == {"leaflet": "bloedpatch-na-ruggenprik", "section": "Nazorg"}
    assert "Bron: folder Bloedpatch na een ruggenprik, Nazorg" in patch.reply
    assert "8 weken" in knowledge.lookup("lifting", "hernia").answer.text
    unknown = knowledge.lookup("lifting", None)
    assert unknown.answer is None and unknown.needs_procedure and "bloedpatch" in unknown.choices


def test_own_question_set_asks_only_what_the_leaflets_answer():
    """tests/bot/question_cases.yml (python -m bot evaluate own-questions) must stay answerable."""
    from pathlib import Path

    from ruamel.yaml import YAML

    cases = YAML(typ="safe", pure=True).load(Path(__file__).with_name("question_cases.yml").read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 150
    for case in cases:
        assert knowledge.lookup(case["topic"], case["procedure"]).answers, case
