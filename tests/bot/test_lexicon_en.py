"""The English alarm lexicon (data/triage/lexicon/en.yml): every category in natural British and
American wordings, and the context rules that keep calm English messages calm.

The sentences are written for this file (not taken from the regression sets). Every lexicon runs
on every message, so a calm sentence must not escalate through any language; a few calm English
sentences that another lexicon still flags are checked for the English findings only.
"""
import glob
import time

import pytest

from bot import paths
from bot.evaluation import cost
from bot.triage import decide, detect, detector, lexicon
from bot.triage.prefilter import required_literals

ALARMS = [
    # fever
    ("I've had a fever since last night", "unknown", "fever"),
    ("Running a high temp and shivering under the duvet", "hernia", "fever"),
    ("I'm burning up and I've got the chills", "ruggenmergstimulatie", "fever"),
    ("got a bit of a temperature today", "unknown", "fever"),
    ("I feel really hot and shivery, hot and cold all evening", "bloedpatch", "fever"),
    ("My husband has a really high temperature since his op", "hernia", "fever"),
    ("running a fever of 101", "unknown", "fever"),
    # loss of strength or feeling
    ("My left leg has gone numb and weak", "hernia", "neuro_deficit"),
    ("I can't get up off the sofa, my legs won't hold me", "unknown", "neuro_deficit"),
    ("My foot flops when I walk and keeps catching on the carpet", "hernia", "neuro_deficit"),
    ("I can't stand on my tiptoes any more", "unknown", "neuro_deficit"),
    ("can't walk on my heels", "bloedpatch", "neuro_deficit"),
    ("I can't feel my feet", "bloedpatch", "neuro_deficit"),
    ("i cant feel my legs properly", "unknown", "neuro_deficit"),
    ("My wife can't feel her legs since this afternoon", "ruggenmergstimulatie", "neuro_deficit"),
    ("Dad's legs keep giving way and he can't climb the stairs", "unknown", "neuro_deficit"),
    ("my mom can't get out of her chair", "unknown", "neuro_deficit"),
    ("I'm dragging my right foot, it just won't lift", "hernia", "neuro_deficit"),
    ("my legs feel like jelly and buckled under me on the stairs", "unknown", "neuro_deficit"),
    ("she has no strength in her legs at all", "unknown", "neuro_deficit"),
    ("I've lost all the strength in my left leg", "hernia", "neuro_deficit"),
    ("I keep tripping over my own feet", "unknown", "neuro_deficit"),
    ("my legs gave out on me at the store", "unknown", "neuro_deficit"),
    ("he says his feet feel like they don't belong to him", "hernia", "neuro_deficit"),
    ("I have foot drop", "hernia", "neuro_deficit"),
    # after a root infiltration, weakness that lasts or worsens is not the expected effect
    ("The injection was two days ago and my leg is still numb and weak", "wortelinfiltratie", "neuro_deficit"),
    ("My leg is still numb the next day", "wortelinfiltratie", "neuro_deficit"),
    ("my leg is numb since the injection and getting worse", "wortelinfiltratie", "neuro_deficit"),
    # saddle area
    ("My bum has gone numb", "unknown", "saddle_anaesthesia"),
    ("I've had pins and needles in my groin for two days now", "hernia", "saddle_anaesthesia"),
    ("I can't feel the toilet paper when I wipe", "unknown", "saddle_anaesthesia"),
    ("numb around my back passage and between my legs", "unknown", "saddle_anaesthesia"),
    ("it feels like I'm sitting on cotton wool", "unknown", "saddle_anaesthesia"),
    ("My husband says he can't feel his bottom or his private parts", "hernia", "saddle_anaesthesia"),
    ("mum says her bottom is numb", "unknown", "saddle_anaesthesia"),
    ("I can't feel my butt", "unknown", "saddle_anaesthesia"),
    ("down there feels numb, like it's not mine", "unknown", "saddle_anaesthesia"),
    ("The tingling in my bum is still there even when the stimulator is switched off", "ruggenmergstimulatie",
     "saddle_anaesthesia"),
    # bladder and bowel
    ("I haven't been able to pee since this morning", "unknown", "bladder_bowel"),
    ("I wet myself and didn't even notice", "hernia", "bladder_bowel"),
    ("can't hold my wee anymore, it just comes out", "unknown", "bladder_bowel"),
    ("I've lost control of my bowels", "unknown", "bladder_bowel"),
    ("I don't get the urge to pee any more", "wortelinfiltratie", "bladder_bowel"),
    ("Mum has wet the bed twice and doesn't realise", "unknown", "bladder_bowel"),
    ("I pooped myself and didn't realize", "unknown", "bladder_bowel"),
    ("my bladder feels full but nothing comes out when I sit on the loo", "hernia", "bladder_bowel"),
    ("I'm struggling to pee, only a few dribbles", "bloedpatch", "bladder_bowel"),
    ("I can't feel when I need a poo", "unknown", "bladder_bowel"),
    ("My husband's been peeing himself and doesn't know", "hernia", "bladder_bowel"),
    # infection signs after the stimulator trial (and with the treatment unknown)
    ("The wound where the lead comes out is red and swollen", "ruggenmergstimulatie", "infection_signs"),
    ("there's yellow pus coming from the wound", "ruggenmergstimulatie", "infection_signs"),
    ("I have a bad headache and a stiff neck", "ruggenmergstimulatie", "infection_signs"),
    ("The dressing smells and there's fluid leaking out of the wound", "ruggenmergstimulatie", "infection_signs"),
    ("I feel really unwell and rough today", "ruggenmergstimulatie", "infection_signs"),
    ("itchy red rash around the plaster", "ruggenmergstimulatie", "infection_signs"),
    ("it hurts to bend my head forward", "ruggenmergstimulatie", "infection_signs"),
    ("The wound is getting more and more painful every day", "ruggenmergstimulatie", "infection_signs"),
    ("the skin around the wound is hot and red", "unknown", "infection_signs"),
    # infection at the injection or puncture site
    ("The injection site is red and hot", "wortelinfiltratie", "infection_signs"),
    ("there is a swollen red lump where they put the needle in", "bloedpatch", "infection_signs"),
    ("My neck is so stiff I can't put my chin on my chest", "bloedpatch", "infection_signs"),
    ("pus coming out of the puncture site", "wortelinfiltratie", "infection_signs"),
    # the wound after hernia surgery
    ("The wound is red and oozing", "hernia", "wound_complication"),
    ("my scar has opened up a bit and there's clear fluid", "hernia", "wound_complication"),
    ("Two of the stitches came out and the incision is gaping", "hernia", "wound_complication"),
    ("My husband's wound is hot and swollen", "hernia", "wound_complication"),
    # thrombosis
    ("My calf is swollen, red and warm", "hernia", "thrombosis"),
    ("I think I have a blood clot in my leg", "unknown", "thrombosis"),
    ("my left leg is thicker than the right and hot", "bloedpatch", "thrombosis"),
    ("Worried about DVT, my lower leg is swollen and tender", "wortelinfiltratie", "thrombosis"),
    ("I've got a red, hot, painful calf", "hernia", "thrombosis"),
    # emergencies
    ("I have crushing chest pain", "unknown", "emergency"),
    ("there's a tight pressure across my chest and I'm short of breath", "unknown", "emergency"),
    ("my husband can't breathe properly", "hernia", "emergency"),
    ("Mum collapsed in the kitchen", "unknown", "emergency"),
    ("his face is drooping on one side and his speech is slurred", "unknown", "emergency"),
    ("My daughter says I'm slurring my words", "unknown", "emergency"),
    ("suddenly my arm went weak and I dropped my cup", "unknown", "emergency"),
    ("the bleeding won't stop, it's soaked through the dressing", "hernia", "emergency"),
    ("my lips and tongue are swelling up", "ruggenmergstimulatie", "emergency"),
    ("Dad is very drowsy after his morphine and we can't wake him", "unknown", "emergency"),
    ("She took her oxycodone and now she's barely breathing", "hernia", "emergency"),
    ("my husband is confused and very sleepy since the oxycodone", "unknown", "emergency"),
    ("I passed out in the shower", "bloedpatch", "emergency"),
    ("I fell in the bathroom and can't get up", "unknown", "emergency"),
    ("my wife fell and I can't get her up", "hernia", "emergency"),
    # thoughts of ending one's life
    ("I want to die", "unknown", "suicidal"),
    ("I don't want to live like this any more", "hernia", "suicidal"),
    ("I've been saving up my tramadol to take them all at once", "unknown", "suicidal"),
    ("everyone would be better off without me", "unknown", "suicidal"),
    ("I keep thinking about ending my life", "unknown", "suicidal"),
    ("I want to hurt myself", "unknown", "suicidal"),
    ("I wish I could go to sleep and never wake up", "ruggenmergstimulatie", "suicidal"),
    ("there's no point in going on", "unknown", "suicidal"),
]

