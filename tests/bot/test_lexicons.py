"""The alarm lexicons of German, French, Spanish, Polish, Turkish and Arabic (data/triage/lexicon/),
each on its own test sentences (tests/bot/lexicon_cases/<code>.py). English and Dutch have tests of
their own (tests/bot/test_lexicon_en.py, tests/bot/test_triage*.py).

Every lexicon runs on every message, so each is checked with and without the message's language
given, and must leave Dutch (the leaflets, calm Dutch sentences) alone.
"""
import glob
import importlib
from collections import Counter

import pytest

from bot import paths
from bot.triage import categories, detect, lexicon
from bot.triage.prefilter import required_literals

CODES = ("ar", "de", "es", "fr", "pl", "tr")
CASES = {code: importlib.import_module(f"tests.bot.lexicon_cases.{code}") for code in CODES}
# the context cues every one of these lexicons has (more where they make sense)
REQUIRED_CUES = ("negation_before", "negation_after", "hypothetical", "first_person_report", "first_person", "resolved",
                 "clause_words", "not_filler")


def _cases(name):
    return [(code, *case) for code in CODES for case in getattr(CASES[code], name, [])]


def _id(case):
    return f"{case[0]}:{case[1][:40]}"


@pytest.mark.parametrize("code,text,procedure,category", _cases("ALARMS"), ids=[_id(c) for c in _cases("ALARMS")])
@pytest.mark.parametrize("given", [False, True], ids=["language-unknown", "language-given"])
def test_alarm_escalates_with_its_category(code, text, procedure, category, given):
    result = detect(text, procedure, language=code if given else None)
    assert result.escalate and category in result.categories, result.findings
    for finding in result.alarms:
        assert text[finding.start:finding.end] == finding.text


@pytest.mark.parametrize("code,text,procedure", _cases("CALM"), ids=[_id(c) for c in _cases("CALM")])
@pytest.mark.parametrize("given", [False, True], ids=["language-unknown", "language-given"])
def test_calm_message_does_not_escalate(code, text, procedure, given):
    result = detect(text, procedure, language=code if given else None)
    assert not result.escalate, result.alarms


@pytest.mark.parametrize("code,text,procedure", _cases("OWN_CUES_CALM"), ids=[_id(c) for c in _cases("OWN_CUES_CALM")])
def test_own_findings_are_calm_where_another_lexicon_shares_the_word(code, text, procedure):
    assert not [f for f in detect(text, procedure).alarms if f.language == code]


@pytest.mark.parametrize("code", CODES)
def test_every_category_has_alarm_sentences_and_the_lexicon_compiles_with_literals(code):
    counts = Counter(category for _, _, category in CASES[code].ALARMS)
    assert all(counts[c] >= 4 for c in categories.codes()), counts
    assert len(CASES[code].ALARMS) + len(CASES[code].CALM) >= 40
    profile = lexicon.profiles()[code]
    assert profile.language == code and profile.rules
    for rule in profile.rules:
        for pattern in rule.patterns + rule.reassurance:
            assert required_literals(pattern.pattern) is not None, (rule.name, pattern.pattern)
    for cue in REQUIRED_CUES:
        assert profile.cue(cue), cue


@pytest.mark.parametrize("code", CODES)
def test_words_do_not_fire_on_dutch_leaflets_or_dutch_sentences(code):
    texts = [open(path, encoding="utf-8").read() for path in sorted(glob.glob(str(paths.DATA / "leaflets" / "*.txt")))]
    assert texts
    for text in texts + list(CASES[code].DUTCH_CALM):
        result = detect(text, None)
        assert not [f for f in list(result.findings) + list(result.areas) if f.language == code], text[:60]
