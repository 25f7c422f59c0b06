"""The Arabic alarm lexicon (data/triage/lexicon/ar.yml): alarm words of every category in Modern
Standard Arabic and in colloquial Moroccan, Levantine and Egyptian forms as written in Arabic script,
also as a partner or a child writes them, and calm messages (negated, hypothetical, a question about
symptoms, resolved, another person or a pet, a normal temperature, an effect the leaflet calls
harmless) that must not escalate. "ما بحس برجلي" (I can't feel my leg) is an alarm, "ما عندي حرارة"
(no fever) is calm.
"""
import glob
from collections import Counter

import pytest

from bot import paths
from bot.triage import detect, lexicon
from bot.triage.prefilter import required_literals

CODE = "ar"

ALARMS = [
    # fever
    ('عندي حمى من امبارح', None, 'fever'),
    ('عندي حرارة عالية وقشعريرة', None, 'fever'),
    ('ابني عنده سخونية من الصبح', None, 'fever'),
    ('جاتني السخانة وكنترعد', None, 'fever'),
    ('حرارتي 38.5', None, 'fever'),
    ('ارتفاع في درجة الحرارة منذ الصباح', None, 'fever'),
    ('جسمي سخن نار وبرجف', None, 'fever'),
    ('ما زال عندي حرارة', None, 'fever'),
    ('ما عندي غير حرارة', None, 'fever'),
    ('عندي سخانة وبرد', None, 'fever'),
    ('الولد عنده سخونة جامدة', None, 'fever'),
    # neuro_deficit
    ('لا أشعر بساقي', None, 'neuro_deficit'),
    ('رجلي منملة', None, 'neuro_deficit'),
    ('ما بحس برجلي اليسار', None, 'neuro_deficit'),
    ('مش حاسس برجليا خالص', None, 'neuro_deficit'),
    ('ما كنحسش برجلي', None, 'neuro_deficit'),
    ('رجلي ضعيفة وما فيها قوة', None, 'neuro_deficit'),
    ('أبوي ما عم يقدر يمشي', None, 'neuro_deficit'),
    ('مش قادر اقف على رجلي', None, 'neuro_deficit'),
    ('ما نقدرش ننوض من الكرسي', None, 'neuro_deficit'),
    ('لا أستطيع رفع قدمي', None, 'neuro_deficit'),
    ('رجلي خانتني ووقعت', None, 'neuro_deficit'),
    ('تنميل وضعف في الرجلين', None, 'neuro_deficit'),
    ('جوزي مش قادر يطلع السلم', None, 'neuro_deficit'),
    ('كل شوي بتعثر على طول', None, 'neuro_deficit'),
    ('كل ما امشي رجلي بتنمل', None, 'neuro_deficit'),
    ('بعد ما مشيت رجلي تنملت', None, 'neuro_deficit'),
    ('راجلي ما قادرش يمشي', None, 'neuro_deficit'),
    ('ماما مبقتش تقدر تقف', None, 'neuro_deficit'),
    ('مقدرش اقوم من السرير', None, 'neuro_deficit'),
    ('ما فيني امشي', None, 'neuro_deficit'),
    ('رجلي ثقيلة وما عم حس فيها', None, 'neuro_deficit'),
    ('قدمي متدلية وما بترتفع', None, 'neuro_deficit'),
    ('غير قادر على المشي', None, 'neuro_deficit'),
    ('لم أعد أستطيع الوقوف', None, 'neuro_deficit'),
    ('وما بحس برجلي اليمين', None, 'neuro_deficit'),
    ('ما بقدر ارفع رجلي', None, 'neuro_deficit'),
    ('مانيش قادر نمشي', None, 'neuro_deficit'),
    # saddle_anaesthesia
    ('عندي تنميل في المؤخرة', None, 'saddle_anaesthesia'),
    ('ما بحس بالمنطقة الحساسة', None, 'saddle_anaesthesia'),
    ('لما بمسح ما بحس بشي', None, 'saddle_anaesthesia'),
    ('خدر بين الفخذين من الداخل', None, 'saddle_anaesthesia'),
    ('حاسة بتنميل في الشرج', None, 'saddle_anaesthesia'),
    ('فقدان الإحساس في منطقة السرج', None, 'saddle_anaesthesia'),
    ('مؤخرتي منملة', None, 'saddle_anaesthesia'),
    ('ما كنحسش بالورق ملي كنمسح', None, 'saddle_anaesthesia'),
    # bladder_bowel
    ('لا أستطيع التبول', None, 'bladder_bowel'),
    ('ما بلت من الصبح', None, 'bladder_bowel'),
    ('مش قادر اتحكم في البول', None, 'bladder_bowel'),
    ('البول بينزل لوحده', None, 'bladder_bowel'),
    ('عملت على نفسي ومحستش', None, 'bladder_bowel'),
    ('ما نقدرش نبول', None, 'bladder_bowel'),
    ('ما بحس انو بدي فوت عالحمام', None, 'bladder_bowel'),
    ('عندي سلس بول من امبارح', None, 'bladder_bowel'),
    ('بابا عمل على نفسه في السرير', None, 'bladder_bowel'),
    ('بولت على حالي بالليل', None, 'bladder_bowel'),
    ('لم أتبول منذ 10 ساعات', None, 'bladder_bowel'),
    ('مش قادرة امسك نفسي وبعمل على نفسي', None, 'bladder_bowel'),
    # infection_signs
    ('الجرح أحمر ومنفوخ', 'ruggenmergstimulatie', 'infection_signs'),
    ('بيطلع صديد من الجرح', 'ruggenmergstimulatie', 'infection_signs'),
    ('مكان السلك سخن وفيه احمرار', 'ruggenmergstimulatie', 'infection_signs'),
    ('عندي صداع قوي ورقبتي متيبسة', 'ruggenmergstimulatie', 'infection_signs'),
    ('راسي بيوجعني جدا', 'ruggenmergstimulatie', 'infection_signs'),
    ('حاسس اني تعبان ومريض', 'ruggenmergstimulatie', 'infection_signs'),
    ('الجلد حوالين اللزقة بيحكني وفي طفح', 'ruggenmergstimulatie', 'infection_signs'),
    ('مكان الحقنة أحمر ومتورم', 'wortelinfiltratie', 'infection_signs'),
    ('مكان الإبرة سخن وبيوجع اكتر', 'bloedpatch', 'infection_signs'),
    ('رقبتي ناشفة ومش قادر انزل راسي', 'bloedpatch', 'infection_signs'),
    # wound_complication
    ('الجرح احمر وسخن', 'hernia', 'wound_complication'),
    ('الجرح انفتح', 'hernia', 'wound_complication'),
    ('بيطلع مية صفرا من الجرح', 'hernia', 'wound_complication'),
    ('الغرز فكت', 'hernia', 'wound_complication'),
    # thrombosis
    ('رجلي منفوخة وحمرا', None, 'thrombosis'),
    ('سمانة رجلي وارمة وبتوجعني', None, 'thrombosis'),
    ('ساقي متورمة وساخنة', None, 'thrombosis'),
    ('الدكتور قال ممكن جلطة في رجلي، رجلي وارمة', None, 'thrombosis'),
    ('عندي تورم في ساقي اليمين', None, 'thrombosis'),
    # emergency
    ('ألم في الصدر', None, 'emergency'),
    ('مش قادر اتنفس', None, 'emergency'),
    ('ضيق في التنفس شديد', None, 'emergency'),
    ('وش بابا مايل وكلامه تقيل', None, 'emergency'),
    ('ماما اغمي عليها وما بتصحى', None, 'emergency'),
    ('بعد المورفين نعسان كتير وما عم يصحى', None, 'emergency'),
    ('الدم ما عم يوقف', None, 'emergency'),
    ('شفايفي ولساني منفوخين', None, 'emergency'),
    ('وقع ومش قادر يقوم', None, 'emergency'),
    ('صدري بيوجعني', None, 'emergency'),
    ('مش قادر اخد نفسي', None, 'emergency'),
    ('جوزي اتغمى عليه', None, 'emergency'),
    ('فمه مال على جنب وبيخربط في الكلام', None, 'emergency'),
    ('ما قدرنا نصحيه بعد الترامادول', None, 'emergency'),
    ('نزيف قوي من الجرح', None, 'emergency'),
    # suicidal
    ('بدي موت', None, 'suicidal'),
    ('عايز اموت', None, 'suicidal'),
    ('بغيت نموت', None, 'suicidal'),
    ('أفكر في الانتحار', None, 'suicidal'),
    ('ما بدي عيش', None, 'suicidal'),
    ('الكل احسن بدوني', None, 'suicidal'),
    ('جمعت الحبوب بدي اخدها كلها', None, 'suicidal'),
    ('ياريتني مت', None, 'suicidal'),
    ('نفسي اموت وارتاح', None, 'suicidal'),
    ('تعبت من الحياة', None, 'suicidal'),
    ('ما بغيتش نعيش', None, 'suicidal'),
]

