"""Small Dutch spaCy pipeline for patient chat messages (stands in for nl_core_news_sm).

Laid out like spaCy's own pipeline packages: the serialized pipeline lives in
``nl_patient_sm-<version>/`` beside this file, written by ``build_pipeline.py`` at set-up.
Load it by name: ``spacy.load("nl_patient_sm")`` (Rasa's SpacyNLP: ``model: nl_patient_sm``).
"""
from pathlib import Path

from spacy.language import Language
from spacy.util import get_model_meta, load_model_from_init_py

__version__ = get_model_meta(Path(__file__).parent)["version"]


def load(**overrides) -> Language:
    return load_model_from_init_py(__file__, **overrides)
