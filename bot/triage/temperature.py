"""Temperature readings in patient text: "38,5", "38.5°C", "39 graden", "temp 38", "101 F"."""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Pattern, Tuple

FEVER_THRESHOLD_C = 38.0

_NUMBER = re.compile(r"(?<![\d.,])(3[4-9]|4[0-3])(?:\s?[,.]\s?(\d{1,2}))?(?![\d])(\s*(?:°\s*c?|graden|graad|gr\b|c\b|degrees|degree|grad\b|grados|stopni|derece))?")
# Fahrenheit (an American thermometer, an English message): 95-108 with a unit, or anywhere in a
# sentence that names Fahrenheit.
_FAHRENHEIT = re.compile(r"(?<![\d.,])(9[5-9]|10[0-8])(?:\s?[,.]\s?(\d))?(?![\d])(\s*(?:°\s*f\b|f\b|fahrenheit|degrees f))?")
_NAMES_FAHRENHEIT = re.compile(r"fahrenheit|°\s*f\b|\bdegrees f\b")
_NOT_A_TEMPERATURE = re.compile(r"\s*(jaar|kg|kilo|uur|min|dagen|dag|weken|week|cm|mm|keer|x\b|%|mg|ml|euro|eur|km|kilometer|meter|m\b|jr|years|year|hours|hour|days|day|weeks|pounds|lbs|kgs)")
# Any language's word for a temperature, so that a whole "38" counts ("Fieber 39", "ateşim 39").
_ANY_CONTEXT = re.compile(r"\b(koorts\w*|temp\w*|verhoging|gemeten|meet|thermometer|graden|graad|rillerig|fever\w*|feverish|measured|degrees|fieber|grad|fievre|fiebre|febre|febbre|goraczk\w*|temperatur\w*|ates\w*|derece)\b|°|حرار|حمى|سخون")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789,")


@dataclass(frozen=True)
class Reading:
    celsius: float
    start: int
    end: int

    @property
    def is_fever(self) -> bool:
        return self.celsius >= FEVER_THRESHOLD_C


def readings(folded_sentence: str, offset: int = 0, words: Optional[dict] = None, context: Optional[Pattern[str]] = None) -> List[Reading]:
    """Body temperatures in a folded sentence. "38,5" with a decimal counts on its own (few other
    quantities in a patient's message look like that); a whole "38" only beside temperature words.
    ``words``: the language's number words (``temperature_tens``, ``temperature_digits``,
    ``temperature_decimal_words`` of its lexicon); ``context``: its temperature words."""
    text = folded_sentence.translate(_ARABIC_DIGITS)  # same length: spans stay right
    has_context = bool(_ANY_CONTEXT.search(text) or (context and context.search(text)))
    found: List[Reading] = []
    for match in _NUMBER.finditer(text):
        whole, decimals, unit = match.group(1), match.group(2), match.group(3)
        if not unit and not has_context and not decimals:
            continue
        if _NOT_A_TEMPERATURE.match(text, match.end()):
            continue
        value = float(f"{whole}.{decimals}") if decimals else float(whole)
        found.append(Reading(value, offset + match.start(), offset + match.end()))
    names_fahrenheit = bool(_NAMES_FAHRENHEIT.search(text))
    for match in _FAHRENHEIT.finditer(text):
        whole, decimal, unit = match.group(1), match.group(2), match.group(3)
        if not unit and not names_fahrenheit:
            continue
        fahrenheit = float(f"{whole}.{decimal}") if decimal else float(whole)
        found.append(Reading(round((fahrenheit - 32) * 5 / 9, 1), offset + match.start(), offset + match.end()))
    if words and words.get("temperature_tens"):
        found.extend(_spelled(text, offset, words))
    return found


@lru_cache(maxsize=16)
def _spelled_pattern(tens: Tuple[str, ...], digits: Tuple[str, ...], decimal_words: Tuple[str, ...]) -> Pattern[str]:
    return re.compile(r"\b(" + "|".join(tens) + r")\b(?:\s(?:(?:" + "|".join(decimal_words or ("komma",)) + r")\s)?("
                      + "|".join(digits + (r"\d",)) + r")\b)?")


def _spelled(text: str, offset: int, words: dict) -> List[Reading]:
    """Readings written out in words: "achtendertig vijf", "negenendertig komma twee"."""
    tens, digits = words["temperature_tens"], words.get("temperature_digits") or {}
    pattern = _spelled_pattern(tuple(tens), tuple(digits), tuple(words.get("temperature_decimal_words") or ()))
    out = []
    for match in pattern.finditer(text):
        tenth = match.group(2)
        value = tens[match.group(1)] + (int(tenth) if tenth and tenth.isdigit() else digits.get(tenth or "", 0)) / 10
        out.append(Reading(value, offset + match.start(), offset + match.end()))
    return out
