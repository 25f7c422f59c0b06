"""bot/intake.py: which messages are answered, and what is stored of those that are not."""
import pytest

from bot import intake, texts


@pytest.mark.parametrize(
    "text, clean",
    [
        ("koorts\x0b39", "koorts 39"),  # a space, not nothing: still two words for the detector
        ("a\x00b\x7fc\x85d\x9fe", "a b c d e"),  # C0, DEL, C1
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
)
def test_control_characters_and_surrogates_are_replaced_and_refused(text, clean):
    stored, refusal = intake.check(text, 2000)
    assert stored == clean
    assert refusal.reason == "control_characters" and refusal.notice == texts.get("control_characters")


@pytest.mark.parametrize("text", ["regel 1\nregel 2\r\n\tregel 3", "emoji 👍🏽 en \u200d zwj, é, ß, «»", "<b>html</b> &amp;"])
def test_ordinary_text_passes_unchanged(text):
    assert intake.check(text, 2000) == (text, None)


def test_length_is_counted_after_stripping():
    assert intake.check("  " + "a" * 10 + "  ", 10) == ("a" * 10, None)
    stored, refusal = intake.check("a" * 11, 10)
    assert stored == "a" * 11 and refusal.reason == "too_long" and "10" in refusal.notice


def test_only_control_characters_leave_nothing():
    assert intake.check("\x00 \x07\n", 2000)[0] == ""