CALM = [
    # negated
    ("I have no fever", "unknown"),
    ("No fever, no chills", "hernia"),
    ("My leg isn't numb", "unknown"),
    ("My legs are not weak", "hernia"),
    ("I don't have any numbness or weakness in my legs", "hernia"),
    ("my leg isnt weak at all", "unknown"),
    ("I don't feel my legs are getting weaker", "hernia"),
    ("No, my legs feel normal", "unknown"),
    ("I don't have any numbness in my bum or groin", "unknown"),
    ("No pins and needles down there", "unknown"),
    ("my bum doesn't feel numb", "unknown"),
    ("I haven't wet myself", "unknown"),
    ("The wound looks fine, no redness or swelling", "ruggenmergstimulatie"),
    ("the wound isn't red", "ruggenmergstimulatie"),
    ("I don't have a headache or a stiff neck", "ruggenmergstimulatie"),
    ("No swelling in my calf", "hernia"),
    ("I haven't got any chest pain", "unknown"),
    ("I'm not short of breath", "unknown"),
    ("I'm not suicidal, just fed up with the pain", "unknown"),
    ("I would never hurt myself", "unknown"),
    ("Numb? No, not at all.", "unknown"),
    # explicit normal function
    ("I can walk fine and I can feel my legs normally", "hernia"),
    ("I can feel the toilet paper fine", "unknown"),
    ("I can pee fine and have no problems with my bladder", "unknown"),
    ("My leg is fine", "hernia"),
    # hypothetical, or a question about symptoms
    ("What if I get a fever?", "unknown"),
    ("Should I call if my leg goes numb?", "unknown"),
    ("if my leg gives way, should I call?", "hernia"),
    ("What should I do if I can't pee?", "unknown"),
    ("what happens if I lose feeling in my legs?", "unknown"),
    ("Is numbness in the leg normal after the injection?", "unknown"),
    ("Is it normal for the leg to feel weak after a root block?", "unknown"),
    ("Can the injection cause weakness in my legs?", "wortelinfiltratie"),
    ("What is saddle anaesthesia?", "unknown"),
    ("How do I know if I have cauda equina?", "hernia"),
    ("Is numbness around the bottom a warning sign?", "unknown"),
    ("Can I shower if the wound is red?", "ruggenmergstimulatie"),
    ("what are the signs of infection?", "ruggenmergstimulatie"),
    ("I'm worried it might get infected", "ruggenmergstimulatie"),
    ("What are the signs of a blood clot?", "hernia"),
    ("Will I be able to walk after the operation?", "hernia"),
    ("Is it serious if my leg goes numb?", "hernia"),
    ("Do I phone if my calf swells up?", "hernia"),
    ("is it an emergency if I can't feel my bum?", "unknown"),
    ("Just in case I get a fever, who do I call?", "unknown"),
    ("the nurse asked if I had any numbness in my bum", "hernia"),
    # resolved, or long past
    ("I had a fever yesterday but it's gone now", "unknown"),
    ("The fever went away after a day", "unknown"),
    ("I had a temperature this morning but it's come down", "unknown"),
    ("the pins and needles in my groin went away", "unknown"),
    ("My leg was weak for a few hours but it's settled now", "hernia"),
    ("My leg went numb earlier but it's back to normal now", "hernia"),
    ("The numbness in my leg has worn off now", "unknown"),
    ("My bum was numb for a minute after sitting on a hard chair but it went away", "unknown"),
    ("the wound was a bit red last week but it has healed now", "hernia"),
    ("I had a headache yesterday but it's gone now", "ruggenmergstimulatie"),
    ("The bleeding stopped after a few minutes", "hernia"),
    ("Last year after my first injection I had a fever for a day", "wortelinfiltratie"),
    ("my mum had a heart attack last year", "unknown"),
    # someone else, a pet, a story
    ("My neighbour has a fever", "unknown"),
    ("My son has the flu and a fever", "unknown"),
    ("My granddaughter has chickenpox and a high temperature", "unknown"),
    ("Our dog can't walk properly", "unknown"),
    ("The cat has a fever", "unknown"),
    ("Dad had a stroke years ago", "unknown"),
    # expected effects of the treatment, within their time
    ("My leg was numb for an hour after the injection, which they said was normal", "wortelinfiltratie"),
    ("My leg feels warm and a bit weak since the injection this morning, the nurse said that's normal",
     "wortelinfiltratie"),
    ("Just had the root injection and my leg feels numb, that's the anaesthetic I suppose", "wortelinfiltratie"),
    ("My arm feels weak after the injection in my neck, they said it would wear off in a few hours",
     "wortelinfiltratie"),
    ("The tingling from the stimulator is in my bum and legs when it's switched on", "ruggenmergstimulatie"),
    ("The wound is sore, like a bruise, as the leaflet said", "ruggenmergstimulatie"),
    ("My back is stiff and sore after the blood patch", "bloedpatch"),
    ("I feel a bit sleepy on the tramadol", "hernia"),
    # words that look like alarms but are not
    ("I can't wait to walk my dog again", "hernia"),
    ("I can't stand the pain in my back", "hernia"),
    ("I can't sleep because of the pain", "unknown"),
    ("I'm allergic to plasters", "hernia"),
    ("I woke up and the bed was wet with sweat", "unknown"),
    ("I didn't feel any pain when I peed", "unknown"),
    ("I can't breathe through my nose with this cold", "unknown"),
    ("the pain is killing me", "unknown"),
    ("I'm dying for a coffee", "unknown"),
    ("I thought I was going to die from the pain", "hernia"),
    ("I am sick of waiting for my appointment", "unknown"),
    ("Can I drive after the injection?", "wortelinfiltratie"),
    ("My dressing got wet in the shower", "ruggenmergstimulatie"),
]

