"""The Polish alarm lexicon (data/triage/lexicon/pl.yml): alarm words of every category in colloquial
wordings, with and without Polish diacritics (ł is kept by the folding, the rest is dropped), also as a
partner or a child writes them, and calm messages (negated, hypothetical, a question about symptoms,
resolved, another person or a pet, a normal temperature, an effect the leaflet calls harmless) that
must not escalate. Polish negation stands before the verb: "nie czuję nóg" (I can't feel my legs) is
an alarm, "nie mam gorączki" (no fever) is calm.
"""
import glob
from collections import Counter

import pytest

from bot import paths
from bot.triage import detect, lexicon
from bot.triage.prefilter import required_literals

CODE = "pl"

ALARMS = [
    # fever
    ('Mam gorączkę od wczoraj wieczorem', None, 'fever'),
    ('mam goraczke 38,7 i dreszcze', None, 'fever'),
    ('Od rana trzęsie mnie i mam dreszcze', None, 'fever'),
    ('mąż jest cały rozpalony, ma gorące czoło', None, 'fever'),
    ('Temperatura skoczyła mi do 39 stopni', None, 'fever'),
    ('mam temperature od rana, co robic?', None, 'fever'),
    ('raz mi zimno raz goraco, telepie mnie', None, 'fever'),
    ('żona ma dreszcze i jest cała rozpalona', None, 'fever'),
    ('mam 39 stopni goraczki', None, 'fever'),
    ('dreszcze nie mijają od rana', None, 'fever'),
    ('gorączka nie spada od dwóch dni', None, 'fever'),
    ('paracetamol nie pomaga na gorączkę', None, 'fever'),
    ('chyba mam gorączkę', None, 'fever'),
    # neuro_deficit
    ('Nie czuję nóg od dzisiaj rana', None, 'neuro_deficit'),
    ('nie czuje lewej stopy', None, 'neuro_deficit'),
    ('noga mi zdrętwiała i jest słaba', None, 'neuro_deficit'),
    ('Mama nie może wstać z krzesła, nogi się pod nią uginają', None, 'neuro_deficit'),
    ('Nie mogę podnieść stopy, potykam się o własną stopę', None, 'neuro_deficit'),
    ('tata ciągnie nogę i ledwo chodzi', None, 'neuro_deficit'),
    ('nie mam siły w nogach, nie jestem w stanie wejść po schodach', None, 'neuro_deficit'),
    ('Nie mogę stanąć na palcach prawej nogi', None, 'neuro_deficit'),
    ('nogi jak z waty, odmawiają posłuszeństwa', None, 'neuro_deficit'),
    ('stopa mi opada przy chodzeniu', None, 'neuro_deficit'),
    ('mąż nie daje rady chodzić od wczoraj', None, 'neuro_deficit'),
    ('straciłam czucie w prawej nodze', None, 'neuro_deficit'),
    ('wszystko leci mi z rąk', None, 'neuro_deficit'),
    ('nie czuje stopy po lewej stronie', None, 'neuro_deficit'),
    ('nie moge podniesc nogi', None, 'neuro_deficit'),
    ('cala noga zdretwiala i nie moge na niej stanac', None, 'neuro_deficit'),
    ('noga mi się ugina i nie trzyma', None, 'neuro_deficit'),
    ('mama nie może chodzić, spadła ze schodów', None, 'neuro_deficit'),
    ('nie czuję nóg, czucia już nie ma', None, 'neuro_deficit'),
    ('drętwieje mi noga i nie przechodzi', None, 'neuro_deficit'),
    ('nogi mi słabną', None, 'neuro_deficit'),
    ('nie czuje nog', None, 'neuro_deficit'),
    ('prawa noga jest bezwładna', None, 'neuro_deficit'),
    ('nie umiem ustac na nogach', None, 'neuro_deficit'),
    ('jakby noga nie była moja', None, 'neuro_deficit'),
    ('coraz słabsza lewa noga', None, 'neuro_deficit'),
    # saddle_anaesthesia
    ('Drętwieją mi pośladki i krocze', None, 'saddle_anaesthesia'),
    ('nie czuję krocza od rana', None, 'saddle_anaesthesia'),
    ('Przy podcieraniu nic nie czuję', None, 'saddle_anaesthesia'),
    ('mam mrowienie w okolicy odbytu caly czas', None, 'saddle_anaesthesia'),
    ('nie czuje papieru toaletowego jak sie wycieram', None, 'saddle_anaesthesia'),
    ('pupa jest jak zdrętwiała, jakbym siedziała na wacie', None, 'saddle_anaesthesia'),
    ('żona mówi, że nie czuje nic między nogami', None, 'saddle_anaesthesia'),
    ('dretwieje mi krocze', None, 'saddle_anaesthesia'),
    ('w kroczu nic nie czuje', None, 'saddle_anaesthesia'),
    # bladder_bowel
    ('Nie mogę oddać moczu od rana', None, 'bladder_bowel'),
    ('nie moge sie wysikac od 10 godzin', None, 'bladder_bowel'),
    ('posikałam się i nawet tego nie poczułam', None, 'bladder_bowel'),
    ('Tata robi pod siebie od wczoraj', None, 'bladder_bowel'),
    ('nie czuję parcia na mocz', None, 'bladder_bowel'),
    ('Nie mogę utrzymać moczu ani stolca', None, 'bladder_bowel'),
    ('mocz sam leci, nie kontroluję pęcherza', None, 'bladder_bowel'),
    ('zmoczyłam łóżko w nocy', None, 'bladder_bowel'),
    ('popuszczam mocz i nawet nie wiem kiedy', None, 'bladder_bowel'),
    ('od wczoraj nie sikam', None, 'bladder_bowel'),
    # infection_signs
    ('Rana przy kablu jest czerwona i spuchnięta', 'ruggenmergstimulatie', 'infection_signs'),
    ('z rany sączy się żółty płyn', 'ruggenmergstimulatie', 'infection_signs'),
    ('Rana ropieje i śmierdzi', 'ruggenmergstimulatie', 'infection_signs'),
    ('mam straszny ból głowy i sztywny kark', 'ruggenmergstimulatie', 'infection_signs'),
    ('boli mnie glowa od rana', 'ruggenmergstimulatie', 'infection_signs'),
    ('czuję się źle, jak przy grypie', 'ruggenmergstimulatie', 'infection_signs'),
    ('skóra wokół plastra swędzi i mam wysypkę', 'ruggenmergstimulatie', 'infection_signs'),
    ('miejsce wkłucia jest gorące i boli coraz bardziej', 'ruggenmergstimulatie', 'infection_signs'),
    ('miejsce po zastrzyku jest czerwone i spuchnięte', 'wortelinfiltratie', 'infection_signs'),
    ('miejsce wkłucia jest coraz bardziej czerwone, ropieje', 'bloedpatch', 'infection_signs'),
    ('mam sztywny kark, nie mogę dotknąć brodą klatki', 'bloedpatch', 'infection_signs'),
    # wound_complication
    ('rana po operacji jest czerwona i gorąca', 'hernia', 'wound_complication'),
    ('z rany cieknie płyn', 'hernia', 'wound_complication'),
    ('szwy puściły i rana się rozeszła', 'hernia', 'wound_complication'),
    ('Blizna jest opuchnięta i sączy się z niej ropa', 'hernia', 'wound_complication'),
    # thrombosis
    ('Łydka jest spuchnięta, twarda i boli', None, 'thrombosis'),
    ('lewa noga jest grubsza niż prawa i czerwona', None, 'thrombosis'),
    ('boję się, że to zakrzepica, łydka gorąca i boli', None, 'thrombosis'),
    ('mam opuchniętą łydkę od wczoraj', None, 'thrombosis'),
    ('obrzęk nogi i zaczerwienienie na łydce', None, 'thrombosis'),
    # emergency
    ('Mam silny ból w klatce piersiowej', None, 'emergency'),
    ('nie mogę oddychać, duszę się', None, 'emergency'),
    ('Mąż bełkocze, a twarz opadła mu na jedną stronę', None, 'emergency'),
    ('mama zemdlała i nie reaguje', None, 'emergency'),
    ('Po morfinie tata jest bardzo senny i nie da się go dobudzić', None, 'emergency'),
    ('krwawi i krwawienie nie ustaje', None, 'emergency'),
    ('Spuchły mi usta i język, ciężko mi oddychać', None, 'emergency'),
    ('upadłam i nie mogę wstać', None, 'emergency'),
    ('ucisk w klatce od godziny', None, 'emergency'),
    ('straciła przytomność w łazience', None, 'emergency'),
    ('nie moge zlapac tchu', None, 'emergency'),
    ('mama ma krzywą buzię i bełkocze', None, 'emergency'),
    # suicidal
    ('nie chce mi się żyć', None, 'suicidal'),
    ('Myślę o samobójstwie', None, 'suicidal'),
    ('chcę umrzeć, nie mam już siły', None, 'suicidal'),
    ('zbieram tabletki, żeby wziąć wszystkie naraz', None, 'suicidal'),
    ('wszystkim byłoby lepiej beze mnie', None, 'suicidal'),
    ('mam dość życia', None, 'suicidal'),
    ('chciałabym zasnąć i się nie obudzić', None, 'suicidal'),
    ('nie chce mi sie juz zyc', None, 'suicidal'),
    ('chce sie zabic', None, 'suicidal'),
    ('jestem dla wszystkich ciężarem', None, 'suicidal'),
]

