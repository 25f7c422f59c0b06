"""Patient texts per language (data/texts/<code>.yml): every language has the safety texts."""
import re

import pytest

from bot import language, paths, texts, yamldata

SAFETY_KEYS = ("contact_immediately", "advice", "reasons", "reminder", "safety_net", "fail_safe")


def _paths(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, f"{prefix}{key}.")
    else:
        yield prefix.rstrip("."), str(node)


def _safety(code):
    doc = yamldata.load(paths.DATA / "texts" / f"{code}.yml")
    return {path: text for key in SAFETY_KEYS for path, text in _paths(doc[key], f"{key}.")}


@pytest.mark.parametrize("code", [c for c in language.supported() if c != "nl"])
def test_every_language_has_the_safety_texts_of_dutch_with_the_same_placeholders(code):
    dutch, other = _safety("nl"), _safety(code)
    wanted = {p for p in dutch if p != "safety_net.marker"}
    assert wanted <= set(other), sorted(wanted - set(other))
    for path in wanted - {"contact_immediately.known"}:  # the Dutch one names the leaflet's own hours
        assert set(re.findall(r"{(\w+)}", other[path])) <= set(re.findall(r"{(\w+)}", dutch[path])) | {"name", "phone_part"}, path
        texts.get(path, code, name="X", phone_part="", phone="1", reasons="Y", hours="")


def test_the_safety_net_marker_is_part_of_the_dutch_safety_net():
    assert texts.get("safety_net.marker") in texts.get("safety_net.text", name="X", phone_part="")


def test_dutch_and_english_have_every_red_flag_question():
    from bot.triage import lexicon

    asked = {rule.category for p in lexicon.profiles().values() for rule in p.areas}
    for code in ("nl", "en"):
        for category in asked:
            assert texts.has(f"red_flag.questions.{category}", code), (code, category)