# Calm in English, but a word is shared with another language whose lexicon (with its own
# negations) still flags it: the English lexicon itself must find nothing alarming here.
CALM_IN_ENGLISH = [
    ("there's no pus", "ruggenmergstimulatie"),
    ("I don't have any pus", "hernia"),
    ("I have no thoughts of suicide", "unknown"),
    ("I'm not incontinent", "unknown"),
    ("I had a DVT years ago", "unknown"),
    ("I read an article about a man who was paralysed", "unknown"),
    ("I'm afraid of being paralysed after the operation", "hernia"),
    ("It's 38 degrees outside in this heatwave", "unknown"),
]

# Words that touch a red-flag area without saying enough: the bot asks its yes/no question.
ASK = [
    ("My leg feels funny", "unknown", "neuro_deficit"),
    ("my leg feels strange and heavy since this morning", "hernia", "neuro_deficit"),
    ("I feel wobbly on my feet", "unknown", "neuro_deficit"),
    ("The wound looks different", "ruggenmergstimulatie", "infection_signs"),
    ("the wound looks a bit odd today", "hernia", "wound_complication"),
    ("I feel a bit warm", "unknown", "fever"),
    ("My bottom feels odd", "unknown", "saddle_anaesthesia"),
    ("Going to the toilet is difficult", "unknown", "bladder_bowel"),
    ("I can't poo", "hernia", "bladder_bowel"),
    ("my calf aches", "unknown", "thrombosis"),
    ("I feel faint when I stand up", "unknown", "emergency"),
    ("I feel hopeless", "unknown", "suicidal"),
]

