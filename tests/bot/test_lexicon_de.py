"""The German alarm lexicon (data/triage/lexicon/de.yml): alarm words of every category in
colloquial wordings (Germany, Austria, Switzerland), also as a partner or a child writes them, and calm messages
(negated, hypothetical, a question about symptoms, resolved, another person or a pet, a normal
temperature, an effect the leaflet calls harmless) that must not escalate.

Every language's lexicon runs on every message. OWN_CUES_CALM are calm messages whose words another
lexicon shares (Dutch "thrombose", "pus", "incontinen*", ...): there the German findings must be
calm, whatever the other lexicon makes of them.
"""
import glob
from collections import Counter

import pytest

from bot import paths
from bot.triage import detect, lexicon
from bot.triage.prefilter import required_literals

CODE = "de"

ALARMS = [
    # fever
    ('Ich habe seit heute Nacht Fieber, 38,9.', None, 'fever'),
    ('Hab Schüttelfrost und mir ist abwechselnd heiß und kalt', None, 'fever'),
    ('Mein Mann glüht richtig, die Stirn ist ganz heiß und er zittert', 'hernia', 'fever'),
    ('bin total fiebrig seit gestern abend', 'ruggenmergstimulatie', 'fever'),
    ('Die Temperatur ist seit der OP erhöht', None, 'fever'),
    ('Meine Mutter hat erhöhte Temperatur und fühlt sich fiebrig an', None, 'fever'),
    ('hab 39 fieber', None, 'fever'),
    ('Fieber ist nicht runtergegangen, immer noch 38,7', None, 'fever'),
    ('Ich friere total und hab Schüttelfrost, ist das normal?', None, 'fever'),
    ('Das Fieber geht einfach nicht runter', None, 'fever'),
    ('Das Fieber ist wieder da', None, 'fever'),
    ('Ich weiß nicht, ob ich Fieber habe, mir ist so kalt und heiß', None, 'fever'),
    # neuro_deficit
    ('Mein linkes Bein ist seit heute morgen ganz taub', 'hernia', 'neuro_deficit'),
    ('Ich kann nicht mehr richtig laufen, das Bein knickt immer weg', None, 'neuro_deficit'),
    ('Ich krieg den Fuß nicht mehr hoch, er schleift beim Gehen', None, 'neuro_deficit'),
    ('Mein Papa kommt nicht mehr aus dem Sessel hoch', 'bloedpatch', 'neuro_deficit'),
    ('Ich spüre meine Beine kaum noch', None, 'neuro_deficit'),
    ('Auf den Zehenspitzen stehen geht gar nicht mehr', 'hernia', 'neuro_deficit'),
    ('Meine Beine tragen mich nicht mehr', None, 'neuro_deficit'),
    ('habe keine kraft mehr im rechten bein', None, 'neuro_deficit'),
    ('Die Treppe schaffe ich nicht mehr hoch, meine Knie geben nach', None, 'neuro_deficit'),
    ('Mein Fuß hängt beim Laufen und ich stolpere ständig', None, 'neuro_deficit'),
    ('seit der Spritze ist das linke Bein wie gelähmt', None, 'neuro_deficit'),
    ('Ich kann mein Bein nicht mehr anheben', None, 'neuro_deficit'),
    ('Mama kann nicht mehr alleine aufstehen, die Beine sind ganz schwach', None, 'neuro_deficit'),
    ('meine Beine sind wie Pudding', None, 'neuro_deficit'),
    ('Taubheitsgefühl im rechten Fuß seit gestern', None, 'neuro_deficit'),
    ('Laufen geht gar nicht mehr', None, 'neuro_deficit'),
    ('ich hab kein gefühl in den zehen', None, 'neuro_deficit'),
    ('Beide Beine kribbeln und sind taub', None, 'neuro_deficit'),
    ('Meine Frau kann seit heute Morgen ihre Beine nicht mehr bewegen', None, 'neuro_deficit'),
    ('Seit drei Tagen ist mein Bein taub nach der Infiltration', 'wortelinfiltratie', 'neuro_deficit'),
    ('Ich kann nicht mehr auf den Fersen gehen', None, 'neuro_deficit'),
    ('Ich glaube mein Bein wird immer schwächer', None, 'neuro_deficit'),
    ('Mein Bein ist taub, kann das von der Spritze sein?', None, 'neuro_deficit'),
    ('Meine Haxn sind ganz taub', None, 'neuro_deficit'),
    # saddle_anaesthesia
    ('Mein Po und der Intimbereich fühlen sich taub an', None, 'saddle_anaesthesia'),
    ('Beim Abwischen spüre ich gar nichts mehr', 'hernia', 'saddle_anaesthesia'),
    ('Ich habe so ein Kribbeln im Genitalbereich, seit zwei Tagen', None, 'saddle_anaesthesia'),
    ('Meine Frau sagt sie hat kein Gefühl mehr zwischen den Beinen', None, 'saddle_anaesthesia'),
    ('Ich spür das Klopapier nicht', None, 'saddle_anaesthesia'),
    ('Taubheit am Gesäß und an der Innenseite der Oberschenkel', None, 'saddle_anaesthesia'),
    ('Mein Hintern ist wie eingeschlafen, das geht nicht weg', None, 'saddle_anaesthesia'),
    ('Ich habe ein taubes Gefühl im Schritt', None, 'saddle_anaesthesia'),
    ('Wenn ich mich abwische, spüre ich nichts', None, 'saddle_anaesthesia'),
    ('der ganze Dammbereich ist taub', None, 'saddle_anaesthesia'),
    ('Wenn ich auf der Toilette sitze, spüre ich die Klobrille nicht', None, 'saddle_anaesthesia'),
    # bladder_bowel
    ('Ich kann seit heute früh nicht pinkeln', 'hernia', 'bladder_bowel'),
    ('Ich hab in die Hose gemacht und es nicht gemerkt', None, 'bladder_bowel'),
    ('Der Urin läuft einfach so raus', None, 'bladder_bowel'),
    ('Ich merke nicht mehr, wann ich aufs Klo muss', None, 'bladder_bowel'),
    ('Mein Vater kann den Stuhlgang nicht mehr halten', None, 'bladder_bowel'),
    ('Die Blase ist voll aber es kommt nichts raus', None, 'bladder_bowel'),
    ('habe keinen Harndrang mehr seit der OP', None, 'bladder_bowel'),
    ('Ich muss ständig und es kommen nur ein paar Tropfen', None, 'bladder_bowel'),
    ('habe heute nacht ins Bett gemacht', None, 'bladder_bowel'),
    ('Ich kann kein Wasser lassen', None, 'bladder_bowel'),
    ('Ich habe keine Kontrolle mehr über meine Blase', None, 'bladder_bowel'),
    ('Er hat sich eingenässt ohne es zu merken', None, 'bladder_bowel'),
    ('Seit gestern Abend habe ich nicht mehr gepinkelt', None, 'bladder_bowel'),
    ('Ich muss ständig aufs Klo, aber es kommt nichts raus', None, 'bladder_bowel'),
    # infection_signs
    ('Die Wunde am Kabelaustritt ist rot und geschwollen', 'ruggenmergstimulatie', 'infection_signs'),
    ('Da kommt gelbes Sekret aus der Wunde raus', 'ruggenmergstimulatie', 'infection_signs'),
    ('Ich hab starke Kopfschmerzen und einen steifen Nacken', 'ruggenmergstimulatie', 'infection_signs'),
    ('Die Narbe eitert', None, 'infection_signs'),
    ('Fühle mich total elend und grippig', 'ruggenmergstimulatie', 'infection_signs'),
    ('Die Einstichstelle ist rot und ganz warm', 'wortelinfiltratie', 'infection_signs'),
    ('Ich kann das Kinn nicht mehr auf die Brust legen, der Nacken ist steif', 'bloedpatch', 'infection_signs'),
    ('Unter dem Pflaster juckt es wie verrückt und ich hab Ausschlag', 'ruggenmergstimulatie', 'infection_signs'),
    ('Die Stelle wo das Kabel rauskommt ist rot und dick', 'ruggenmergstimulatie', 'infection_signs'),
    ('Mir brummt der Schädel und der Nacken ist total steif', None, 'infection_signs'),
    ('Die Haut um die Wunde ist warm und gerötet', 'ruggenmergstimulatie', 'infection_signs'),
    ('Die Einstichstelle ist geschwollen und tut immer mehr weh', 'wortelinfiltratie', 'infection_signs'),
    ('Wo das Kabel rauskommt nässt es und riecht', 'ruggenmergstimulatie', 'infection_signs'),
    ('Rund um die Wunde ist alles rot', 'ruggenmergstimulatie', 'infection_signs'),
    # wound_complication
    ('Die OP-Wunde ist ganz rot und heiß', 'hernia', 'wound_complication'),
    ('Aus der Naht kommt Flüssigkeit raus', 'hernia', 'wound_complication'),
    ('Die Narbe ist aufgegangen', 'hernia', 'wound_complication'),
    ('die wunde nässt seit gestern und riecht komisch', 'hernia', 'wound_complication'),
    ('Die Naht ist aufgeplatzt', 'hernia', 'wound_complication'),
    ('Die Wunde suppt und ist rot', 'hernia', 'wound_complication'),
    # thrombosis
    ('Meine Wade ist dick und rot', None, 'thrombosis'),
    ('Mein rechtes Bein ist total geschwollen', None, 'thrombosis'),
    ('Ich glaub ich hab eine Thrombose', None, 'thrombosis'),
    ('Meine Frau hat eine harte, warme Wade links', 'hernia', 'thrombosis'),
    ('Die linke Wade ist geschwollen, warm und tut weh', None, 'thrombosis'),
    ('Der Arzt hat Verdacht auf eine Thrombose', None, 'thrombosis'),
    ('mein bein ist dick angeschwollen', None, 'thrombosis'),
    ('Mein Unterschenkel ist geschwollen und heiß', None, 'thrombosis'),
    # emergency
    ('Ich habe starke Schmerzen in der Brust', None, 'emergency'),
    ('Ich krieg kaum Luft', None, 'emergency'),
    ('Mein Mann redet ganz verwaschen und der Mundwinkel hängt', None, 'emergency'),
    ('Meine Mutter ist umgekippt und nicht mehr ansprechbar', None, 'emergency'),
    ('Die Wunde blutet stark und es hört nicht auf zu bluten', None, 'emergency'),
    ('Nach dem Oxycodon ist er total benommen und atmet kaum', None, 'emergency'),
    ('Mein Vater ist gestürzt und kommt nicht mehr hoch', None, 'emergency'),
    ('Meine Lippen und die Zunge schwellen an', None, 'emergency'),
    ('Druck auf der Brust und mir ist übel', None, 'emergency'),
    ('Er atmet ganz flach und ist nicht wach zu kriegen', None, 'emergency'),
    ('Meine Frau ist ohnmächtig geworden', None, 'emergency'),
    ('Plötzlich ist mein Arm ganz schwach und das Gesicht hängt', None, 'emergency'),
    ('Ich bin hingefallen und komme nicht mehr hoch', None, 'emergency'),
    ('Ich bekomme schlecht Luft', None, 'emergency'),
    ('Mein Vater liegt auf dem Boden und kommt nicht hoch', None, 'emergency'),
    ('ich habe engegefühl in der brust', None, 'emergency'),
    ('Er atmet kaum noch nach dem Morphin', None, 'emergency'),
    # suicidal
    ('Ich will nicht mehr leben', None, 'suicidal'),
    ('Manchmal denke ich an Selbstmord', None, 'suicidal'),
    ('Ich habe schon Tabletten gesammelt', None, 'suicidal'),
    ('Alle wären besser dran ohne mich', None, 'suicidal'),
    ('Mein Sohn sagt, er will sich umbringen', None, 'suicidal'),
    ('Ich möchte einfach nur noch sterben', None, 'suicidal'),
    ('Ich will einfach nicht mehr.', None, 'suicidal'),
    ('Manchmal wäre ich lieber tot', None, 'suicidal'),
    ('Ich denke daran, mir das Leben zu nehmen', None, 'suicidal'),
    ('Das Leben hat keinen Sinn mehr', None, 'suicidal'),
    ('ich möchte einschlafen und nicht mehr aufwachen', None, 'suicidal'),
    ('Ich hab keine Lust mehr zu leben', None, 'suicidal'),
    ('Manchmal will ich einfach nicht mehr aufwachen', None, 'suicidal'),
]

