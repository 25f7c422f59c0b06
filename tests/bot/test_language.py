"""Language of a message (bot/language.py, lingua): short texts stay Dutch unless sure."""
import pytest

from bot import language
from bot.evaluation import languages as comparison


def test_the_bot_rule_is_right_on_the_projects_short_messages():
    result = comparison.score(lambda t: language.detect(t).code, comparison.samples())
    assert result["right"] / result["total"] >= 0.95, result["wrong"]
    for lang in ("nl", "en", "pl", "tr", "ar", "de", "fr", "es"):
        right, total = result["per"][lang]
        assert right >= total - 1, (lang, result["wrong"])


def test_lingua_beats_langid_on_them():
    items = comparison.samples()
    assert comparison.score(comparison._lingua_raw(), items)["right"] > comparison.score(comparison._langid(), items)["right"]


@pytest.mark.parametrize("text", ["ja", "nee", "ok", "dank u wel", "oké dank je", "help", "38,5", "Hallo", "wat nu",
                                  "mag ik douchen", "ge moet mij eens zeggen hoe lang da duurt"])
def test_short_or_dutch_texts_are_dutch(text):
    assert language.detect(text).code == "nl"


@pytest.mark.parametrize("text,code", [("I can't pee", "en"), ("my leg feels funny", "en"), ("Ich habe Fieber seit gestern", "de"),
                                        ("عندي حمى", "ar"), ("ረስኒ ኣሎኒ", "und"), ("我发烧了", "zh")])
def test_other_languages(text, code):
    assert language.detect(text).code == code


def test_a_64_kb_body_is_detected_from_a_bounded_sample():
    import time

    language.warm_up()
    started = time.perf_counter()
    assert language.detect("ik heb een vraag over mijn been " * 2000).code == "nl"
    assert time.perf_counter() - started < 0.2
