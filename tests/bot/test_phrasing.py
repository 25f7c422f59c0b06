"""Whether a message asks something (bot/phrasing.py)."""
from bot.phrasing import asks_somewhere, is_question


def test_a_question_later_in_a_dictated_message_is_seen_without_a_question_mark():
    assert asks_somewhere("mijn vader is geopereerd, mag hij autorijden")
    assert asks_somewhere("ik krijg morgen een prik wat moet ik meenemen")
    assert asks_somewhere("de dokter had het over gevoelsstoornissen bij mijn hernia wat zijn dat")
    assert asks_somewhere("ik heb een bloedpatch gehad en mag ik nu douchen")
    # ... which the narrower reading that the triage was measured with does not see
    assert not is_question("mijn vader is geopereerd, mag hij autorijden")


def test_statements_with_a_question_word_or_the_verb_first_are_no_questions():
    for statement in ("alles wat ik doe doet pijn", "ik weet niet wat ik moet doen", "morgen krijg ik de bloedpatch",
                      "kan gewoon plassen hoor", "heb geen koorts meer", "mijn been is zwak en ik kan niet lopen", ""):
        assert not asks_somewhere(statement), statement
