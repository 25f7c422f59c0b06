"""The Spanish alarm lexicon (data/triage/lexicon/es.yml): alarm words of every category in
colloquial wordings (Spain and Latin America: "calentura", "no me puedo parar", "la cola"), also as a partner or a child writes them, and calm messages
(negated, hypothetical, a question about symptoms, resolved, another person or a pet, a normal
temperature, an effect the leaflet calls harmless) that must not escalate.

Every language's lexicon runs on every message. OWN_CUES_CALM are calm messages whose words another
lexicon shares (Dutch "thrombose", "pus", "incontinen*", ...): there the Spanish findings must be
calm, whatever the other lexicon makes of them.
"""
import glob
from collections import Counter

import pytest

from bot import paths
from bot.triage import detect, lexicon
from bot.triage.prefilter import required_literals

CODE = "es"

ALARMS = [
    # fever
    ('Tengo fiebre desde anoche, 38,7', None, 'fever'),
    ('Tengo calentura y escalofríos', None, 'fever'),
    ('Mi esposo tiene temperatura desde ayer', 'hernia', 'fever'),
    ('Estoy afiebrada y tiritando', None, 'fever'),
    ('Mi mamá tiene la frente ardiendo', 'ruggenmergstimulatie', 'fever'),
    ('tengo 39 de fiebre', None, 'fever'),
    ('No me baja la fiebre', None, 'fever'),
    ('Estoy destemplado y con chuchos de frío', None, 'fever'),
    ('mi hijo dice que estoy hirviendo en fiebre', None, 'fever'),
    ('Volvió la fiebre', None, 'fever'),
    ('No sé si tengo fiebre, tengo escalofríos', None, 'fever'),
    # neuro_deficit
    ('Tengo la pierna izquierda dormida desde esta mañana', 'hernia', 'neuro_deficit'),
    ('No puedo caminar, se me doblan las piernas', None, 'neuro_deficit'),
    ('No siento las piernas', None, 'neuro_deficit'),
    ('Mi papá ya no se puede parar de la silla', None, 'neuro_deficit'),
    ('No puedo levantar el pie, lo arrastro al caminar', None, 'neuro_deficit'),
    ('Las piernas no me sostienen', None, 'neuro_deficit'),
    ('No tengo fuerza en la pierna derecha', None, 'neuro_deficit'),
    ('no logro caminar de puntillas', None, 'neuro_deficit'),
    ('Se me va la pierna cuando camino', None, 'neuro_deficit'),
    ('Tengo las piernas flojas, como de trapo', None, 'neuro_deficit'),
    ('No me puedo parar', None, 'neuro_deficit'),
    ('Ya no puede caminar solo', None, 'neuro_deficit'),
    ('Se me durmió la pierna y no se me quita', None, 'neuro_deficit'),
    ('Debilidad en la pierna izquierda desde la operación', None, 'neuro_deficit'),
    ('Arrastro el pie al caminar', None, 'neuro_deficit'),
    ('No puedo subir las escaleras, las piernas no me responden', None, 'neuro_deficit'),
    ('Tengo el pie caído', None, 'neuro_deficit'),
    ('perdí la fuerza en las dos piernas', None, 'neuro_deficit'),
    ('Mi esposa no siente las piernas', None, 'neuro_deficit'),
    ('Tengo la pierna dormida desde hace tres días por la infiltración', 'wortelinfiltratie', 'neuro_deficit'),
    ('Desde esta mañana no puedo subir las escaleras', None, 'neuro_deficit'),
    ('Siento que la pierna está cada vez más débil', None, 'neuro_deficit'),
    ('Tengo la pierna dormida, ¿es normal?', None, 'neuro_deficit'),
    ('No me da la pierna para caminar', None, 'neuro_deficit'),
    ('siento la pierna como dormida', None, 'neuro_deficit'),
    # saddle_anaesthesia
    ('Tengo las nalgas dormidas y la entrepierna también', None, 'saddle_anaesthesia'),
    ('Al limpiarme no siento nada', None, 'saddle_anaesthesia'),
    ('Hormigueo en los genitales desde hace dos días', None, 'saddle_anaesthesia'),
    ('No siento el papel higiénico', None, 'saddle_anaesthesia'),
    ('Tengo el culo acorchado', None, 'saddle_anaesthesia'),
    ('mi esposa no siente nada alrededor del ano', None, 'saddle_anaesthesia'),
    ('Tengo la cola adormecida', None, 'saddle_anaesthesia'),
    ('No siento las nalgas', None, 'saddle_anaesthesia'),
    ('Tengo adormecida la zona genital', None, 'saddle_anaesthesia'),
    ('siento raro ahí abajo, como acorchado', None, 'saddle_anaesthesia'),
    ('Las pompas se me duermen todo el tiempo', None, 'saddle_anaesthesia'),
    ('No siento el asiento del inodoro', None, 'saddle_anaesthesia'),
    # bladder_bowel
    ('No puedo orinar desde esta mañana', None, 'bladder_bowel'),
    ('Me hice pipí encima sin darme cuenta', None, 'bladder_bowel'),
    ('No tengo ganas de orinar en todo el día', None, 'bladder_bowel'),
    ('No controlo la vejiga', None, 'bladder_bowel'),
    ('Mi esposo mojó la cama anoche', None, 'bladder_bowel'),
    ('Se me sale la caca y no me doy cuenta', None, 'bladder_bowel'),
    ('no me sale el pis, solo unas gotas', None, 'bladder_bowel'),
    ('No puedo hacer pipí', None, 'bladder_bowel'),
    ('Se me escapa la orina', None, 'bladder_bowel'),
    ('Tengo incontinencia desde ayer', None, 'bladder_bowel'),
    ('Mi papá se hizo encima y no se dio cuenta', None, 'bladder_bowel'),
    ('No siento cuando tengo que ir al baño', None, 'bladder_bowel'),
    ('No he orinado desde anoche', None, 'bladder_bowel'),
    ('Me orino sin querer', None, 'bladder_bowel'),
    ('Me hice del baño en los pantalones', None, 'bladder_bowel'),
    # infection_signs
    ('La herida está roja e hinchada', 'ruggenmergstimulatie', 'infection_signs'),
    ('Sale pus de donde está el cable', 'ruggenmergstimulatie', 'infection_signs'),
    ('Tengo mucho dolor de cabeza y el cuello rígido', 'ruggenmergstimulatie', 'infection_signs'),
    ('Me siento fatal, como engripada', 'ruggenmergstimulatie', 'infection_signs'),
    ('Donde me pincharon está rojo y caliente', 'wortelinfiltratie', 'infection_signs'),
    ('Tengo la nuca tiesa desde ayer', 'bloedpatch', 'infection_signs'),
    ('Me pica mucho debajo del apósito y tengo ronchas', 'ruggenmergstimulatie', 'infection_signs'),
    ('Me duele la cabeza horrible', 'ruggenmergstimulatie', 'infection_signs'),
    ('La piel alrededor del electrodo está enrojecida', 'ruggenmergstimulatie', 'infection_signs'),
    ('La herida huele mal', 'ruggenmergstimulatie', 'infection_signs'),
    ('La herida tiene pus', None, 'infection_signs'),
    ('Tengo un bulto en el pinchazo, rojo y caliente', 'wortelinfiltratie', 'infection_signs'),
    ('Le sale líquido amarillo a la herida del cable', 'ruggenmergstimulatie', 'infection_signs'),
    # wound_complication
    ('La cicatriz está roja y caliente', 'hernia', 'wound_complication'),
    ('Le sale líquido de la herida', 'hernia', 'wound_complication'),
    ('Se abrió la herida', 'hernia', 'wound_complication'),
    ('Los puntos están inflamados y huelen mal', 'hernia', 'wound_complication'),
    ('Los puntos se soltaron', 'hernia', 'wound_complication'),
    ('La herida supura', 'hernia', 'wound_complication'),
    # thrombosis
    ('Tengo la pantorrilla hinchada y dura', None, 'thrombosis'),
    ('Creo que tengo una trombosis', None, 'thrombosis'),
    ('Se me hinchó la pierna, la tengo el doble', None, 'thrombosis'),
    ('Mi mamá tiene el gemelo rojo y caliente', 'hernia', 'thrombosis'),
    ('La pantorrilla está roja, caliente y me duele', None, 'thrombosis'),
    ('Tengo la pierna muy hinchada', None, 'thrombosis'),
    ('el médico dice que puede ser un coágulo', None, 'thrombosis'),
    ('Tengo la canilla hinchada y roja', None, 'thrombosis'),
    # emergency
    ('Tengo un dolor en el pecho muy fuerte', None, 'emergency'),
    ('Me falta el aire, no puedo respirar', None, 'emergency'),
    ('Mi esposo tiene la boca torcida y habla raro', None, 'emergency'),
    ('Mi mamá se desmayó y no reacciona', None, 'emergency'),
    ('La herida sangra mucho y no para', None, 'emergency'),
    ('Después de la morfina está muy somnoliento y confundido', None, 'emergency'),
    ('Me caí y no me puedo levantar', None, 'emergency'),
    ('Se me hincharon los labios y la lengua', None, 'emergency'),
    ('Siento una presión en el pecho', None, 'emergency'),
    ('Me ahogo', None, 'emergency'),
    ('Creo que le dio un derrame, no se le entiende', None, 'emergency'),
    ('Se desmayó en el baño', None, 'emergency'),
    ('Apenas respira después del fentanilo', None, 'emergency'),
    ('Se cayó y no se puede levantar', None, 'emergency'),
    ('Se me cierra la garganta', None, 'emergency'),
    ('Mi abuela se cayó y no se puede parar', None, 'emergency'),
    ('Tengo opresión en el pecho', None, 'emergency'),
    ('Respira muy poco desde que le pusieron la morfina', None, 'emergency'),
    # suicidal
    ('Me quiero morir', None, 'suicidal'),
    ('Ya no quiero vivir', None, 'suicidal'),
    ('He pensado en quitarme la vida', None, 'suicidal'),
    ('Estoy juntando pastillas', None, 'suicidal'),
    ('Todos estarían mejor sin mí', None, 'suicidal'),
    ('Mi hija dice que quiere suicidarse', None, 'suicidal'),
    ('tengo ganas de desaparecer', None, 'suicidal'),
    ('Quiero morirme', None, 'suicidal'),
    ('Tengo ganas de morir', None, 'suicidal'),
    ('Ya no quiero seguir viviendo', None, 'suicidal'),
    ('He pensado en suicidarme', None, 'suicidal'),
    ('Mejor estarían sin mí', None, 'suicidal'),
    ('Ya no aguanto más, quiero morirme', None, 'suicidal'),
    ('A veces quisiera no despertar', None, 'suicidal'),
]