# Dutch sentences that the English words must leave alone.
DUTCH_CALM = [
    "ik heb geen koorts", "mag ik douchen?", "mijn been is niet doof", "ik ben niet suïcidaal", "geen pus",
    "mijn wond is mooi dicht", "ik kan goed plassen", "ik leg mijn been omhoog", "is het normaal dat mijn been warm is",
    "ik heb het koud en warm", "de patch is goed gegaan", "mijn arm en hand zijn warm", "geen overdosis genomen",
    "ik heb geen migraine",
]


def english():
    return lexicon.profiles()["en"]


def test_the_english_lexicon_loads_with_a_prefilter_literal_for_every_pattern():
    lexicon.profiles.cache_clear()
    profiles = lexicon.profiles()
    assert "en" in profiles
    en = profiles["en"]
    categories = {rule.category for rule in en.rules}
    assert categories >= {"fever", "neuro_deficit", "saddle_anaesthesia", "bladder_bowel", "infection_signs",
                          "wound_complication", "thrombosis", "emergency", "suicidal"}
    for rule in en.rules + en.areas:
        for pattern in rule.patterns + rule.reassurance:
            assert required_literals(pattern.pattern) is not None, (rule.name, pattern.pattern[:80])


def test_every_category_has_at_least_four_alarm_sentences_here():
    counts = {}
    for _, _, category in ALARMS:
        counts[category] = counts.get(category, 0) + 1
    assert len(counts) == 9 and min(counts.values()) >= 4, counts
    assert len(ALARMS) + len(CALM) + len(CALM_IN_ENGLISH) + len(ASK) >= 80


@pytest.mark.parametrize("text,procedure,category", ALARMS)
def test_english_alarm_escalates(text, procedure, category):
    result = detect(text, procedure)
    assert result.escalate and category in result.categories, [(f.language, f.category, f.status, f.text) for f in result.findings]
    for finding in result.alarms:
        assert text[finding.start:finding.end] == finding.text


