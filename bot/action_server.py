"""The Rasa action server with a warm start: ``python -m bot.action_server --actions actions --port 5055``.

The first alarm an action judges would otherwise pay for compiling eight lexicons and loading the
language models (about 2 s here, measured with `python -m bot triage-cost`), and the first question
for training the answers' topic classifier (bot/topic_classifier.py). They load in the background
while the server starts; the server's arguments are rasa_sdk's own, unchanged.
"""
import sys
import threading


def _warm_up() -> None:
    from bot import language, topic_classifier
    from bot.triage import decide

    decide("koorts 38,5, fever, Fieber", None, language="nl")
    language.warm_up()
    topic_classifier.warm_up()  # trained from the YAML examples, about 2 s


def main() -> int:
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    main_from_args(create_argument_parser().parse_args(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