# negated, hypothetical, a question about symptoms, resolved, another person or a pet, a normal
# temperature, an effect the leaflet calls harmless, ordinary aftercare questions
CALM = [
    ('ما عندي حرارة', None),
    ('ماعنديش السخانة', None),
    ('معنديش سخونية', None),
    ('ما في حرارة الحمد لله', None),
    ('لا توجد حمى', None),
    ('حرارتي طبيعية', None),
    ('حرارتي 36.8', None),
    ('هل الحمى طبيعية بعد العملية؟', None),
    ('اذا طلعت عندي حرارة شو لازم اعمل؟', None),
    ('امبارح كان عندي حمى بس اليوم زالت', None),
    ('رجلي مش منملة', None),
    ('ما عندي تنميل في رجلي', None),
    ('مش حاسس بألم في رجلي', None),
    ('بقدر امشي عادي', None),
    ('الجرح نظيف، ما في احمرار', None),
    ('كلبي عنده حرارة', None),
    ('هل يمكنني الاستحمام؟', None),
    ('متى أعود إلى العمل', None),
    ('شكرا جزيلا', None),
    ('ظهري يؤلمني كثيرا', None),
    ('ما بدي موت، بس الوجع صعب', None),
    ('ما عندي افكار انتحارية', None),
    ('الجو حار كتير اليوم', None),
    ('رجلي مش منفوخة', None),
    ('بعد الحقنة رجلي منملة من ساعتين، قالولي عادي', 'wortelinfiltratie'),
    ('خايف من الشلل بعد العملية', None),
    ('ممكن اخد مسكن؟', None),
    ('ما زال عندي وجع في ظهري', None),
    ('الحمد لله انا بخير', None),
    ('ما بقدر اشيل اشياء تقيلة لمدة اسبوع', None),
    ('سخونة في رجلي لما بمشي', None),
    ('مفيش تنميل', None),
    ('ماكاينش السخانة', None),
    ('لا أعتقد أن عندي حمى', None),
    ('هل التنميل في الرجل خطير؟', None),
    ('ما هي أعراض الجلطة؟', None),
    ('ماما ما عندها حرارة', None),
    ('رجلي ما فيها شي', None),
    ('الحمد لله الجرح كويس', None),
    ('محمد ابني بخير', None),
    ('هل يسبب التخدير تنميل في الرجلين؟', None),
    ('ما في احمرار ولا تورم', None),
    ('الجرح مش احمر', None),
    ('ما عندي صداع', None),
    ('بقدر اتبول عادي', None),
    ('امي عندها سكر', None),
    ('بدي اعرف متى بقدر اسوق', None),
    ('ما في تنميل ولا ضعف', None),
    ('وما عندي حرارة', None),
    ('ما بحس بأي وجع في رجلي', None),
    ('الحرارة نزلت الحمد لله', None),
    ('ما هي علامات الجلطة؟', None),
    ('هل ممكن يصير تنميل بعد الحقنة؟', None),
    ('حرارتي طبيعية والحمد لله', None),
    ('رجلي منيحة', None),
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

