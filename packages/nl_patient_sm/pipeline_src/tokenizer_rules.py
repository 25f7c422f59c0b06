"""Tokenizer rules for what patients type (serialized into the pipeline by build_pipeline.py).

spaCy's Dutch defaults split "38.5°C" into "38.5°C" or "38.5°", glue "2x" together and cut
"+/-" into three pieces. These rules keep numbers whole and separate units, counts and
symbols, so that the lemmas and Rasa's featurizers see "38,5" "°C", "2" "x", "+/-".
"""
from typing import List

from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# A decimal number stays one token: "38,5" / "38.5".
_UNIT_SUFFIXES: List[str] = [
    r"(?<=[0-9])°[cC]?",  # 38,5° / 38.5°C
    r"(?<=[0-9])[cC](?![a-zA-Z])",  # 38.5C
    r"(?<=[0-9])(?:x|keer|maal)",  # 2x, 3keer
    r"(?<=[0-9])(?:graden|graad|gr|mg|ml|cc|cm|mm|kg|km|uur|u|min|dagen|dag|weken|wk|jr)",  # 4uur, 10cc, 500mg
    r"(?<=[0-9])%",
]
_PREFIXES: List[str] = [r"\+/-", r"\+-", r"±", r"[~≈]"]
# "koorts/rillingen", "been-/rugpijn" split on slashes between words, not inside "+/-".
_INFIXES: List[str] = [r"(?<=[a-zA-Z])/(?=[a-zA-Z])"]

# Kept whole: "+/-" means "about", not three symbols.
SPECIAL_CASES = ["+/-", "+-", ":-)", ":-(", ":)", ":(", ";)", ";-)", ":'(", ":/", ":-/", "<3", "xD", "XD"]


def customize(nlp: Language) -> None:
    """Add the patient-text rules to ``nlp.tokenizer`` in place."""
    defaults = nlp.Defaults
    prefixes = _PREFIXES + list(defaults.prefixes or [])
    suffixes = _UNIT_SUFFIXES + list(defaults.suffixes or [])
    infixes = list(defaults.infixes or []) + _INFIXES
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for text in SPECIAL_CASES:
        nlp.tokenizer.add_special_case(text, [{ORTH: text}])
