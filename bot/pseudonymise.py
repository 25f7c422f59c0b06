"""Replace what identifies a patient in a Dutch or Flemish message by placeholders, for training
candidates a developer reads (bot/feedback_export.py).

Rule-based on purpose: the patterns are few and testable, and a statistical NER model would need
training data we do not have. It errs on the side of replacing: a candidate that lost a word is
fixed by the developer; a name that slipped through is a leak. Medical content stays: temperatures
("39 graden", "38,5"), durations ("2 weken"), doses, and weekdays and relative days ("sinds maandag",
"gisteren"), which identify nobody and matter for triage.

Placeholders: [NAAM] [DATUM] [TELEFOON] [EMAIL] [POSTCODE] [ADRES] [NUMMER].
"""
import re
from functools import lru_cache
from typing import Iterable, List, Pattern, Tuple

from bot import paths, yamldata

NAME, DATE, PHONE, EMAIL, POSTCODE, ADDRESS, NUMBER = (
    "[NAAM]", "[DATUM]", "[TELEFOON]", "[EMAIL]", "[POSTCODE]", "[ADRES]", "[NUMMER]")

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_UPPER = "A-ZÀ-ÖØ-Þ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_CAPITALISED = rf"[{_UPPER}][{_LETTER}'’\-]+"
_PREFIX = r"(?:van|de|den|der|ter|ten|te|vander|vanden|le|la|du|d'|op\s+de|in\s+'t|van\s+de|van\s+den|van\s+der)"
# A capitalised name, optionally with more parts and Dutch prefixes ("Jan", "Jan de Vries", "van der Berg").
_FULL_NAME = rf"(?:{_PREFIX}\s+)?{_CAPITALISED}(?:\s+(?:{_PREFIX}\s+)?{_CAPITALISED}){{0,2}}"

# Every pattern below runs in linear time on any input (tests/bot/test_pseudonymise.py times adversarial
# texts): a match starts only where a run of its characters starts (a lookbehind), repetitions are
# bounded, and no two alternatives or neighbouring quantifiers can match the same characters.
_EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}(?![\w\-])")
# Dutch and Belgian numbers: +31/0031/+32/0032 or a leading 0, then digits with spaces, dots, dashes,
# slashes or "(0)". The digit count is checked in _phone(), so "0,5" or "2-3 dagen" never match.
_PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?3[12]\s?(?:\(0\)\s?)?|0)\d(?:(?:\s?[.\-/]\s?|\s)?\d){6,10}(?!\d)")
# Belgian rijksregisternummer (YY.MM.DD-XXX.CC) and long digit runs: BSN (9 digits, also 123.456.789),
# patient and file numbers (6 or more digits), and codes of letters plus 5 or more digits (ZH1234567).
_RRN_RE = re.compile(r"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[\s\-.]\d{3}[.\s]?\d{2}(?!\d)")
_DOTTED_BSN_RE = re.compile(r"(?<![\d.,])\d{3,4}([.\s])\d{2,3}\1\d{3}(?!\d|[.,]\d)")
_ID_RE = re.compile(rf"(?<![\w])(?:(?:[{_LETTER}]{{1,4}}-?)?\d{{6,}}|[{_LETTER}]{{1,4}}-?\d{{5,}})(?!\w)")
_ID_AFTER_WORD_RE = re.compile(
    r"(?i)\b((?:patiënt|patient|dossier|ziekenhuis|registratie|burgerservice|rijksregister|cliënt|client|bsn|mrn)"
    r"(?:\s?nummer|\s?nr\.?)?[ \t]{0,3}(?:[:#.][ \t]{0,3})?)([A-Za-z]{0,4}-?\d[\d.\-]{3,})")
_NUMERIC_DATE_RE = re.compile(r"(?<![\d,.])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2})(?!\d|,\d)")
_WRITTEN_DATE_RE = re.compile(
    rf"(?i)\b(?:\d{{1,2}}(?:e|ste|de)?\s+(?:{_MONTHS})\.?(?:\s+(?:19|20)\d{{2}})?|(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}})(?![{_LETTER}])")