# negated, hypothetical, a question about symptoms, resolved, another person or a pet, a normal
# temperature, an effect the leaflet calls harmless, ordinary aftercare questions
CALM = [
    ('Nie mam gorączki', None),
    ('nie mam goraczki ani dreszczy', None),
    ('Gorączki nie mam, czuję się dobrze', None),
    ('temperatura w normie, 36,6', None),
    ('mam 36,8 stopni', None),
    ('Co jeśli dostanę gorączki?', None),
    ('Czy gorączka może się pojawić po zabiegu?', None),
    ('Jakie objawy powinny mnie zaniepokoić?', None),
    ('Wczoraj miałam gorączkę, ale już przeszła', None),
    ('nogi mi nie drętwieją', None),
    ('nie czuję bólu w nogach', None),
    ('Nie czuję się źle, wszystko dobrze', None),
    ('mogę normalnie chodzić', None),
    ('nie mam problemów z oddawaniem moczu', None),
    ('sikam normalnie', None),
    ('Rana nie jest czerwona i ładnie się goi', None),
    ('nasz pies ma gorączkę', None),
    ('kot nie może chodzić, weterynarz jutro', None),
    ('czy mogę się kąpać?', None),
    ('Kiedy mogę wrócić do pracy?', None),
    ('nie mam żadnych myśli samobójczych', None),
    ('nie chcę umrzeć, chcę tylko żeby przestało boleć', None),
    ('nie mogę podnosić ciężkich rzeczy przez tydzień', None),
    ('w pokoju jest gorąco', None),
    ('łydka nie jest spuchnięta', None),
    ('noga jest zdrętwiała i słaba od zastrzyku godzinę temu, mówili że to normalne', 'wortelinfiltratie'),
    ('bardzo boli mnie kręgosłup', None),
    ('dziękuję bardzo', None),
    ('czy mogę brać ciepły prysznic?', None),
    ('nie mam bólu w klatce piersiowej', None),
    ('w ulotce piszą o drętwieniu nóg', None),
    ('nie mogę iść do pracy z powodu bólu pleców', None),
    ('nie mam dreszczy', None),
    ('Czy po zabiegu może drętwieć noga?', None),
    ('mrowienie w nodze minęło', None),
    ('nie mam problemów z pęcherzem', None),
    ('Drętwienie nóg ustąpiło po godzinie', None),
    ('Bez gorączki, bez dreszczy', None),
    ('czy mam dzwonić, gdy pojawi się gorączka?', None),
    ('czy ból głowy to objaw infekcji?', 'ruggenmergstimulatie'),
    ('wczoraj miałam dreszcze ale już przeszło', None),
    ('gorączka spadła', None),
    ('gorączka już spadła, czuję się dobrze', None),
    ('Jakie jest ryzyko zakrzepicy po operacji?', None),
    ('nie sądzę, żebym miała gorączkę', None),
    ('noga nie jest słaba', None),
    ('nie jestem w stanie dziś przyjechać na wizytę', None),
    ('mam pytanie o zwolnienie', None),
    ('czy po zabiegu można mieć dreszcze?', None),
    ('Mąż pyta, czy może jeść przed zabiegiem', None),
    ('nie ma gorączki, nie ma dreszczy', None),
    ('temperatura 37,2', None),
    ('gorączki brak', None),
    ('nie chcę już żadnych leków', None),
    ('w ogóle nie czuję bólu', None),
    ('po zabiegu czuję się dobrze', None),
    ('boli mnie noga, ale nie drętwieje', None),
    ('czy mogę zmoczyć ranę?', None),
    ('rano boli mnie noga', None),
    ('Rana czysta, zaczerwienienia nie ma', 'ruggenmergstimulatie'),
    ('rana sucha, bez zaczerwienienia', 'ruggenmergstimulatie'),
    ('rana ładnie się goi, nie jest czerwona ani spuchnięta', 'hernia'),
    ('nie mam bólu głowy', 'ruggenmergstimulatie'),
    ('ból głowy minął', 'ruggenmergstimulatie'),
    ('noga nie jest zdrętwiała', None),
    ('nogi mi nie słabną', None),
    ('mogę stać na palcach bez problemu', None),
    ('nie mam drętwienia w kroczu', None),
    ('krocze nie jest zdrętwiałe', None),
    ('czuję normalnie pośladki', None),
    ('mam uczulenie na jod', None),
]


