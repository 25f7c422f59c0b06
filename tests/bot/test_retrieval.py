"""Paragraph retrieval over the leaflets' own text (bot/leaflets.py, bot/retrieval.py)."""
from bot import leaflets, retrieval
from bot.normalize import fold


def test_passages_keep_their_headings_and_join_words_broken_at_line_ends():
    found = leaflets.passages("wortelinfiltratie-en-denervatie")
    test = next(p for p in found if "proefinfiltratie uitvoeren" in p.text)
    assert test.section == "Wat is een proefinfiltratie?" and "proefinfiltra- tie" not in test.text
    prep = next(p for p in found if "identiteitskaart" in p.text)
    assert prep.section == "Voorbereiding"


def test_every_passage_is_leaflet_text():
    for leaflet in ("bloedpatch-na-ruggenprik", "keuzekaart-hernia-in-de-rug", "ruggenmergstimulatie-proefstimulatie", "rughernia",
                    "wortelinfiltratie-en-denervatie"):
        # (the bullets "•" and sub-bullets "o" of the PDF export are not part of a passage's text)
        source = " ".join(w for w in fold(leaflets.leaflet_text(leaflet)).replace("- ", "").split() if w not in ("•", "o"))
        for passage in leaflets.passages(leaflet):
            for sentence in passage.text.split(". "):
                words = fold(sentence).split()
                assert " ".join(words[:4]) in source, (leaflet, sentence)
            assert len(passage.text) <= 2 * leaflets.MAX_PASSAGE_CHARS


def test_compound_words_typos_and_lay_words_find_the_paragraph():
    stimulator = ["ruggenmergstimulatie-proefstimulatie"]
    assert "wondcontrole" in retrieval.best("wanneer is de controle van de wond?", stimulator).passage.text
    assert "uitslaapkamer" in retrieval.best("waar verblijf ik meteen na de ingreep?", stimulator).passage.text
    root = ["wortelinfiltratie-en-denervatie"]
    assert "identiteitskaart" in retrieval.best("moet ik mijn identiteitskaart meebrengen", root).passage.text
    assert "bloedverdunners" in retrieval.best("moet ik stoppen met mijn bloedverdunnres?", root).passage.text


def test_no_paragraph_when_nothing_clearly_matches():
    assert retrieval.best("mag ik mijn hond uitlaten?", ["bloedpatch-na-ruggenprik"]) is None
    assert retrieval.best("hallo", ["rughernia"]) is None


def test_general_hospital_pages_are_never_an_answer():
    hits = retrieval.search("expertise en ervaring van het ziekenhuis", ["bloedpatch-na-ruggenprik"])
    assert not any(h.passage.text.startswith("Expertise en ervaring") for h in hits)