CALM = [
    ('No tengo fiebre', None),
    ('sin fiebre hoy', None),
    ('¿Qué pasa si tengo fiebre?', None),
    ('¿Es normal la fiebre después de la operación?', None),
    ('Las piernas no las tengo dormidas', 'hernia'),
    ('Ya puedo caminar normal', None),
    ('Ayer tuve fiebre pero ya se me pasó', None),
    ('Me medí la temperatura, 37,1', None),
    ('La herida no está roja ni hinchada', 'ruggenmergstimulatie'),
    ('Mi perro tiene fiebre', None),
    ('En la habitación hace 30 grados', None),
    ('¿Me puedo duchar?', None),
    ('Orino normal', None),
    ('¿Cuáles son los síntomas de una trombosis?', None),
    ('En caso de fiebre, ¿a quién llamo?', None),
    ('No quiero morir, solo quiero que se me pase el dolor', None),
    ('Tengo la pierna un poco dormida y caliente desde la inyección de esta mañana, ¿es normal?', 'wortelinfiltratie'),
    ('No siento dolor en las piernas', None),
    ('No tengo dolor en el pecho ni me falta el aire', None),
    ('Mi hijo tiene fiebre, tiene gripe', None),
    ('No puedo caminar mucho rato por el dolor de espalda', None),
    ('Hace dos años, después de la primera infiltración, tuve fiebre', None),
    ('Este dolor me va a matar', None),
    ('No me siento mal', None),
    ('Fiebre no tengo', None),
    ('¿Fiebre? No.', None),
    ('No tengo escalofríos', None),
    ('Si tengo fiebre, ¿llamo?', None),
    ('¿Puede dar fiebre la infiltración?', None),
    ('No sé si es normal estar cansado', None),
    ('Ya no tengo la pierna dormida', None),
    ('Camino normal', None),
    ('¿Cuáles son los síntomas de infección?', None),
    ('¿Qué es el síndrome de cola de caballo?', None),
    ('Orino bien y sin problemas', None),
    ('Estoy bien, gracias', None),
    ('No tengo pensamientos de suicidio', None),
    ('No tengo problemas para orinar ni para hacer del dos', None),
    ('¿Puedo manejar después de la infiltración?', None),
    ('La pierna no está débil', None),
    ('No me siento mal, estoy tranquila', None),
    ('Hace un calor terrible afuera', None),
    ('Mi gato tiene la pata hinchada', None),
    ('No tengo fuerza de voluntad para hacer ejercicio', None),
    ('Desde la inyección hace dos horas tengo la pierna dormida', 'wortelinfiltratie'),
    ('¿La infiltración puede causar parálisis?', None),
    ('¿Cómo sé si tengo una trombosis?', None),
    ('La fiebre ya se fue', None),
    ('Nunca tuve fiebre', None),
    ('No creo que la pierna esté más débil', None),
    ('¿Es normal tener la pierna dormida después de la operación?', None),
    ('Con el tramadol estoy un poco cansado', None),
    ('Hola, ¿cuándo es mi próxima cita?', None),
    ('¿Cuánto dura el procedimiento?', None),
    ('Todavía me duele la espalda pero va mejorando', None),
    ('¿Puedo manejar después de la infiltración?', None),
    ('¿Tengo que ir en ayunas?', None),
    ('Tomo anticoagulantes, ¿tengo que dejarlos?', None),
    ('Mi esposa me va a llevar', None),
    ('El dolor baja por la pierna como antes', None),
    ('Tengo miedo del pinchazo', None),
    ('La curita está limpia y seca', None),
    ('Tengo un poco de agujetas en las piernas por caminar', None),
    ('Me duele la rodilla desde que me caí el año pasado', None),
    ('¿Puedo volver al trabajo?', None),
    ('Camino media hora todos los días', None),
    ('Estoy a punto de salir, fue un día duro', None),
    ('Hace calor en la zona de la costa', None),
]

OWN_CUES_CALM = [
    ('Tengo miedo de quedarme paralizada', None),
    ('Mi vecina tiene una trombosis', None),
    ('No hay pus en la herida', None),
    ('No tengo incontinencia', None),
    ('No estoy paralizado', None),
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
