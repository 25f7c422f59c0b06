"""Choosing the topic of a question from Rasa's ranking and the leaflets' words (bot/answering.py)."""
from bot import answering, knowledge, topic_match


def _ranking(*pairs):
    return [{"name": name, "confidence": conf} for name, conf in pairs]


def test_leaflet_words_find_the_topic():
    assert topic_match.rank("wanneer mag ik weer autorijden", "wortelinfiltratie")[0][0] == "driving"
    assert topic_match.rank("kan ik door de detectiepoortjes in de winkel", "ruggenmergstimulatie")[0][0] == "magnets"


def test_only_the_treatments_leaflets_are_searched():
    assert "diving" not in dict(topic_match.rank("mag ik duiken", "bloedpatch"))


def test_a_broad_intent_sharing_no_word_with_the_question_yields_to_one_that_does():
    ranking = _ranking(("ask_alarm_symptoms", 0.5), ("ask_driving", 0.2))
    assert answering.choose_topic(ranking, "mag ik autorijden na de wortelinfiltratie?", "wortelinfiltratie") == "driving"


def test_a_confident_intent_stands():
    ranking = _ranking(("ask_lifting", 0.9), ("ask_driving", 0.05))
    assert answering.choose_topic(ranking, "mag ik tillen en autorijden?", "bloedpatch") == "lifting"


def test_unsure_rasa_gets_a_topic_only_when_the_words_agree():
    agree = _ranking(("nlu_fallback", 0.35), ("ask_diving", 0.3))
    disagree = _ranking(("nlu_fallback", 0.35), ("ask_magnets", 0.3))
    assert answering.choose_topic(agree, "duiken?", "ruggenmergstimulatie", agreement_only=True) == "diving"
    assert answering.choose_topic(disagree, "duiken?", "ruggenmergstimulatie", agreement_only=True) is None


def test_without_the_treatment_each_treatments_answer_is_given_under_its_name_then_asked():
    reply = answering.answer_topic("lifting", None, "hoelang niet tillen?")
    assert reply.pending_topic == "lifting" and reply.procedure is None  # nothing guessed or remembered
    assert reply.texts[0].startswith("Het antwoord verschilt per behandeling")
    assert "Welke behandeling heeft u gehad?" in reply.texts[-1]
    labelled = reply.texts[1:-1]
    assert [t.split(":")[0] for t in labelled] == [
        "Bij een bloedpatch na een ruggenprik", "Bij een proefstimulatie (ruggenmergstimulatie)", "Bij een hernia in de rug"]
    assert [s["leaflet"] for s in reply.sources] == ["bloedpatch-na-ruggenprik", "ruggenmergstimulatie-proefstimulatie", "keuzekaart-hernia-in-de-rug"]
    assert all("Bron: folder" in t for t in labelled)


def test_a_topic_too_long_to_list_per_treatment_is_guessed_only_on_clear_words_else_asked():
    assert len(" ".join(a.text for k in knowledge.lookup("risks", None).choices for a in knowledge.lookup("risks", k).answers)) > answering.OVERVIEW_MAX_CHARS
    asked = answering.answer_topic("risks", None, "wat zijn de risicos?")
    assert asked.pending_topic == "risks" and "Welke behandeling heeft u gehad" in asked.texts[0] and not asked.sources

    assumed = answering.answer_topic("risks", None, "kans op verlamming of zenuwschade na de operatie aan de hernia")
    assert assumed.texts[0].startswith("Ik ga ervan uit dat uw vraag over de hernia in de rug gaat")
    assert assumed.sources[0]["leaflet"] == "keuzekaart-hernia-in-de-rug"
    assert assumed.pending_topic is None
    assert assumed.procedure is None  # a guess is not remembered as the patient's treatment


# ----- respond: the one decision (ask, don't guess, and don't give up) -----

def _res(procedure):
    from bot import procedures

    return procedures.resolve("", portal=procedure)


def test_swimming_bathing_and_sport_are_never_answered_with_diving_the_wound_check_or_lifting():
    for text, guess in [("mag ik zwemmen?", "ask_diving"), ("mag ik in bad met de wond?", "ask_wound_care"),
                        ("wanneer mag ik weer sporten?", "ask_lifting"), ("mag ik douchen met de pleister?", "ask_wound_care")]:
        for procedure in ("ruggenmergstimulatie", "bloedpatch", "hernia", "wortelinfiltratie"):
            reply = answering.respond(_ranking((guess, 0.9)), text, _res(procedure))
            joined = " ".join(reply.texts)
            assert joined.startswith("Over ") and "staat niets in de folder" in joined and not reply.sources, (text, procedure)
            assert "10 meter" not in joined and "wondcontrole" not in joined and "tillen" not in joined


def test_an_activity_in_a_sentence_that_does_not_ask_does_not_hide_the_question():
    reply = answering.respond(_ranking(("ask_physiotherapy", 0.9)), "Wanneer heeft fysiotherapie zin? Ik wil weer hardlopen.", _res("hernia"))
    assert reply.sources and reply.sources[0]["section"] == "Fysiotherapie"


def test_a_topic_the_leaflet_lacks_gets_its_stand_in_or_an_honest_no():
    # the choice card has no "normal complaints afterwards"; its risks list the side effects
    stand_in = answering.respond(_ranking(("ask_expected_side_effects", 0.9)), "welke bijwerkingen kan ik verwachten?", _res("hernia"))
    assert any("risico" in s["section"] for s in stand_in.sources)
    # the root-infiltration leaflet says nothing about work: not its next-best topic
    honest = answering.respond(_ranking(("ask_work", 0.9)), "wanneer kan ik weer gaan werken?", _res("wortelinfiltratie"))
    assert "staat niets in de folder" in honest.texts[0] and "015 89 22 50" in honest.texts[0]


