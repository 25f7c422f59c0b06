"""The project's own data checks (bot/data_checks.py), run by `python -m bot validate`."""
from bot import data_checks


def test_the_project_data_passes_every_check():
    assert [str(p) for p in data_checks.run()] == []


def test_an_example_under_two_intents_is_found_whatever_its_case_accents_and_punctuation():
    problems = data_checks.duplicates_across_intents(
        {"ask_lifting": ["Mag ik tillen?", "wanneer weer sporten"], "ask_work": ["mag ik  tíllen", "weer werken"], "greet": ["hallo"]}
    )
    assert [p.detail for p in problems] == ["'mag ik tillen' in ['ask_lifting', 'ask_work']"]


def test_an_intent_with_too_few_examples_is_found():
    problems = data_checks.too_few_examples({"ask_diving": ["duiken?"] * 3, "ask_mri": ["mri?"] * 10}, minimum=10)
    assert [p.detail for p in problems] == ["ask_diving: 3 (at least 10)"]


def test_answers_need_a_section_the_leaflet_has_and_every_question_intent_needs_an_answer():
    docs = {
        "folder": {"title": "Folder", "answers": {
            "lifting": {"section": "Nazorg", "text": "..."},
            "driving": {"section": "Autorijden", "text": "..."},
            "work": {"text": "..."},
        }},
        "gone": {"title": "Weg", "answers": {}},
    }
    problems = data_checks.answers_without_source(
        {"ask_lifting": [], "ask_diving": [], "greet": []}, docs, {"folder": "Titel\nNAZORG\nU mag niet tillen."}
    )
    assert sorted(p.detail for p in problems) == sorted([
        "folder/driving: section 'Autorijden' is not in the leaflet's text",
        "folder/work: no section",
        "knowledge file gone: no leaflet text data/leaflets/gone.txt",
        "intent ask_diving has no leaflet answer in data/knowledge",
    ])
