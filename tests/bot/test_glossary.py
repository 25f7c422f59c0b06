"""Questions in other languages put into the leaflets' Dutch (bot/glossary.py, data/glossary/<code>.yml)."""
import time

import pytest

from bot import glossary, language, paths, yamldata


def test_english_gets_the_dutch_words_added_and_other_languages_a_gloss():
    assert glossary.with_dutch("Can I lift my child?", "en").endswith("tillen")
    assert glossary.to_dutch("Can I lift my child?", "en") is None  # English: Rasa reads it as it is
    assert glossary.to_dutch("Mag ik tillen?", "nl") is None
    assert {"de", "pl", "tr"} <= glossary.translated()


@pytest.mark.parametrize("code, text, dutch", [
    ("de", "Muss ich meine Blutverdünner vorher absetzen?", ["moet", "bloedverdunner"]),
    ("de", "Wie lange muss ich nach dem Blutpatch flach liegen?", ["hoe lang", "bloedpatch"]),
    ("pl", "Czy mogę prowadzić samochód po zabiegu?", ["auto"]),
    ("pl", "Jak długo muszę leżeć płasko?", ["hoe lang", "liggen"]),
    ("tr", "Ameliyattan sonra ne zaman işe dönebilirim?", ["operatie", "werk"]),
    ("tr", "Kan sulandırıcı ilaçlarımı bırakmam gerekiyor mu?", ["bloedverdunner"]),
])
def test_a_question_becomes_rough_dutch_that_keeps_what_it_is_about(code, text, dutch):
    gloss = glossary.to_dutch(text, code).lower()
    assert all(word in gloss for word in dutch), gloss


def test_words_the_glossary_lacks_stay_as_they_are_also_without_diacritics():
    assert "xarelto" in glossary.to_dutch("Ich nehme Xarelto, muss ich das absetzen?", "de")
    assert glossary.to_dutch("Kan sulandirici ilaclarimi birakmam gerekiyor mu?", "tr") == glossary.to_dutch(
        "Kan sulandırıcı ilaçlarımı bırakmam gerekiyor mu?", "tr")


def test_every_glossary_language_has_texts_and_an_alarm_lexicon():
    for code in glossary.translated():
        assert code in language.supported(), code
        doc = yamldata.load(paths.DATA / "glossary" / f"{code}.yml")
        assert set(doc) <= {"phrases", "words", "stems"} and doc.get("words"), code


def test_a_long_message_is_glossed_in_linear_time():
    text = "Wie lange muss ich nach dem Blutpatch flach liegen und darf ich Auto fahren? " * 800  # about 64 KB
    start = time.perf_counter()
    glossary.to_dutch(text, "de")
    assert time.perf_counter() - start < 1.0
