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


def test_a_question_about_what_a_rare_leaflet_word_means_gets_the_passage_that_uses_it():
    stimulator = ["ruggenmergstimulatie-proefstimulatie"]
    assert "epidurale ruimte" in retrieval.term_passage("Wat betekent epidurale ruimte?", stimulator).passage.text
    assert "verschuift" in retrieval.term_passage("hoe merk ik dat de elektrode verschoven is", stimulator).passage.text
    assert "liquor" in fold(retrieval.term_passage("Mijn zoon vraagt: wat bedoelen ze met liquor", ["bloedpatch-na-ruggenprik"]).passage.text)


def test_common_words_and_questions_that_only_start_with_wat_is_are_left_to_the_topics():
    hernia = ["rughernia", "keuzekaart-hernia-in-de-rug"]
    assert retrieval.term_passage("wat is een hernia eigenlijk?", hernia) is None  # the word is everywhere
    assert retrieval.term_passage("Wat is de volgende stap?", hernia) is None
    assert retrieval.term_passage("Wat is het telefoonnummer van de poli?", ["ruggenmergstimulatie-proefstimulatie"]) is None
    assert retrieval.term_passage("Mag ik fietsen na de elektrode?", ["ruggenmergstimulatie-proefstimulatie"]) is None  # no such question


def test_adversarial_questions_keep_the_paragraph_search_bounded():
    import time

    hernia = ["rughernia", "keuzekaart-hernia-in-de-rug"]
    retrieval.search("opwarmen", hernia)  # the index is built once, outside the time limit
    for text in (("wat is " * 300)[:2000], "'a" * 1000, " wat wil " * 250, "bloedverdunner " * 130, "?!" * 1000, "a" * 2000, "hoe merk ik " * 180):
        started = time.perf_counter()
        retrieval.term_passage(text, hernia)
        retrieval.search(text, hernia)
        assert time.perf_counter() - started < 1.0, text[:30]


def test_web_addresses_and_lists_of_links_are_never_searched_or_an_answer():
    # the bloedpatch leaflet links to a page ".../ruggenprik-lumbaalpunctie": that link is no answer about a lumbaalpunctie
    hit = retrieval.best("Mijn man heeft sinds zijn lumbaalpunctie hoofdpijn en ook gepiep in zijn oren. Hoort dat er ook bij?",
                         ["bloedpatch-na-ruggenprik"])
    assert hit is not None and "http" not in hit.passage.text and "oorsuizen" in hit.passage.text
    for leaflet in ("bloedpatch-na-ruggenprik", "ruggenmergstimulatie-proefstimulatie"):
        passages, _, _ = retrieval._index((leaflet,))
        assert not any(p.text.startswith(("(https", "Pijnbestrijding (https", "Anesthesiologie (https")) for p in passages)


def test_a_word_spelt_as_it_sounds_finds_the_leaflet_word():
    hernia = ["rughernia", "keuzekaart-hernia-in-de-rug"]
    assert "narcose" in retrieval.term_passage("wat is narkose", hernia).passage.text
    assert retrieval._sound("lumbaalpunktie") == retrieval._sound("lumbaalpunctie")
    assert retrieval._sound("narcose") != retrieval._sound("nacht")
