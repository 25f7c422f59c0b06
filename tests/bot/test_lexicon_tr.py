"""The Turkish alarm lexicon (data/triage/lexicon/tr.yml): alarm words of every category in colloquial
wordings, with and without Turkish letters (the dotless ı is kept by the folding), also as a partner
or a child writes them, and calm messages (negated, hypothetical, a question about symptoms,
resolved, another person or a pet, a normal temperature, an effect the leaflet calls harmless) that
must not escalate. Turkish negation is mostly a suffix: "ateşim yok" (no fever) is calm,
"bacaklarımı hissetmiyorum" (I can't feel my legs) is an alarm.
"""
import glob
from collections import Counter

import pytest

from bot import paths
from bot.triage import detect, lexicon
from bot.triage.prefilter import required_literals

CODE = "tr"

ALARMS = [
    # fever
    ('Ateşim var, 38,5 ölçtüm', None, 'fever'),
    ('atesim cikti dunden beri', None, 'fever'),
    ('Babamın ateşi yükseldi, titriyor', None, 'fever'),
    ('üşüme titreme var, vücudum yanıyor', None, 'fever'),
    ('akşamdan beri hararetim var', None, 'fever'),
    ('annemin alnı ateş gibi yanıyor', None, 'fever'),
    ('ateşler içindeyim', None, 'fever'),
    ('ates yapti', None, 'fever'),
    ('titreme nöbetleri geliyor', None, 'fever'),
    ('kocamin atesi cikti titriyor', None, 'fever'),
    ('ateşim düştü ama yine yükseldi', None, 'fever'),
    ('gene ateşim çıktı', None, 'fever'),
    # neuro_deficit
    ('Bacaklarımı hissetmiyorum', None, 'neuro_deficit'),
    ('bacaklarimi hissetmiyorum', None, 'neuro_deficit'),
    ('bacağım uyuştu ve güçsüz', None, 'neuro_deficit'),
    ('sol ayagim uyusuk ve zayif', None, 'neuro_deficit'),
    ('Babam yürüyemiyor', None, 'neuro_deficit'),
    ('yuruyemiyorum artik', None, 'neuro_deficit'),
    ('sandalyeden kalkamıyorum', None, 'neuro_deficit'),
    ('ayağımı kaldıramıyorum, sürekli takılıyor', None, 'neuro_deficit'),
    ('bacaklarım tutmuyor', None, 'neuro_deficit'),
    ('bacaklarımda hiç güç yok', None, 'neuro_deficit'),
    ('merdiven çıkamıyorum', None, 'neuro_deficit'),
    ('topuklarımın üstünde yürüyemiyorum', None, 'neuro_deficit'),
    ('annem ayakta duramıyor', None, 'neuro_deficit'),
    ('ayağımı sürüyorum', None, 'neuro_deficit'),
    ('bacaklarımda derman kalmadı', None, 'neuro_deficit'),
    ('ayaklarimi hissedemiyorum', None, 'neuro_deficit'),
    ('kocam bacaklarını hiç hissetmiyor', None, 'neuro_deficit'),
    ('bacaklarım kesildi, ayakta duramıyorum', None, 'neuro_deficit'),
    ('elimden her şey düşüyor', None, 'neuro_deficit'),
    ('ayagim dusuk, yururken takiliyor', None, 'neuro_deficit'),
    ('ayağa kalkamıyorum', None, 'neuro_deficit'),
    ('annemin bacaklari tutmuyor, yuruyemiyor', None, 'neuro_deficit'),
    ('babamın bacakları tutmadı, düştü', None, 'neuro_deficit'),
    ('gene bacaklarım uyuştu', None, 'neuro_deficit'),
    # saddle_anaesthesia
    ('Popomda uyuşma var', None, 'saddle_anaesthesia'),
    ('kasıklarım ve popom uyuştu', None, 'saddle_anaesthesia'),
    ('tuvalet kağıdını hissetmiyorum', None, 'saddle_anaesthesia'),
    ('silerken hiçbir şey hissetmiyorum', None, 'saddle_anaesthesia'),
    ('apış aramda karıncalanma var sürekli', None, 'saddle_anaesthesia'),
    ('makatımın etrafı uyuşuk', None, 'saddle_anaesthesia'),
    ('kasigimda ve popomda his yok', None, 'saddle_anaesthesia'),
    ('otururken klozeti hissetmiyorum', None, 'saddle_anaesthesia'),
    # bladder_bowel
    ('İdrar yapamıyorum', None, 'bladder_bowel'),
    ('idrarimi tutamiyorum', None, 'bladder_bowel'),
    ('sabahtan beri işeyemiyorum', None, 'bladder_bowel'),
    ('Babam altına kaçırdı, farkında bile değil', None, 'bladder_bowel'),
    ('çişim gelmiyor, hiç sıkışmıyorum', None, 'bladder_bowel'),
    ('dışkımı tutamıyorum', None, 'bladder_bowel'),
    ('idrar kaçırıyorum farkında olmadan', None, 'bladder_bowel'),
    ('mesanemi kontrol edemiyorum', None, 'bladder_bowel'),
    ('yatağımı ıslattım', None, 'bladder_bowel'),
    ('idrarim gelmiyor', None, 'bladder_bowel'),
    ('cis yapamiyorum', None, 'bladder_bowel'),
    ('idrarimi tutamiyorum, altima kaciriyorum', None, 'bladder_bowel'),
    # infection_signs
    ('Yara kızardı ve şişti', 'ruggenmergstimulatie', 'infection_signs'),
    ('kablonun çıktığı yerden sarı sıvı geliyor', 'ruggenmergstimulatie', 'infection_signs'),
    ('yaradan iltihap geliyor', 'ruggenmergstimulatie', 'infection_signs'),
    ('başım çok ağrıyor ve boynum tutuldu', 'ruggenmergstimulatie', 'infection_signs'),
    ('kendimi çok kötü hissediyorum, grip gibiyim', 'ruggenmergstimulatie', 'infection_signs'),
    ('bantın altı kaşınıyor, döküntü var', 'ruggenmergstimulatie', 'infection_signs'),
    ('yara kötü kokuyor', 'ruggenmergstimulatie', 'infection_signs'),
    ('iğne yeri kızardı ve şişti', 'wortelinfiltratie', 'infection_signs'),
    ('iğne yapılan yer sıcak ve şişmiş', 'bloedpatch', 'infection_signs'),
    ('boynum kaskatı, eğemiyorum', 'bloedpatch', 'infection_signs'),
    ('yara kirmizi ve sisti', 'ruggenmergstimulatie', 'infection_signs'),
    ('basim agriyor', 'ruggenmergstimulatie', 'infection_signs'),
    ('yaradan irin geliyor', 'ruggenmergstimulatie', 'infection_signs'),
    # wound_complication
    ('Ameliyat yeri kızarık ve sıcak', 'hernia', 'wound_complication'),
    ('dikişler açıldı', 'hernia', 'wound_complication'),
    ('yaradan su geliyor', 'hernia', 'wound_complication'),
    ('yara şişti ve irin var', 'hernia', 'wound_complication'),
    ('dikisler acildi yara kizardi', 'hernia', 'wound_complication'),
    # thrombosis
    ('Baldırım şişti ve ağrıyor', None, 'thrombosis'),
    ('sol bacağım diğerinden kalın ve kızarık', None, 'thrombosis'),
    ('doktor pıhtı olabilir dedi, baldırım sertleşti', None, 'thrombosis'),
    ('bacagim sisti ve sicak', None, 'thrombosis'),
    ('baldırımda şişlik ve kızarıklık var', None, 'thrombosis'),
    ('baldirim sisti kizardi', None, 'thrombosis'),
    # emergency
    ('Göğsümde ağrı var', None, 'emergency'),
    ('nefes alamıyorum', None, 'emergency'),
    ('Babamın ağzı kaydı, konuşması bozuldu', None, 'emergency'),
    ('annem bayıldı, uyandıramıyoruz', None, 'emergency'),
    ('morfinden sonra çok uykulu, nefesi yavaşladı', None, 'emergency'),
    ('kanama durmuyor', None, 'emergency'),
    ('dudaklarım ve dilim şişti, nefesim daralıyor', None, 'emergency'),
    ('düştü ve kalkamıyor', None, 'emergency'),
    ('göğsüm sıkışıyor', None, 'emergency'),
    ('tepki vermiyor', None, 'emergency'),
    ('nefes nefese kaldım, nefes alamiyorum', None, 'emergency'),
    ('gogsumde baski var', None, 'emergency'),
    ('yere düştü, kalkamıyor', None, 'emergency'),
    ('gogsumde baski var nefesim daraliyor', None, 'emergency'),
    ('babam bayildi', None, 'emergency'),
    # suicidal
    ('Ölmek istiyorum', None, 'suicidal'),
    ('yaşamak istemiyorum artık', None, 'suicidal'),
    ('intihar etmeyi düşünüyorum', None, 'suicidal'),
    ('keşke ölsem', None, 'suicidal'),
    ('herkes bensiz daha iyi olur', None, 'suicidal'),
    ('hapları biriktiriyorum', None, 'suicidal'),
    ('canıma kıyacağım', None, 'suicidal'),
    ('olmek istiyorum', None, 'suicidal'),
    ('yasamak istemiyorum', None, 'suicidal'),
    ('artik yasamak istemiyorum', None, 'suicidal'),
    ('kendimi oldurmek istiyorum', None, 'suicidal'),
]