def test_bed_rest_before_a_blood_patch_is_not_lying_flat_after_it():
    ranking = _ranking(("ask_lying_flat", 0.6), ("ask_first_line_treatment", 0.3))
    before = answering.respond(ranking, "hoe lang moet ik plat in bed blijven voordat ze de bloedpatch doen?", _res("bloedpatch"))
    assert before.sources[0]["section"] == "Wat is er aan te doen"
    after = answering.respond(ranking, "hoe lang moet ik plat blijven liggen na de bloedpatch?", _res("bloedpatch"))
    assert after.sources[0]["section"] == "Enkele uren plat liggen"


def test_a_question_about_chances_is_about_risks_not_when_to_call():
    reply = answering.respond(_ranking(("ask_alarm_symptoms", 0.5), ("ask_risks", 0.4)), "hoe groot is de kans op een infectie?", _res("ruggenmergstimulatie"))
    assert reply.sources[0]["section"] == "Risico's en complicaties"


def test_answers_on_when_and_whom_to_call_give_the_route_outside_office_hours():
    for procedure, route in (("bloedpatch", "huisartsenpost"), ("wortelinfiltratie", "huisarts van wacht")):
        reply = answering.answer_topic("alarm_symptoms", procedure, "wanneer moet ik bellen?")
        assert route in reply.texts[-1] and "112" in reply.texts[-1]
        assert not reply.texts[-1].startswith("Bron:") and "Bron:" not in reply.texts[-1]  # hospital policy, not leaflet text


def test_no_topic_fits_the_leaflet_paragraph_answers_with_its_section():
    # no topic answers how to make a patient-portal account; the leaflet has a paragraph on it
    reply = answering.respond(_ranking(("nlu_fallback", 0.4)), "hoe maak ik een account aan op het patiëntenportaal?", _res("ruggenmergstimulatie"), unsure=True)
    assert "Mijn Antonius" in reply.texts[-1] and reply.texts[-1].splitlines()[-1].startswith("Bron: folder Ruggenmergstimulatie")
    assert reply.sources == [{"leaflet": "ruggenmergstimulatie-proefstimulatie", "section": "Mijn Antonius-account aanmaken"}]


def test_a_detail_the_topic_answer_leaves_out_comes_from_its_paragraph():
    # the preparation answer does not say where the coat and belongings go; the arrival paragraph does
    reply = answering.answer_topic("preparation", _res("wortelinfiltratie"), "waar laat ik mijn jas en mijn spullen als ik aankom?")
    assert "identiteitskaart" in reply.texts[0] and "kastje" not in reply.texts[0] and "kastje" in " ".join(reply.texts[1:])


def test_nothing_in_the_leaflet_says_so_with_the_departments_number():
    reply = answering.respond(_ranking(("nlu_fallback", 0.3)), "welke kleur heeft het logo van het ziekenhuis?", _res("ruggenmergstimulatie"), unsure=True)
    assert "staat niets in de folder" in reply.texts[0] and "088 320 68 00" in reply.texts[0]


def test_an_english_question_finds_the_dutch_topic_through_the_glossary():
    reply = answering.respond(_ranking(("nlu_fallback", 0.3)), "How deep am I allowed to dive with the stimulator?", _res("ruggenmergstimulatie"), unsure=True)
    assert "10 meter" in reply.texts[0]


def test_an_activity_named_beside_a_vague_question_is_what_is_asked():
    reply = answering.respond(_ranking(("ask_natural_course", 0.3), ("ask_physiotherapy", 0.25)),
                              "Mijn schoonmoeder zweert bij acupunctuur. Zou dat ook helpen?", _res("hernia"))
    assert reply.texts[0].startswith("Over acupunctuur staat niets in de folder") and not reply.sources


def test_what_a_rare_word_means_is_answered_from_the_passage_that_uses_it_when_no_topic_is_clear():
    reply = answering.respond(_ranking(("nlu_fallback", 0.4)), "Wat betekent epidurale ruimte?", _res("ruggenmergstimulatie"), unsure=True)
    assert "epidurale ruimte" in reply.texts[-1] and reply.sources[0]["leaflet"] == "ruggenmergstimulatie-proefstimulatie"
    # without the treatment: the one leaflet that uses the word answers, and says which treatment it assumed
    reply = answering.respond(_ranking(("nlu_fallback", 0.4)), "wat bedoelt de arts met uitslaapkamer", _res(None), unsure=True)
    assert reply.texts[0].startswith("Ik ga ervan uit") and "uitslaapkamer" in reply.texts[-1]
    # a word that only one treatment's leaflet uses tells the treatment; "beteken" itself is never the word asked about
    reply = answering._term_answer("wat betekent denervatie", _res(None))
    assert reply.sources[0]["leaflet"] == "wortelinfiltratie-en-denervatie" and "denervatie" in reply.texts[-1].split("\n")[0]


def test_a_clear_topic_is_not_overridden_by_a_word_in_a_what_does_it_mean_question():
    reply = answering.respond(_ranking(("ask_driving", 0.95)), "Wat betekent dat voor het autorijden met de stimulator?", _res("ruggenmergstimulatie"))
    assert reply.sources and reply.sources[0]["section"] == "Autorijden"
