"""What the API sends Rasa (bot/rasa_client.py): patient text never as Rasa's command syntax."""
import pytest

from bot.rasa_client import as_text


@pytest.mark.parametrize("typed", ["/restart", " /restart", "\u2003/restart", "//restart", "/ /restart", '/deny_symptom{"procedure":"hernia"}',
                                   "/affirm", "/report_fever@0.99", "/session_start"])
def test_a_typed_command_reaches_rasa_as_text(typed):
    sent = as_text(typed)
    assert not sent.strip().startswith("/") and sent.strip()


def test_text_without_the_prefix_is_sent_unchanged():
    for text in ("Mag ik tillen?", "ja / nee", "  spaties  ", "38/39 graden"):
        assert as_text(text) == text


def test_only_slashes_is_still_a_message():
    assert as_text("/") == "?" and as_text(" // ") == "?"
