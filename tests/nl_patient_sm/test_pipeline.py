"""The project's Dutch spaCy pipeline, loaded by name as Rasa's SpacyNLP loads it."""
import importlib.util

import pytest
import spacy

PIPELINES = [
    "nl_patient_sm",
    pytest.param(
        "nl_core_news_sm",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("nl_core_news_sm") is None,
            reason="nl_core_news_sm is not installed: it is published only on spaCy's release pages, "
            "which these machines cannot reach (set SPACY_MODEL=nl_core_news_sm where it is installed)",
        ),
    ),
]


@pytest.fixture(scope="module", params=PIPELINES)
def nlp(request):
    return spacy.load(request.param)


def tokens(nlp, text):
    return [t.text for t in nlp(text)]


def test_loads_by_name_as_dutch_from_disk(nlp):
    # Rasa's SpacyNLP refuses a pipeline that was not loaded from disk (nlp.path is None).
    assert nlp.lang == "nl" and nlp.path is not None


def test_decimal_temperatures_stay_whole_and_units_split(nlp):
    assert "38,5" in tokens(nlp, "ik heb 38,5 gemeten")
    toks = tokens(nlp, "temp 38.5°C vanochtend")
    assert "38.5" in toks and not any(t.startswith("38.5°") for t in toks)


def test_patient_lemmas(nlp):
    lemmas = {t.text: t.lemma_ for t in nlp("mijn benen en voeten voelen doof")}
    assert lemmas["benen"] == "been"
    assert lemmas["voeten"] == "voet"


def test_project_pipeline_specifics():
    nlp = spacy.load("nl_patient_sm")
    assert tokens(nlp, "2x overgegeven") == ["2", "x", "overgegeven"]
    assert "+/-" in tokens(nlp, "+/- 3 uur geleden")
    assert ":)" in tokens(nlp, "dank je :)")
    assert tokens(nlp, "39graden")[:2] == ["39", "graden"]
    assert "°C" in tokens(nlp, "38,5°C")
    assert {t.text: t.lemma_ for t in nlp("ik heb niet geplast")}["geplast"] == "plassen"
    assert nlp.meta["name"] == "patient_sm"


def test_lemma_table_refuses_conflicting_entries(tmp_path):
    import sys

    from bot import paths

    sys.path.insert(0, str(paths.ROOT / "packages" / "nl_patient_sm"))
    from build_pipeline import read_additions as _read_additions

    table = tmp_path / "t.tsv"
    table.write_text("benen\tbeen\nbenen\tbenen\n", encoding="utf-8")
    with pytest.raises(ValueError, match="two lemmas"):
        _read_additions(table)


def test_package_versions_agree():
    from importlib.metadata import version

    import nl_patient_sm

    assert spacy.info("nl_patient_sm")["version"] == version("nl_patient_sm") == nl_patient_sm.__version__