@pytest.mark.parametrize("text,procedure,category", ALARMS)
def test_alarm_escalates_with_its_category(text, procedure, category):
    result = detect(text, procedure)
    assert result.escalate and category in result.categories, result.findings
    for finding in result.alarms:
        assert text[finding.start:finding.end] == finding.text


@pytest.mark.parametrize("text,procedure", CALM)
def test_calm_message_does_not_escalate(text, procedure):
    result = detect(text, procedure)
    assert not result.escalate, result.alarms


@pytest.mark.parametrize("text,procedure,category", ALARMS)
def test_alarm_escalates_when_the_message_language_is_known(text, procedure, category):
    result = detect(text, procedure, language=CODE)
    assert result.escalate and category in result.categories, result.findings


@pytest.mark.parametrize("text,procedure", CALM)
def test_calm_message_stays_calm_when_the_message_language_is_known(text, procedure):
    result = detect(text, procedure, language=CODE)
    assert not result.escalate, result.alarms


def test_every_category_has_at_least_four_alarms_and_the_set_is_large_enough():
    counts = Counter(category for _, _, category in ALARMS)
    for code in ("fever", "neuro_deficit", "saddle_anaesthesia", "bladder_bowel", "infection_signs",
                 "wound_complication", "thrombosis", "emergency", "suicidal"):
        assert counts[code] >= 4, code
    assert len(ALARMS) + len(CALM) >= 40