# negated, hypothetical, a question about symptoms, resolved, another person or a pet, a normal
# temperature, an effect the leaflet calls harmless, ordinary aftercare questions
CALM = [
    ('Ateşim yok', None),
    ('atesim yok ama sırtım ağrıyor', None),
    ('ateş falan yok', None),
    ('ne ateşim var ne titremem', None),
    ('ateşim 36,8', None),
    ('Ateşim çıkarsa ne yapmalıyım?', None),
    ('ameliyattan sonra ateş olur mu?', None),
    ('dün ateşim vardı, şimdi düzeldi', None),
    ('bacağım uyuşuk değil', None),
    ('bacağımda ağrı hissetmiyorum', None),
    ('uyuşma yok', None),
    ('yürüyebiliyorum', None),
    ('idrarımı rahat yapıyorum', None),
    ('yara temiz, kızarıklık yok', None),
    ('köpeğimin ateşi var', None),
    ('duş alabilir miyim?', None),
    ('ne zaman işe dönebilirim', None),
    ('çok teşekkür ederim', None),
    ('intihar düşüncem yok', None),
    ('felç olmaktan korkuyorum', None),
    ('göğüs ağrım yok', None),
    ('odada hava çok sıcak', None),
    ('bacağımda şişlik yok', None),
    ('iğneden sonra bacağım uyuştu, iki saat sürer dediler normalmiş', 'wortelinfiltratie'),
    ('sırtım çok ağrıyor', None),
    ('Hangi durumlarda doktoru aramalıyım?', None),
    ('stimülatörün titreşimi hoşuma gidiyor', None),
    ('ayakkabımı giyemiyorum çünkü eğilemiyorum', None),
    ('ağır şey kaldıramıyorum doktor yasakladı', None),
    ('ameliyat geçmiş olsun dediler', None),
    ('atesim yok', None),
    ('ateşim yoktu', None),
    ('ateş çıkmadı', None),
    ('titremem olmadı', None),
    ('yara kızarık değil', None),
    ('kızarıklık yok, şişlik yok', None),
    ('bacaklarım uyuşmuyor', None),
    ('idrar yolu enfeksiyonu yok', None),
    ('bacağımda uyuşma hissi yok', None),
    ('bacaklarımı hissediyorum', None),
    ('yarın kontrole geleceğim', None),
    ('ağrı kesici alabilir miyim?', None),
    ('ateş olursa hemen arayacağım', None),
    ('başım dönüyor biraz', None),
    ('kilo verdim', None),
    ('kalkınca biraz ağrıyor', None),
    ('ateşim düştü, şimdi iyiyim', None),
    ('titreme yok', None),
    ('bacağım uyuşmadı', None),
    ('yürümekte zorluk yok', None),
    ('Hangi belirtilerde doktora gitmeliyim?', None),
    ('ameliyattan sonra bacakta uyuşma olabilir mi?', None),
    ('idrar yaparken sorun yok', None),
    ('baş ağrım geçti gitti', None),
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

