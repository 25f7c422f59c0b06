"""`rasa` with one start-up fix: ``python -m bot.rasa_server run --model ...`` (same arguments).

Rasa 3.6 builds two SpacyNLP nodes in the prediction graph (``provide_SpacyNLP0`` and
``run_SpacyNLP0``) and each calls ``spacy.load`` on the same pipeline: about 2 s of CPU of
Rasa's ~27 s start-up on this machine (`python -m bot bench`). Both only read the pipeline, so
here the second load reuses the first. Everything else is Rasa's own CLI, unchanged.
"""
import sys
from functools import lru_cache


def _share_spacy_pipeline() -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    # One pipeline per name for the life of the process; the nodes never modify it.
    SpacyNLP.load_model = staticmethod(lru_cache(maxsize=None)(SpacyNLP.load_model))


def main() -> int:
    from rasa.__main__ import main as rasa_main

    _share_spacy_pipeline()
    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