_YEAR_RE = re.compile(r"(?i)\b(geboren(?:\s+(?:in|op))?|in|sinds|uit|van|jaar|bouwjaar)\s+((?:19|20)\d{2})\b(?!\s*(?:mg|ml|g|mcg|µg|x|keer|stappen|m)\b)")
_POSTCODE_NL_RE = re.compile(r"(?<!\d)[1-9]\d{3}\s?(?!SS|SD|SA)[A-Z]{2}(?![\w])|(?<!\d)[1-9]\d{3}(?!SS|SD|SA|mg|ml|kg|cm|mm|km)[a-z]{2}(?![\w])")
# A Belgian postcode is 4 digits, recognised only before a capitalised place name ("9000 Gent").
_POSTCODE_BE_RE = re.compile(rf"(?<![\d,.])[1-9]\d{{3}}(?=\s+[{_UPPER}][{_LETTER}\-]{{2,}})")
_STREET_SUFFIX = "straat|laan|weg|plein|dijk|kade|gracht|singel|steeg|dreef|lei|baan|pad|markt|hof|park|wal|veld|kaai"
_UNIT_AFTER = r"\s*(?:uur|u\b|min|minuten|dag|dagen|week|weken|maand|maanden|jaar|km|m\b|meter|keer|x|kilo|kg|graden|mg|ml)"
# The words before a street name ("Burgemeester van der", "Sint") one token each, at most five: a
# capitalised word or one prefix word, never two ways to read "van de" (that was exponential).
_STREET_WORD = r"(?:[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ]*\.?|van|de|den|der|ter|ten|te|op|in|'t|le|la|du|d')"
_ADDRESS_RE = re.compile(
    rf"(?<![{_LETTER}])(?:{_STREET_WORD}[ \t]+){{0,5}}[{_LETTER}'\-]{{2,40}}(?:{_STREET_SUFFIX})[ \t]+\d{{1,4}}"
    rf"(?!{_UNIT_AFTER})(?:\s?[a-zA-Z](?![{_LETTER}])|[-/]\d{{1,4}}|\s?bis)?(?!\d|,\d)"
)
_NAME_AFTER_RE = re.compile(
    rf"(\b(?:[Ii]k\s+ben|[Ii]k\s+heet|[Mm]ijn\s+naam\s+is|[Nn]aam\s*:|[Uu]\s+spreekt\s+met|"
    rf"[Mm]eneer|[Mm]evrouw|[Mm]evr\.?|[Mm]w\.?|[Dd]hr\.?|[Hh]r\.?|[Dd]okter|[Dd]r\.?|[Zz]uster|[Bb]roeder|[Vv]erpleegkundige|"
    rf"[Ff]ysiotherapeut|[Hh]uisarts|[Cc]hirurg|[Nn]eurochirurg|[Aa]nesthesist|[Gg]roet(?:en|jes)?(?:\s*,)?|[Vv]riendelijke\s+groet(?:en)?(?:\s*,)?|[Mm]vg(?:\s*,)?)"
    rf"\s+)({_FULL_NAME})"
)


@lru_cache(maxsize=1)
def _name_patterns() -> Tuple[Pattern, Pattern]:
    lists = yamldata.load(paths.DATA / "pseudonymise.yml")
    first = sorted(set(lists["first_names"]), key=len, reverse=True)
    last = sorted(set(lists["surnames"]), key=len, reverse=True)
    prefixed = sorted(set(lists["prefixed_surnames"]), key=len, reverse=True)

    def words(names: List[str]) -> str:
        return "|".join(re.escape(n) for n in names)

    def prefixed_words() -> str:
        # "de Vries" also as "De Vries"; the surname keeps its capital.
        parts = []
        for name in prefixed:
            *prefix, surname = name.split()
            parts.append(r"\s+".join([f"(?i:{re.escape(p)})" for p in prefix] + [re.escape(surname)]))
        return "|".join(parts)

    # A listed first name with what follows it that looks like the rest of a name ("Anna de Wit").
    known_first = re.compile(rf"(?<![{_LETTER}\[])(?:{words(first)})(?:\s+(?:{_PREFIX}\s+)?{_CAPITALISED}){{0,2}}(?![{_LETTER}])")
    known_last = re.compile(rf"(?<![{_LETTER}\[])(?:{prefixed_words()}|{words(last)})(?![{_LETTER}])")
    return known_first, known_last


def _phone(match: "re.Match[str]") -> str:
    digits = re.sub(r"\D", "", match.group(0))
    international = match.group(0).lstrip().startswith(("+", "00"))
    # NL: 10 digits with the leading 0 (11 with 31); BE: 9 or 10 with the 0 (11 or 12 with 32).
    return PHONE if (9 <= len(digits) <= 10 or (international and 10 <= len(digits) <= 13)) else match.group(0)


MAX_INPUT_CHARS = 4000  # a training candidate is one message (answered ones hold at most 2,000 characters)
CUT = " […]"


def pseudonymise(text: str, known: Iterable[str] = ()) -> str:
    """The text with names, dates, phone numbers, e-mail addresses, postcodes, street addresses and
    identifying numbers replaced by placeholders. ``known``: strings to replace wherever they occur
    (the conversation's patient id). Longer texts (a stored 64 KB message) are cut first, at a space."""
    if len(text) > MAX_INPUT_CHARS:
        text = text[:MAX_INPUT_CHARS].rsplit(None, 1)[0] + CUT
    for value in sorted({k for k in known if k and len(k) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(value), NUMBER, text, flags=re.IGNORECASE)
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _ID_AFTER_WORD_RE.sub(lambda m: m.group(1) + NUMBER, text)
    text = _RRN_RE.sub(NUMBER, text)
    text = _PHONE_RE.sub(_phone, text)
    text = _DOTTED_BSN_RE.sub(NUMBER, text)
    text = _NUMERIC_DATE_RE.sub(DATE, text)
    text = _WRITTEN_DATE_RE.sub(DATE, text)
    text = _YEAR_RE.sub(lambda m: f"{m.group(1)} {DATE}", text)
    text = _ID_RE.sub(NUMBER, text)
    text = _ADDRESS_RE.sub(ADDRESS, text)
    text = _POSTCODE_NL_RE.sub(POSTCODE, text)
    text = _POSTCODE_BE_RE.sub(POSTCODE, text)
    text = _NAME_AFTER_RE.sub(lambda m: m.group(1) + NAME, text)
    known_first, known_last = _name_patterns()
    text = known_first.sub(NAME, text)
    text = known_last.sub(NAME, text)
    text = re.sub(rf"{re.escape(NAME)}(?:\s+{re.escape(NAME)})+", NAME, text)  # "[NAAM] [NAAM]" → one
    # Rasa reads "[x](y)", "[x]{...}" and "[x][...]" as entity annotations: keep placeholders apart.
    return re.sub(r"(\[(?:NAAM|DATUM|TELEFOON|EMAIL|POSTCODE|ADRES|NUMMER)\])(?=[(\[{])", r"\1 ", text)
