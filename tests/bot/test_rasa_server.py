"""bot/rasa_server.py: Rasa's two SpacyNLP graph nodes share one loaded pipeline (a start-up fix)."""
import time

from bot import rasa_server
from bot.settings import Settings


def test_second_spacy_load_reuses_the_first_pipeline():
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    original = SpacyNLP.load_model
    try:
        rasa_server._share_spacy_pipeline()
        name = Settings().spacy_model
        first = SpacyNLP.load_model(name)
        started = time.perf_counter()
        second = SpacyNLP.load_model(name)
        assert second is first  # the very same Language object: no second spacy.load
        assert time.perf_counter() - started < 0.05
        assert [t.text for t in first.model("ik heb koorts")] == ["ik", "heb", "koorts"]  # a working pipeline
    finally:
        SpacyNLP.load_model = staticmethod(original)