CALM = [
    ('Ich habe kein Fieber', None),
    ('Fieber hab ich keins', None),
    ('Was ist, wenn ich Fieber bekomme?', None),
    ('Ist Fieber nach der Operation normal?', None),
    ('Mein Bein ist nicht taub', 'hernia'),
    ('Ich kann wieder normal laufen', None),
    ('Gestern hatte ich Fieber, aber jetzt ist es weg', None),
    ('Ich habe 37,2 gemessen, alles gut', None),
    ('Die Wunde ist nicht rot und nicht geschwollen', 'ruggenmergstimulatie'),
    ('Unser Hund hat Fieber', None),
    ('Hier im Zimmer sind 30 Grad', None),
    ('Darf ich nach der OP duschen?', None),
    ('Wann darf ich wieder Auto fahren?', None),
    ('Ich kann ganz normal pinkeln', None),
    ('Woran erkenne ich eine Thrombose?', None),
    ('Was mache ich bei Taubheit im Bein?', None),
    ('Keine Taubheit, keine Schwäche, nur Rückenschmerzen', None),
    ('Ich habe keine Selbstmordgedanken', None),
    ('Mein Bein fühlt sich warm und schwach an, die Betäubung wirkt noch, ist das normal?', 'wortelinfiltratie'),
    ('Muss ich die Spritzen gegen Blutgerinnsel weiter nehmen?', None),
    ('Kann man nach der Spritze Kopfschmerzen bekommen?', None),
    ('Ich habe Angst, dass ich gelähmt werde', 'hernia'),
    ('Ich hatte Taubheit im Bein, aber das ist verschwunden', None),
    ('Keine Atemnot, keine Brustschmerzen', None),
    ('Mein Mann hat Fieber, er hat eine Grippe', None),
    ('Fieber? Nein.', None),
    ('Vor zwei Jahren hatte ich nach der ersten Operation Fieber', None),
    ('Ich habe keinerlei Taubheit in den Beinen', None),
    ('Ich spüre keine Schmerzen mehr im Bein', None),
    ('Meine Beine sind nicht schwach, nur müde', None),
    ('Die Wunde sieht gut aus, nicht rot', None),
    ('Ist es normal, dass man nach der OP müde ist?', None),
    ('Was passiert, wenn die Beine taub werden?', None),
    ('Falls ich Fieber bekomme, soll ich anrufen?', None),
    ('Ab welcher Temperatur soll ich mich melden?', None),
    ('Ich kann wieder ganz normal Treppen steigen', None),
    ('Meine Katze hat eine geschwollene Pfote', None),
    ('Ich habe keine Luftnot und keine Brustschmerzen', None),
    ('Ich will nicht sterben, ich will nur dass die Schmerzen aufhören', None),
    ('Ich konnte gestern nicht laufen, aber jetzt kann ich wieder normal laufen', None),
    ('Meine Blase funktioniert ganz normal', None),
    ('Ich bin nicht lebensmüde', None),
    ('Ich habe ein bisschen Rückenschmerzen nach der Spritze', None),
    ('Kann ich mit der Narbe schwimmen gehen?', None),
    ('Was bedeutet Reithosenanästhesie?', None),
    ('Wie erkenne ich, ob die Wunde entzündet ist?', None),
    ('Ich darf nicht schwer heben, das ist mir klar', 'hernia'),
    ('Danke, mir geht es gut', None),
    ('Seit der Spritze vor zwei Stunden ist mein Bein taub', 'wortelinfiltratie'),
    ('Kann eine Infiltration Lähmungen verursachen?', None),
    ('Wie merke ich, ob ich eine Thrombose habe?', None),
    ('Das Fieber ist seit gestern weg', None),
    ('Ich hatte nie Fieber', None),
    ('Ist Taubheit im Bein nach der OP normal?', None),
    ('Nach dem Tramadol bin ich etwas müde', None),
    ('Guten Tag, wann ist mein nächster Termin?', None),
    ('Wie lange dauert die Behandlung?', None),
    ('Ich habe noch Schmerzen im Rücken, aber es wird besser', None),
    ('Darf ich nach der Infiltration Auto fahren?', None),
    ('Muss ich nüchtern sein?', None),
    ('Ich nehme Blutverdünner, muss ich die absetzen?', None),
    ('Meine Frau bringt mich hin und holt mich ab', None),
    ('Die Schmerzen strahlen ins Bein aus, wie vorher', None),
    ('Ich kann nicht gut schlafen wegen der Schmerzen', None),
    ('Ich habe Angst vor der Spritze', None),
    ('Wie viele Tage muss ich mich schonen?', None),
    ('Ich konnte heute schon wieder spazieren gehen', None),
    ('Der Verband ist trocken und sauber', None),
    ('Ich habe ein bisschen Muskelkater in den Beinen vom Laufen', None),
    ('Mein Knie tut weh seit dem Sport', None),
    ('Kann ich wieder arbeiten gehen?', None),
    ('Ich habe das Pflaster heute abgemacht, alles sauber', None),
]

