"""Buttons under the bot's last reply (bot/buttons.py): one shape for ja/nee and for topic offers."""
from bot import buttons


def test_the_patient_sees_titles_and_rasa_gets_the_command_only_for_an_offered_title():
    shown, offer = buttons.for_patient([{"title": "Tillen en zwaar werk", "payload": "/ask_lifting"},
                                        {"title": "Iets anders", "payload": "/choose_other_topic"}])
    assert shown == [{"title": "Tillen en zwaar werk", "payload": "Tillen en zwaar werk"}, {"title": "Iets anders", "payload": "Iets anders"}]
    assert buttons.chosen(offer, "Tillen en zwaar werk") == "/ask_lifting"
    assert buttons.chosen(offer, "  tillen EN zwaar werk ") == "/ask_lifting"  # typed, not clicked: the same
    assert buttons.chosen(offer, "/ask_driving") is None  # a typed command is text
    assert buttons.chosen(None, "Tillen en zwaar werk") is None


def test_the_red_flag_question_uses_the_same_shape():
    from bot import red_flags

    question = red_flags.question("fever", "nl")
    assert question["buttons"] == buttons.make([("Ja", "Ja"), ("Nee", "Nee")])
