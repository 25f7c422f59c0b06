"""The French alarm lexicon (data/triage/lexicon/fr.yml): alarm words of every category in
colloquial wordings (France, Belgium: "je sais plus marcher", "aller à la toilette"), also as a partner or a child writes them, and calm messages
(negated, hypothetical, a question about symptoms, resolved, another person or a pet, a normal
temperature, an effect the leaflet calls harmless) that must not escalate.

Every language's lexicon runs on every message. OWN_CUES_CALM are calm messages whose words another
lexicon shares (Dutch "thrombose", "pus", "incontinen*", ...): there the French findings must be
calm, whatever the other lexicon makes of them.
"""
import glob
from collections import Counter

import pytest

from bot import paths
from bot.triage import detect, lexicon
from bot.triage.prefilter import required_literals

CODE = "fr"

ALARMS = [
    # fever
    ("J'ai de la fièvre depuis cette nuit, 38,8", None, 'fever'),
    ('jai des frissons et je grelotte sous la couette', None, 'fever'),
    ('Mon mari fait de la température depuis hier soir', 'hernia', 'fever'),
    ("Je suis brûlante et j'ai chaud et froid", None, 'fever'),
    ("ma fille dit que j'ai le front bouillant", 'ruggenmergstimulatie', 'fever'),
    ('jai 39 de fievre', None, 'fever'),
    ('La fièvre ne baisse pas malgré le Dafalgan', None, 'fever'),
    ('Je suis fiévreuse depuis hier', None, 'fever'),
    ("j'ai de la temp", None, 'fever'),
    ('La fièvre est revenue', None, 'fever'),
    ("Je ne sais pas si j'ai de la fièvre mais je grelotte", None, 'fever'),
    # neuro_deficit
    ("J'ai la jambe gauche complètement engourdie depuis ce matin", 'hernia', 'neuro_deficit'),
    ("Je n'arrive plus à marcher, mes jambes lâchent", None, 'neuro_deficit'),
    ('je sens plus mes pieds', None, 'neuro_deficit'),
    ("Je sais plus marcher depuis hier, c'est comme si ma jambe ne me portait plus", None, 'neuro_deficit'),
    ("Mon père n'arrive plus à se lever de sa chaise", None, 'neuro_deficit'),
    ('Je ne peux plus lever le pied, il traîne par terre', None, 'neuro_deficit'),
    ('Impossible de marcher sur les talons', None, 'neuro_deficit'),
    ("j'ai plus de force dans la jambe droite", None, 'neuro_deficit'),
    ('Mes genoux se dérobent sous moi', None, 'neuro_deficit'),
    ("J'ai les jambes en coton", None, 'neuro_deficit'),
    ("Ma jambe droite est toute faible depuis l'opération", None, 'neuro_deficit'),
    ('Je traîne la jambe depuis ce matin', None, 'neuro_deficit'),
    ('Il ne tient plus debout', None, 'neuro_deficit'),
    ('perte de force dans le pied gauche', None, 'neuro_deficit'),
    ('Je ne peux pas monter les escaliers, mes jambes ne me portent plus', None, 'neuro_deficit'),
    ('ma jambe est comme morte', None, 'neuro_deficit'),
    ("j'arrive pas à marcher sur la pointe des pieds", None, 'neuro_deficit'),
    ('mon pied tombe quand je marche et je trébuche tout le temps', None, 'neuro_deficit'),
    ('Mon mari ne sent plus ses jambes', None, 'neuro_deficit'),
    ("Ma jambe est engourdie depuis trois jours après l'infiltration", 'wortelinfiltratie', 'neuro_deficit'),
    ("Depuis ce matin je n'arrive plus à monter l'escalier", None, 'neuro_deficit'),
    ("J'ai l'impression que ma jambe est de plus en plus faible", None, 'neuro_deficit'),
    ("Ma jambe est engourdie, c'est normal ?", None, 'neuro_deficit'),
    # saddle_anaesthesia
    ("J'ai les fesses engourdies et l'entrejambe aussi", None, 'saddle_anaesthesia'),
    ("Quand je m'essuie je ne sens rien", None, 'saddle_anaesthesia'),
    ('Des fourmillements dans les parties intimes depuis deux jours', None, 'saddle_anaesthesia'),
    ('Je ne sens plus le papier toilette', None, 'saddle_anaesthesia'),
    ("Ma femme ne sent plus rien autour de l'anus", None, 'saddle_anaesthesia'),
    ('sensation de carton dans le périnée', None, 'saddle_anaesthesia'),
    ('Je ne sens plus mes fesses', None, 'saddle_anaesthesia'),
    ('Engourdissement au niveau du périnée', None, 'saddle_anaesthesia'),
    ("J'ai une sensation bizarre entre les jambes, comme du carton", None, 'saddle_anaesthesia'),
    ('mon sexe est insensible', None, 'saddle_anaesthesia'),
    ('Je ne sens pas la lunette des toilettes', None, 'saddle_anaesthesia'),
    # bladder_bowel
    ("Je n'arrive pas à uriner depuis ce matin", None, 'bladder_bowel'),
    ("Je me suis fait pipi dessus sans m'en rendre compte", None, 'bladder_bowel'),
    ('je ne sais plus aller à la toilette, rien ne sort', None, 'bladder_bowel'),
    ("Je n'ai plus envie d'uriner du tout", None, 'bladder_bowel'),
    ('Je ne contrôle plus ma vessie', None, 'bladder_bowel'),
    ('Mon mari a mouillé son lit cette nuit', None, 'bladder_bowel'),
    ("J'ai fait dans mon pantalon et je ne l'ai pas senti, je ne sens pas quand je dois aller à la selle", None, 'bladder_bowel'),
    ("Impossible d'uriner", None, 'bladder_bowel'),
    ("J'ai des fuites urinaires depuis hier", None, 'bladder_bowel'),
    ('Je ne retiens plus mes urines', None, 'bladder_bowel'),
    ('Il se fait dessus', None, 'bladder_bowel'),
    ("je ne sens plus quand j'ai envie de faire pipi", None, 'bladder_bowel'),
    ("Je n'ai pas uriné depuis hier soir", None, 'bladder_bowel'),
    ('Je me pisse dessus', None, 'bladder_bowel'),
    # infection_signs
    ('La plaie est rouge et gonflée', 'ruggenmergstimulatie', 'infection_signs'),
    ('Il y a du pus qui sort au niveau du câble', 'ruggenmergstimulatie', 'infection_signs'),
    ("J'ai très mal à la tête et la nuque raide", 'ruggenmergstimulatie', 'infection_signs'),
    ('Je me sens patraque et mal fichue', 'ruggenmergstimulatie', 'infection_signs'),
    ("L'endroit de la piqûre est tout rouge et chaud", 'wortelinfiltratie', 'infection_signs'),
    ("J'ai la nuque raide depuis hier", 'bloedpatch', 'infection_signs'),
    ("Ça me gratte sous le pansement et j'ai des plaques rouges", 'ruggenmergstimulatie', 'infection_signs'),
    ('Il sort un liquide jaune de la plaie', 'ruggenmergstimulatie', 'infection_signs'),
    ("J'ai des maux de tête terribles", 'ruggenmergstimulatie', 'infection_signs'),
    ('La peau autour du fil est rouge et chaude', 'ruggenmergstimulatie', 'infection_signs'),
    ('La plaie est infectée', None, 'infection_signs'),
    ('Le point de ponction est gonflé et douloureux', 'wortelinfiltratie', 'infection_signs'),
    ('Ça coule au niveau de la sortie du câble', 'ruggenmergstimulatie', 'infection_signs'),
    # wound_complication
    ('La cicatrice est rouge et chaude', 'hernia', 'wound_complication'),
    ('Ça suinte de la cicatrice', 'hernia', 'wound_complication'),
    ("La plaie s'est ouverte", 'hernia', 'wound_complication'),
    ('Les points de suture sont gonflés et ça sent mauvais', 'hernia', 'wound_complication'),
    ('La cicatrice coule', 'hernia', 'wound_complication'),
    ('Il y a du pus sur le pansement', 'hernia', 'wound_complication'),
    # thrombosis
    ("J'ai le mollet gonflé et dur", None, 'thrombosis'),
    ("Je crois que j'ai une phlébite", None, 'thrombosis'),
    ('Ma jambe a doublé de volume', None, 'thrombosis'),
    ('Ma mère a le mollet rouge et chaud', 'hernia', 'thrombosis'),
    ('Mon mollet est tout chaud et tendu', None, 'thrombosis'),
    ('Ma jambe est très gonflée depuis hier', None, 'thrombosis'),
    ("Le médecin parle d'une thrombose veineuse", None, 'thrombosis'),
    ("J'ai une jambe gonflée et rouge", None, 'thrombosis'),
    # emergency
    ("J'ai une douleur dans la poitrine qui serre", None, 'emergency'),
    ("J'étouffe, je n'arrive pas à respirer", None, 'emergency'),
    ('Mon mari a la bouche de travers et il parle bizarrement', None, 'emergency'),
    ("Ma mère s'est évanouie et ne répond plus", None, 'emergency'),
    ("Ça saigne beaucoup et ça ne s'arrête pas", None, 'emergency'),
    ('Après la morphine il est très somnolent et confus', None, 'emergency'),
    ("Je suis tombée et je n'arrive pas à me relever", None, 'emergency'),
    ('Mes lèvres et ma langue gonflent', None, 'emergency'),
    ("J'ai du mal à respirer", None, 'emergency'),
    ('Ma femme a fait un malaise', None, 'emergency'),
    ('Il est tombé dans les pommes', None, 'emergency'),
    ('Impossible de le réveiller après le tramadol', None, 'emergency'),
    ('Tout à coup son bras est devenu faible et la bouche tombe', None, 'emergency'),
    ("J'ai une oppression dans la poitrine", None, 'emergency'),
    ('La plaie saigne abondamment', None, 'emergency'),
    ("Papa est tombé dans la salle de bain, il n'arrive pas à se relever", None, 'emergency'),
    ('Je sens un poids sur la poitrine', None, 'emergency'),
    ("Il respire à peine depuis qu'il a pris la morphine", None, 'emergency'),
    # suicidal
    ("J'ai envie de mourir", None, 'suicidal'),
    ('Je ne veux plus vivre', None, 'suicidal'),
    ("J'ai des idées noires", None, 'suicidal'),
    ("J'ai mis de côté des cachets", None, 'suicidal'),
    ('Tout le monde serait mieux sans moi', None, 'suicidal'),
    ("Ma fille dit qu'elle veut en finir", None, 'suicidal'),
    ('je pense au suicide', None, 'suicidal'),
    ("J'ai envie d'en finir", None, 'suicidal'),
    ('je veux juste mourir', None, 'suicidal'),
    ("Je n'ai plus envie de vivre", None, 'suicidal'),
    ("J'ai pensé à me tuer", None, 'suicidal'),
    ("j'ai marre de la vie", None, 'suicidal'),
    ("Je n'ai plus goût à rien, j'ai envie de mourir", None, 'suicidal'),
    ('Parfois je voudrais ne plus me réveiller', None, 'suicidal'),
]