OWN_CUES_CALM = [
    ('Ich muss die Thrombosespritze noch zwei Wochen nehmen', None),
    ('Keine Thrombose laut Ultraschall', None),
    ('Ich habe keinen Katheter mehr', None),
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


@pytest.mark.parametrize("text,procedure", OWN_CUES_CALM)
def test_own_findings_are_calm_where_another_lexicon_shares_the_word(text, procedure):
    result = detect(text, procedure)
    assert not [f for f in result.alarms if f.language == CODE], result.alarms


def test_every_category_has_at_least_four_alarms_and_the_set_is_large_enough():
    counts = Counter(category for _, _, category in ALARMS)
    for code in ("fever", "neuro_deficit", "saddle_anaesthesia", "bladder_bowel", "infection_signs",
                 "wound_complication", "thrombosis", "emergency", "suicidal"):
        assert counts[code] >= 4, code
    assert len(ALARMS) + len(CALM) >= 40


def test_lexicon_loads_and_every_pattern_has_prefilter_literals():
    lexicon.profiles.cache_clear()
    profile = lexicon.profiles()[CODE]
    assert profile.language == CODE and profile.rules
    for rule in profile.rules:
        for pattern in rule.patterns + rule.reassurance:
            assert required_literals(pattern.pattern) is not None, (rule.name, pattern.pattern)
    for cue in ("negation_before", "negation_after", "hypothetical", "conditional", "future", "first_person_report",
                "first_person", "resolved", "still", "clause_words", "not_filler"):
        assert profile.cue(cue), cue


DUTCH_CALM = ["ik heb geen koorts", "mag ik douchen?", "mijn been is niet doof", "de wond is niet rood en niet warm",
              "mijn arm en hand tintelen tot aan de schouder", "de elektrode voelt warm aan maar is niet rood",
              "in verband met de warmte blijf ik binnen", "de pleister is nat na het douchen",
              "ik heb een zeurende pijn in mijn onderrug", "Ik heb koffie en cola gedronken"]


def test_words_do_not_fire_on_dutch_leaflets_or_dutch_sentences():
    texts = [open(path, encoding="utf-8").read() for path in sorted(glob.glob(str(paths.DATA / "leaflets" / "*.txt")))]
    assert texts
    for text in texts + DUTCH_CALM:
        result = detect(text, None)
        assert not [f for f in list(result.findings) + list(result.areas) if f.language == CODE], text[:60]
