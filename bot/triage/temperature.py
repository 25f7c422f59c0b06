"""Temperature readings in patient text: "38,5", "38.5°C", "39 graden", "temp 38"."""
import re
from dataclasses import dataclass
from typing import List

FEVER_THRESHOLD_C = 38.0

_NUMBER = re.compile(r"(?<![\d.,])(3[4-9]|4[0-3])(?:\s?[,.]\s?(\d{1,2}))?(?![\d])(\s*(?:°\s*c?|graden|graad|gr\b|c\b))?")
_CONTEXT = re.compile(r"\b(koorts\w*|temp\w*|verhoging|gemeten|meet|thermometer|graden|graad|rillerig)\b|°")


# Readings written out in words: "achtendertig vijf", "negenendertig komma twee".
_TENS = {"zesendertig": 36, "zevenendertig": 37, "achtendertig": 38, "negenendertig": 39, "veertig": 40, "eenenveertig": 41}
_DIGITS = {"nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_WORDS = re.compile(r"\b(" + "|".join(_TENS) + r")\b(?:\s(?:komma\s|punt\s)?(" + "|".join(_DIGITS) + r"|\d)\b)?")


@dataclass(frozen=True)
class Reading:
    celsius: float
    start: int
    end: int

    @property
    def is_fever(self) -> bool:
        return self.celsius >= FEVER_THRESHOLD_C


def readings(folded_sentence: str, offset: int = 0) -> List[Reading]:
    """Body temperatures in a folded sentence. "38,5" with a decimal counts on its own (few other
    quantities in a patient's message look like that); a whole "38" only beside temperature words."""
    has_context = bool(_CONTEXT.search(folded_sentence))
    found: List[Reading] = []
    for match in _NUMBER.finditer(folded_sentence):
        whole, decimals, unit = match.group(1), match.group(2), match.group(3)
        if not unit and not has_context and not decimals:
            continue
        after = folded_sentence[match.end(): match.end() + 12]
        if re.match(r"\s*(jaar|kg|kilo|uur|min|dagen|dag|weken|week|cm|mm|keer|x\b|%|mg|ml|euro|eur|km|kilometer|meter|m\b|jr)", after):
            continue
        value = float(f"{whole}.{decimals}") if decimals else float(whole)
        found.append(Reading(value, offset + match.start(), offset + match.end()))
    for match in _WORDS.finditer(folded_sentence):
        tenth = match.group(2)
        value = _TENS[match.group(1)] + (int(tenth) if tenth and tenth.isdigit() else _DIGITS.get(tenth or "", 0)) / 10
        found.append(Reading(value, offset + match.start(), offset + match.end()))
    return found
