"""The answers' second topic classifier (bot/topic_classifier.py): its data and how it combines with Rasa's."""
import json

from rapidfuzz import fuzz
from ruamel.yaml import YAML

from bot import answering, data_checks, knowledge, paths, topic_classifier, yamldata
from bot.evaluation import acceptance, question_batches
from bot.normalize import fold


def _phrasings():
    return yamldata.load(paths.DATA / "topic_phrasings.yml")["topics"]


def test_every_phrasing_names_a_topic_and_none_is_rasa_training_data():
    topics = set(knowledge.topic_list())
    assert set(_phrasings()) <= topics
    trained = {fold(e) for examples in data_checks.nlu_examples().values() for e in examples}
    assert not [e for examples in _phrasings().values() for e in examples if fold(e) in trained]


def test_no_phrasing_is_close_to_a_scored_question():
    """The scored sets stay unseen: no phrasing within rapidfuzz ratio 80 of an acceptance, own or blind question."""
    scored = [fold(c["text"]) for path in question_batches.default_batches() for c in question_batches.load(path)]
    scored += [fold(c["text"]) for c in YAML(typ="safe", pure=True).load((paths.ROOT / "tests" / "bot" / "question_cases.yml").read_text(encoding="utf-8"))["cases"]]
    scored += [fold(q["text"]) for q in acceptance.read_jsonl(acceptance.DEFAULT_DIR / "questions.jsonl")]
    close = [(e, s) for examples in _phrasings().values() for e in examples for s in scored if fuzz.ratio(fold(e), s) > 80]
    assert not close, json.dumps(close[:5], ensure_ascii=False)


def test_it_ranks_topic_intents_only():
    names = [r["name"] for r in topic_classifier.ranking("mag ik na de bloedpatch zwaar tillen?")]
    assert names[0] == "ask_lifting"
    assert all(n.startswith("ask_") or n == "report_expected_side_effect" for n in names)


def test_mixed_averages_topics_and_keeps_rasas_share_of_the_rest():
    rasa = [{"name": "chitchat", "confidence": 0.6}, {"name": "ask_driving", "confidence": 0.4}]
    mixed = {r["name"]: r["confidence"] for r in topic_classifier.mixed(rasa, "mag ik na de bloedpatch zwaar tillen?")}
    assert abs(mixed["chitchat"] - 0.3) < 1e-9
    assert abs(sum(mixed.values()) - 1.0) < 1e-6
    assert max(mixed, key=mixed.get) == "ask_lifting"


def test_a_question_rasa_reads_as_another_topic_is_answered_on_its_own_topic():
    # Rasa unsure between driving and lying flat; the question is about lifting a grandchild
    rasa = [{"name": "ask_driving", "confidence": 0.35}, {"name": "ask_lying_flat", "confidence": 0.3}]
    reply = answering.respond(rasa, "mag ik mijn kleinkind van 10 kilo optillen in de week na de bloedpatch?", "bloedpatch")
    assert reply.sources and reply.sources[0]["section"] == knowledge.lookup("lifting", "bloedpatch").answer.section