CALM = [
    ("Je n'ai pas de fièvre", None),
    ('pas de fièvre ce matin', None),
    ("Et si j'ai de la fièvre ?", None),
    ("La fièvre est-elle normale après l'opération ?", None),
    ('Mes jambes ne sont pas engourdies', 'hernia'),
    ("Je n'ai plus de fièvre depuis hier", None),
    ("J'avais de la fièvre hier mais c'est passé", None),
    ("J'ai pris ma température, 37,1", None),
    ("La plaie n'est pas rouge, pas gonflée", 'ruggenmergstimulatie'),
    ('Mon chien a de la fièvre', None),
    ('Il fait 30 degrés dans la chambre', None),
    ('Est-ce que je peux prendre une douche ?', None),
    ('Je peux de nouveau marcher normalement', None),
    ('Que faire en cas de fièvre ?', None),
    ("Quels sont les signes d'une phlébite ?", None),
    ("Je n'ai aucune envie de mourir, je veux juste ne plus avoir mal", None),
    ('Je fais pipi normalement', None),
    ("Ma jambe est un peu engourdie et chaude depuis l'injection de ce matin, c'est normal ?", 'wortelinfiltratie'),
    ('Je ne sens pas de douleur dans la jambe', None),
    ('Pas de douleur dans la poitrine, pas de problème pour respirer', None),
    ("Qu'est-ce qui se passe si mes jambes deviennent faibles ?", None),
    ('Mon fils a de la fièvre, il a la grippe', None),
    ('Aux fesses je ne sens pas de douleur, tout va bien', None),
    ('Ce mal de dos va me tuer', None),
    ("Il y a deux ans, après ma première infiltration, j'avais eu de la fièvre", None),
    ('Aucune fièvre', None),
    ('Fièvre ? Non.', None),
    ("Je n'ai pas de frissons", None),
    ("Si j'ai de la fièvre, je dois appeler ?", None),
    ("Au cas où j'aurais de la fièvre, qui dois-je appeler ?", None),
    ("Je ne sais pas si c'est normal d'être fatigué", None),
    ('Mes jambes ne sont plus engourdies', None),
    ('Je marche normalement maintenant', None),
    ("Quels sont les signes d'une infection ?", None),
    ("C'est quoi une anesthésie en selle ?", None),
    ("Je n'ai aucun problème pour uriner", None),
    ('Je vais bien, merci', None),
    ("Je n'ai pas d'idées noires", None),
    ('Pas de fuite urinaire, pas de problème pour aller à la selle', None),
    ("Je n'ai plus de force, mais c'est parce que je dors mal", None),
    ("Est-ce que je peux conduire après l'infiltration ?", None),
    ('Je ne peux pas marcher longtemps à cause de la douleur', None),
    ("Ma jambe n'est pas faible", None),
    ('Je ne me sens pas mal du tout', None),
    ("Depuis l'injection il y a deux heures ma jambe est engourdie", 'wortelinfiltratie'),
    ('Une infiltration peut-elle provoquer une paralysie ?', None),
    ("Comment savoir si j'ai une phlébite ?", None),
    ('La fièvre est partie depuis hier', None),
    ("Je n'ai jamais eu de fièvre", None),
    ("Je n'ai pas l'impression que ma jambe soit plus faible", None),
    ("Est-il normal d'avoir la jambe engourdie après l'opération ?", None),
    ('Avec le tramadol je suis un peu fatigué', None),
    ('Bonjour, quand est mon prochain rendez-vous ?', None),
    ("Combien de temps dure l'intervention ?", None),
    ("J'ai encore mal au dos mais ça s'améliore", None),
    ("Est-ce que je peux conduire après l'infiltration ?", None),
    ('Dois-je être à jeun ?', None),
    ('Je prends des anticoagulants, dois-je les arrêter ?', None),
    ('Ma femme va me conduire', None),
    ('La douleur descend dans la jambe comme avant', None),
    ("J'ai peur de la piqûre", None),
    ('Le pansement est propre et sec', None),
    ("J'ai un peu de courbatures dans les jambes après la marche", None),
    ("J'ai mal au genou depuis que je suis tombée l'an dernier", None),
    ('Je peux reprendre le travail ?', None),
    ('Je marche tous les jours une demi-heure', None),
]

OWN_CUES_CALM = [
    ("J'ai peur de devenir paralysé", None),
    ('Ma voisine a une phlébite', None),
    ("Je n'ai pas de thrombose", None),
    ("Il n'y a pas de pus", None),
    ('Aucune incontinence', None),
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