def test_lexicon_loads_and_every_pattern_has_prefilter_literals():
    profile = lexicon.profiles()[CODE]
    assert profile.language == CODE and profile.rules
    for rule in profile.rules:
        for pattern in rule.patterns + rule.reassurance:
            assert required_literals(pattern.pattern) is not None, (rule.name, pattern.pattern)
    for cue in ("negation_before", "negation_after", "hypothetical", "first_person_report", "first_person",
                "resolved", "still", "clause_words", "not_filler"):
        assert profile.cue(cue), cue


DUTCH_CALM = ["ik heb geen koorts", "mag ik douchen?", "mijn been is niet doof", "de wond is niet rood en niet warm",
              "ik kan mijn plas gewoon ophouden", "mijn kuit is niet dik", "ik voel mijn tenen niet goed",
              "mijn bil slaapt de hele tijd", "ik kan ni goe plassen", "Ik heb een vraag over de bloedpatch",
              "de pleister is nat na het douchen", "ik heb een zeurende pijn in mijn onderrug"]


def test_words_do_not_fire_on_dutch_leaflets_or_dutch_sentences():
    texts = [open(path, encoding="utf-8").read() for path in sorted(glob.glob(str(paths.DATA / "leaflets" / "*.txt")))]
    assert texts
    for text in texts + DUTCH_CALM:
        for procedure in (None, "hernia", "ruggenmergstimulatie", "wortelinfiltratie", "bloedpatch"):
            result = detect(text, procedure)
            assert not [f for f in list(result.findings) + list(result.areas) if f.language == CODE], text[:60]