@pytest.mark.parametrize("text,procedure", CALM)
def test_calm_english_message_stays_calm(text, procedure):
    result = detect(text, procedure)
    assert not result.escalate, [(f.language, f.category, f.status, f.text) for f in result.findings]


@pytest.mark.parametrize("text,procedure", CALM_IN_ENGLISH)
def test_calm_english_message_has_no_english_alarm(text, procedure):
    result = detect(text, procedure, language="en")
    assert not [f for f in result.alarms if f.language == "en"], [(f.category, f.status, f.text) for f in result.findings]


@pytest.mark.parametrize("text,procedure,category", ASK)
def test_vague_words_make_the_bot_ask(text, procedure, category):
    result = detect(text, procedure)
    assert not result.escalate and category in result.unclear, (result.unclear, result.findings)


@pytest.mark.parametrize("text,fever", [
    ("temp was 99.1 F this morning", False),
    ("My temperature is 37.2, so no fever", False),
    ("I measured 37.8, no fever", False),
    ("I have a temperature of 100.8 degrees F", True),
    ("Temp 101.3 F tonight, feeling awful", True),
    ("my temperature is 38.6 this morning", True),
    ("my temperature is thirty eight point five", True),
    ("I'm thirty eight and have back pain", False),
    ("Should I call you if my temperature goes above 38?", False),
    ("It's 39 degrees in here", False),
    ("My temperature was 38.5 yesterday but today it's 37", False),
    ("I've got a temperature of 102 F", True),
])
def test_temperature_readings_in_english(text, fever):
    result = detect(text, "hernia", language="en")
    assert ("fever" in result.categories) is fever, [(f.language, f.category, f.status, f.text) for f in result.findings]


def test_a_harmless_effect_that_lasts_escalates_in_a_later_message():
    first = decide("My leg feels numb and weak since the injection this morning", "wortelinfiltratie", language="en")
    assert not first.escalate and first.watch == ["neuro_deficit"]
    later = decide("It's still the same and getting worse", "wortelinfiltratie", watching=first.watch, language="en")
    assert later.escalate and "neuro_deficit" in later.reasons


def test_explicit_normal_function_is_a_calm_finding():
    result = detect("I can pee normally", "hernia")
    assert not result.escalate and any(f.status == "normal_function" and f.language == "en" for f in result.findings)


def test_english_words_do_not_fire_on_the_dutch_leaflets():
    for path in sorted(glob.glob(str(paths.DATA / "leaflets" / "*.txt"))):
        text = open(path, encoding="utf-8").read()
        for procedure in ("unknown", "hernia", "wortelinfiltratie", "bloedpatch", "ruggenmergstimulatie"):
            result = detect(text, procedure)
            english_findings = [(f.category, f.status, f.text) for f in result.findings + result.areas if f.language == "en"]
            assert not english_findings, (path, procedure, english_findings)


@pytest.mark.parametrize("text", DUTCH_CALM)
def test_english_words_leave_dutch_sentences_alone(text):
    result = detect(text, "unknown")
    assert not [f for f in result.findings + result.areas if f.language == "en" and f.status in ("alarm", "unclear")]


def _best_ms(text, profiles, runs=12):
    original = detector.lexicon.profiles
    detector.lexicon.profiles = lambda: profiles
    try:
        best = float("inf")
        for _ in range(runs):
            start = time.perf_counter()
            detect(text, "wortelinfiltratie")
            best = min(best, time.perf_counter() - start)
        return best * 1000
    finally:
        detector.lexicon.profiles = original


@pytest.mark.timing
def test_english_adds_well_under_10_ms_to_a_2000_character_english_message():
    calm = ("Hi, I had the root injection on Monday and since then I've been feeling a bit off. My back is sore and "
            "stiff, which the nurse said might happen, and the plaster came off in the shower. I take the odd tramadol "
            "at night, it makes me a bit sleepy. My leg doesn't feel numb and I can walk to the shops and back. I haven't "
            "had a fever, my temperature was 36.9 this morning. I can pee fine. My husband has a cold. ")
    alarm = ("Since tonight my leg has gone numb and weak, I can't get up off the sofa and I think I wet myself without "
             "noticing. My bum feels numb too and the wound is red and leaking. I have a fever of 38.7 and feel awful. ")
    full = lexicon.profiles()
    without = {code: profile for code, profile in full.items() if code != "en"}
    for text in ((calm * 10)[:2000], (alarm * 12)[:2000]):
        _best_ms(text, full), _best_ms(text, without)  # warm
        extra = min(_best_ms(text, full) - _best_ms(text, without) for _ in range(3))
        assert extra < 10.0 * cost.machine_slowdown(), extra  # the machine's speed now (bot/evaluation/cost.py)
