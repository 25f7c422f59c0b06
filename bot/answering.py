"""What the bot replies to an aftercare question: a leaflet answer, the likely topics as buttons, a
leaflet paragraph, or an honest "that is not in the leaflet" with the right phone number. Rasa's
actions call ``respond``; the choice is made here, once.

The steps, in order:
1. an activity the patient's leaflet says nothing about (swimming, a sauna): say so, with the number;
2. the topics, scored by Rasa's intent ranking (averaged with bot/topic_classifier.py's) and the
   leaflets' words (``rank_topics``): one clear topic is answered; two or three close ones are
   offered as buttons ("Bedoelt u: ..."), unless the question asks what a rare leaflet word means
   ("Wat betekent ...?"): then the paragraph that uses it;
3. no topic fits: the best paragraph of the leaflet, when it clearly matches (bot/retrieval.py);
4. else: "daarover staat niets in de folder", with the department's number.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple, Union

from bot import buttons, contacts, escalation, knowledge, paths, procedures, retrieval, texts, topic_match, yamldata
from bot.normalize import fold
from bot.procedures import Resolution

# Intents answered from the knowledge base: ask_<topic> for every topic in data/topics.yml, and
# a reported harmless effect, which is answered with the leaflet's expected side effects.
EXTRA_TOPIC_INTENTS = {"report_expected_side_effect": "expected_side_effects"}
OTHER_TOPIC = "choose_other_topic"  # the "iets anders" button: answered by the chat service, not sent to Rasa
OTHER_TOPIC_COMMAND = f"/{OTHER_TOPIC}"


def topic_for_intent(intent: str) -> Optional[str]:
    if intent in EXTRA_TOPIC_INTENTS:
        return EXTRA_TOPIC_INTENTS[intent]
    topic = intent[len("ask_"):] if intent.startswith("ask_") else None
    return topic if topic in knowledge.topic_list() else None


# How much the leaflet-vocabulary score (bot/topic_match.py, scaled to 0..1) adds to Rasa's
# confidence, and how much of Rasa's confidence is left for a topic that shares no word with the
# question (broad intents such as ask_alarm_symptoms attract unrelated questions). Chosen on the
# project's own question set, tests/bot/question_cases.yml.
LEXICAL_WEIGHT = 0.3
NO_SHARED_WORD = 0.5
# When one topic is clear, when close topics are offered, and when no topic fits (chosen on the
# project's own question set and the first blind question batch; checked on the second).
ANSWER_MIN = 0.3  # the best topic's score for an answer
CLEAR_RATIO = 0.85  # ... and the second topic scores below this share of it
OFFER_MIN = 0.25  # below this no topic fits: paragraph retrieval
OFFER_SHARE = 0.6  # topics offered: those within this share of the best
OFFER_MAX = 3
UNSURE_EXTRA = 0.0  # Rasa unsure (nlu_fallback): the best topic needs this much more


def rank_topics(intent_ranking: List[dict], text: str, procedure: Optional[str]) -> List[Tuple[str, float]]:
    """Topics by combined score (Rasa's confidence and the leaflets' words), best first."""
    nlu = _nlu(intent_ranking)
    lexical = topic_match.rank(text, procedure)
    top = lexical[0][1] if lexical else 0.0
    scaled = {topic: score / top for topic, score in lexical} if top > 0 else {}

    def score(topic: str) -> float:
        shared = scaled.get(topic, 0.0)
        return nlu.get(topic, 0.0) * (1.0 if shared > 0 else NO_SHARED_WORD) + LEXICAL_WEIGHT * shared

    scores = {t: score(t) for t in set(nlu) | set(scaled)}
    for rule in _separations(text):
        losers = [t for t in rule["over"] if t in scores]
        if rule["prefer"] in scores and losers:
            # the preferred topic takes the best score of the two; the others fall clearly behind it
            scores[rule["prefer"]] = max(scores[rule["prefer"]], max(scores[t] for t in losers))
            for t in losers:
                scores[t] = min(scores[t], SEPARATION_SHARE * scores[rule["prefer"]])
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


SEPARATION_SHARE = 0.6


@lru_cache(maxsize=1)
def _separation_rules() -> Tuple[dict, ...]:
    raw = yamldata.load(paths.DATA / "topics.yml").get("separations") or []
    return tuple({"when": tuple(fold(w) for w in r["when"]), "prefer": r["prefer"], "over": tuple(r["over"])} for r in raw)


def _separations(text: str) -> List[dict]:
    folded = fold(text)
    return [r for r in _separation_rules() if any(procedures.whole_word(w).search(folded) for w in r["when"])]


def choose_topic(intent_ranking: List[dict], text: str, procedure: Optional[str], agreement_only: bool = False) -> Optional[str]:
    """The best topic (``agreement_only``: only when Rasa's best and the leaflets' words agree)."""
    if agreement_only:
        nlu = [topic_for_intent(r.get("name") or "") for r in intent_ranking or []]
        best_nlu = next((t for t in nlu if t), None)
        lexical = topic_match.rank(text, procedure)
        return best_nlu if lexical and lexical[0][0] == best_nlu else None
    ranked = rank_topics(intent_ranking, text, procedure)
    return ranked[0][0] if ranked else None


@dataclass
class Reply:
    texts: List[str]
    sources: List[Dict[str, str]] = field(default_factory=list)
    procedure: Optional[str] = None  # the treatment, once known
    pending_topic: Optional[str] = None  # a question waiting for the treatment's name
    buttons: List[Dict[str, str]] = field(default_factory=list)  # on the last text: topics offered


def _resolution(procedure: Union[None, str, Resolution]) -> Resolution:
    if isinstance(procedure, Resolution):
        return procedure
    key = procedures.normalize(procedure)
    return Resolution(key, key, "portal") if key else Resolution(None)


def _label(key: str) -> str:
    return procedures.all_procedures()[key].label


def _contact_line(procedure: Optional[str]) -> str:
    contact = contacts.contact_for(procedure)
    return escalation.contact_name(contact, texts.DUTCH) + escalation.phone_part(contact)


def not_in_leaflet(procedure: Union[None, str, Resolution], activity: Optional[str] = None) -> Reply:
    res = _resolution(procedure)
    key = res.own
    if key is None:
        text = texts.get("answers.not_in_leaflet_unknown") if not activity else texts.get("answers.activity_not_in_leaflets", activity=activity)
        return Reply([text])
    contact = contacts.contact_for(key)
    name, phone = escalation.contact_name(contact, texts.DUTCH), escalation.phone_part(contact)
    if activity:
        return Reply([texts.get("answers.activity_not_in_leaflet", activity=activity, label=_label(key), name=name, phone_part=phone)],
                     procedure=res.remembered)
    return Reply([texts.get("answers.not_in_leaflet", label=_label(key), name=name, phone_part=phone)], procedure=res.remembered)


# Treatment unknown and the answer differs per treatment: the bot gives each treatment's answer under
# its name, one message each, then asks which treatment it was. Nothing is guessed (a wrong guess could
# mean wrong advice on blood thinners or lifting), and the patient need not write again. Only a topic
# too long for that (risks: about 1,500 characters over four treatments) falls back to a clear guess
# from the question's words, or to asking first. Limit chosen on tests/bot/question_cases.yml.
OVERVIEW_MAX_CHARS = 1200


def _overview(topic: str, choices) -> Optional[Reply]:
    per_treatment = [(key, knowledge.lookup(topic, key).answers) for key in choices]
    if sum(len(a.text) for _, answers in per_treatment for a in answers) > OVERVIEW_MAX_CHARS:
        return None
    replies = [texts.get("answers.differs_per_procedure")]
    sources = []
    for key, answers in per_treatment:
        for a in answers:
            replies.append(texts.get("answers.for_procedure", label=_label(key), answer=a.reply))
            sources.append(a.source)
    replies.append(texts.get("answers.which_procedure"))
    return Reply(replies, sources, pending_topic=topic)


def _notes(res: Resolution) -> List[str]:
    """What the reply must say first: another treatment than the patient's, or an assumed one."""
    if res.other_than_patient:
        return [texts.get("answers.other_procedure", label=_label(res.key), own=_label(res.patient))]
    if res.assumed and res.key:
        return [texts.get("answers.assumed_procedure", label=_label(res.key))]
    return []


def _parts(found: Sequence[knowledge.Answer]) -> List[str]:
    """One message per leaflet; two leaflets with different figures are said to be two."""
    replies = [a.reply for a in found]
    if len(found) > 1 and any(a.figures_differ for a in found):
        replies.append(texts.get("answers.two_leaflets"))
    return replies


# Answers on when and whom to call also give the route outside office hours. That route is the
# hospital's policy (data/contacts.yml `hours_source`), not leaflet text, so it is its own message.
OUT_OF_HOURS_TOPICS = ("alarm_symptoms", "contact")


def _out_of_hours(procedure: Optional[str]) -> str:
    return texts.get("answers.out_of_hours", hours=contacts.contact_for(procedure).hours)


def answer_topic(topic: str, procedure: Union[None, str, Resolution], text: str = "") -> Reply:
    res = _resolution(procedure)
    found = knowledge.lookup(topic, res.key)
    if found.answers:
        extra = [_out_of_hours(found.answer.procedure)] if topic in OUT_OF_HOURS_TOPICS else []
        sources = [a.source for a in found.answers]
        detail = _detail(text, res, found.answers) if text else None
        if detail:
            extra = [detail.texts[-1]] + extra
            sources += [s for s in detail.sources if s not in sources]
        return Reply(_notes(res) + _parts(found.answers) + extra, sources, res.remembered or found.answer.procedure)
    if res.key:
        # The treatment is known and its leaflet has no answer on this topic: look in its paragraphs first.
        passage = _passage(text, res) if text else None
        return passage or not_in_leaflet(res)
    overview = _overview(topic, found.choices) if found.needs_procedure else None
    if overview:
        return overview
    if found.needs_procedure and text:
        # A long topic, and the question's words fit one treatment's answer clearly best: answer for that treatment,
        # say so, and invite a correction. The guess is not remembered as the patient's treatment.
        assumed = topic_match.procedure_for_topic(text, topic, found.choices)
        if assumed:
            answers = knowledge.lookup(topic, assumed).answers
            note = texts.get("answers.assumed_procedure", label=_label(assumed))
            return Reply([note] + _parts(answers), [a.source for a in answers])
    if found.needs_procedure:
        labels = [_label(key) for key in found.choices]
        options = ", ".join(labels[:-1]) + " of " + labels[-1]
        return Reply([texts.get("answers.ask_procedure", options=options)], pending_topic=topic)
    return not_in_leaflet(res)


DETAIL_CANDIDATES = 4  # the best passages looked at for a detail the answer leaves out ...
DETAIL_SHARE = 0.6  # ... scoring at least this share of the best one


def _detail(text: str, res: Resolution, answers: Sequence[knowledge.Answer], clear_only: bool = False) -> Optional[Reply]:
    """The topic's answer leaves out what the question is specifically about ("operatiehemdje",
    "uitslaapkamer"), and one leaflet paragraph clearly holds it: that paragraph too, as its own message."""
    if not res.key:
        return None
    leaflets = procedures.all_procedures()[res.key].leaflets
    best = retrieval.best(text, leaflets) if clear_only else None
    hits = ([best] if best else []) if clear_only else retrieval.search(text, leaflets)
    said = retrieval.words_of(" ".join(a.text for a in answers))
    # of the best passages, the one with most of the specific words the answer leaves out
    candidates = [h for h in hits[:DETAIL_CANDIDATES] if h.score >= max(retrieval.MIN_SCORE, DETAIL_SHARE * hits[0].score)]
    literal = retrieval.words_of(text)  # the question's own words count twice, the lay words' translations once
    missing = [(sum((2 if w in literal else 1) for w in h.matched if w not in said and retrieval.rare(w, leaflets)), h) for h in candidates]
    count, hit = max(missing, key=lambda item: item[0], default=(0, None))
    # instead of asking between close topics, only for a word of the question itself, not a translation
    enough = 2 if clear_only else 1
    return _passage(text, res, hit) if hit and count >= enough else None


def _passage(text: str, res: Resolution, hit: Optional[retrieval.Hit] = None) -> Optional[Reply]:
    leaflets = procedures.all_procedures()[res.key].leaflets if res.key else [l for p in procedures.all_procedures().values() for l in p.leaflets]
    hit = hit or retrieval.best(text, leaflets)
    if hit is None:
        return None
    doc = knowledge.leaflets()[hit.passage.leaflet]
    section = hit.passage.section or doc["title"]
    source = {"leaflet": hit.passage.leaflet, "section": section}
    body = texts.get("answers.passage", text=hit.passage.text)
    reply = f"{body}\n{texts.get('source_line', title=doc['title'], section=section)}"
    notes = _notes(res)
    if res.key is None:
        notes = [texts.get("answers.assumed_procedure", label=_label(doc["procedure"]))]
    return Reply(notes + [reply], [source], res.remembered)


def _term_answer(text: str, res: Resolution) -> Optional[Reply]:
    """"Wat betekent ischias?": the passage that uses the word, from the patient's leaflet(s), else from
    the leaflet that alone uses it (said at the start of the reply)."""
    every = procedures.all_procedures()
    if res.key:
        hit = retrieval.term_passage(text, every[res.key].leaflets)
        return _passage(text, res, hit) if hit else None
    for key, proc in every.items():
        hit = retrieval.term_passage(text, proc.leaflets)
        others = [other.leaflets for other_key, other in every.items() if other_key != key]
        # only a word that no other treatment's leaflet uses tells the treatment ("denervatie" is everywhere in one)
        if hit and any(not any(retrieval.used_by(w, leaflets) for leaflets in others) for w in retrieval.term_words(hit, proc.leaflets)):
            return _passage(text, res, hit)
    return None


# ----- activities a leaflet says nothing about -----

@lru_cache(maxsize=1)
def _activities() -> Dict[str, Tuple[str, ...]]:
    raw = yamldata.load(paths.DATA / "topics.yml").get("uncovered_activities") or {}
    return {label: tuple(fold(w) for w in words) for label, words in raw.items()}


def absent_activity(text: str, res: Resolution, asking_only: bool = False) -> Optional[str]:
    """The activity the question asks about when the patient's leaflet(s) never mention it.
    ``asking_only``: in the sentences that ask ("Wanneer heeft fysio zin? Ik wil weer hardlopen."
    asks about physiotherapy; "Mijn schoonmoeder zweert bij acupunctuur. Helpt dat?" about acupuncture)."""
    asking = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.rstrip().endswith("?")] if asking_only else []
    folded = fold(" ".join(asking) if asking else text)
    keys = [res.key] if res.key else list(procedures.all_procedures())
    for label, words in _activities().items():
        asked = [w for w in words if procedures.whole_word(w).search(folded)]
        if not asked:
            continue
        in_leaflet = any(procedures.whole_word(w).search(fold(_leaflet_text(key))) for key in keys for w in words)
        if not in_leaflet:
            return label
    return None


@lru_cache(maxsize=8)
def _leaflet_text(key: str) -> str:
    from bot import leaflets

    return " ".join(leaflets.leaflet_text(leaflet) for leaflet in procedures.all_procedures()[key].leaflets)


# ----- the one decision -----

def _topic_label(topic: str) -> str:
    return texts.get(f"topic_labels.{topic}") if texts.has(f"topic_labels.{topic}") else topic.replace("_", " ")


def _answerable(topic: str, res: Resolution) -> bool:
    found = knowledge.lookup(topic, res.key)
    return bool(found.answers or found.choices)


def offer(topics: Sequence[str], res: Resolution) -> Reply:
    """The likely topics as buttons ("Bedoelt u: ...") plus "iets anders"; a click answers the topic."""
    choices = [(_topic_label(t), f"/ask_{t}") for t in topics] + [(texts.get("answers.offer_other"), OTHER_TOPIC_COMMAND)]
    return Reply([texts.get("answers.offer")], procedure=res.remembered, buttons=buttons.make(choices))


def rephrase(procedure: Union[None, str, Resolution]) -> Reply:
    """Ask the patient to say it differently, with an example for their own treatment."""
    res = _resolution(procedure)
    key = res.own
    example = texts.get(f"answers.rephrase_example.{key}") if key else texts.get("answers.rephrase_example.unknown")
    reply = [texts.get("answers.rephrase", example=example)]
    if key and contacts.contact_for(key).phone:
        reply.append(texts.get("answers.out_of_scope_contact", name=_contact_line(key), phone_part=""))
    return Reply(reply, procedure=res.remembered)


@lru_cache(maxsize=1)
def _stand_ins() -> Dict[str, Tuple[str, ...]]:
    return {k: tuple(v) for k, v in (yamldata.load(paths.DATA / "topics.yml").get("stand_ins") or {}).items()}


BESIDE_NLU = 0.5  # Rasa's confidence in a topic that outweighs an activity named beside the question
NLU_SUPPORT = 0.05  # Rasa's confidence in a topic that counts as support
LEXICAL_CLEAR = 4.5  # BM25 score of the topic's words (bot/topic_match.py) that settles it alone ...
LEXICAL_CLEAR_RATIO = 0.7  # ... when the next topic scores below this share of it


def _nlu(intent_ranking: List[dict]) -> Dict[str, float]:
    found: Dict[str, float] = {}
    for ranked in intent_ranking or []:
        topic = topic_for_intent(ranked.get("name") or "")
        if topic and topic not in found:
            found[topic] = ranked.get("confidence") or 0.0
    return found


def _lexically_clear(text: str, procedure: Optional[str], topic: str) -> bool:
    lexical = topic_match.rank(text, procedure)
    if not lexical or lexical[0][0] != topic or lexical[0][1] < LEXICAL_CLEAR:
        return False
    return len(lexical) < 2 or lexical[1][1] < LEXICAL_CLEAR_RATIO * lexical[0][1]


def _clear(ranked: Sequence[Tuple[str, float]]) -> bool:
    score = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return score >= ANSWER_MIN and second < CLEAR_RATIO * score


def respond(intent_ranking: List[dict], text: str, procedure: Union[None, str, Resolution], unsure: bool = False) -> Reply:
    """The reply to an aftercare question (see the module's docstring for the steps).
    ``unsure``: Rasa's classifier fell back (nlu_fallback): a topic is answered only when clear."""
    res = _resolution(procedure)
    from bot import glossary, language, topic_classifier

    intent_ranking = topic_classifier.mixed(intent_ranking, text)  # Rasa's topics with the answers' own classifier
    text = glossary.with_dutch(text, language.detect(text).code)
    activity = absent_activity(text, res, asking_only=True)
    if activity:
        return not_in_leaflet(res, activity)
    # An activity named only beside the question: it wins unless a topic is clearly asked about.
    beside = absent_activity(text, res)
    ranked_all = rank_topics(intent_ranking, text, res.key)
    if beside and not (_clear(ranked_all) and _nlu(intent_ranking).get(ranked_all[0][0], 0.0) >= BESIDE_NLU):
        return not_in_leaflet(res, beside)
    ranked = [(t, s) for t, s in ranked_all if _answerable(t, res)]
    if ranked_all and ranked_all[0] not in ranked and _clear(ranked_all):
        # The question is clearly about a topic this treatment's leaflet does not answer (work after
        # a root infiltration): a neighbouring topic that stands in, its paragraphs, else say so;
        # not just the next topic that it does answer.
        stand_in = next((t for t in _stand_ins().get(ranked_all[0][0], ()) if _answerable(t, res)), None)
        if stand_in:
            return answer_topic(stand_in, res, text)
        return _passage(text, res) or not_in_leaflet(res)
    if ranked:
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        # Rasa's classifier must see the topic too, or the leaflets' words must point to it clearly:
        # one shared word ("ziekenhuis") is no reason to answer.
        supported = _nlu(intent_ranking).get(best, 0.0) >= NLU_SUPPORT or _lexically_clear(text, res.key, best)
        if score >= ANSWER_MIN and second < CLEAR_RATIO * score and supported and not (unsure and score < ANSWER_MIN + UNSURE_EXTRA):
            return answer_topic(best, res, text)
        if score >= OFFER_MIN:
            close = [t for t, s in ranked[:OFFER_MAX] if s >= OFFER_SHARE * score]
            if len(close) == 1:
                # one candidate: answered when supported; else only a paragraph or an honest "not in the leaflet"
                return answer_topic(best, res, text) if supported else (_term_answer(text, res) or _passage(text, res) or not_in_leaflet(res))
            # Close topics: a paragraph that holds what the question is specifically about, else ask.
            answers = [a for t in close for a in knowledge.lookup(t, res.key).answers]
            return (_detail(text, res, answers, clear_only=True) if res.key else None) or _term_answer(text, res) or offer(close, res)
    return _term_answer(text, res) or _passage(text, res) or not_in_leaflet(res)


def answer_intent(intent: str, procedure: Union[None, str, Resolution], pending_topic: Optional[str] = None, text: str = "") -> Reply:
    """Reply to one classified patient message; ``inform_procedure`` answers a pending question."""
    res = _resolution(procedure)
    if intent == "inform_procedure":
        if pending_topic and res.key:
            return answer_topic(pending_topic, res)
        if res.key:
            return Reply([texts.get("answers.procedure_noted", label=_label(res.key))], procedure=res.remembered or res.key)
        return Reply([texts.get("answers.ask_procedure", options=_all_labels())], pending_topic=pending_topic)
    if intent == OTHER_TOPIC:
        return rephrase(res)
    topic = topic_for_intent(intent)
    if topic is None:
        return not_in_leaflet(res)
    return answer_topic(topic, res, text)


def out_of_scope(procedure: Union[None, str, Resolution]) -> Reply:
    res = _resolution(procedure)
    contact = contacts.contact_for(res.own)
    reply = [texts.get("answers.out_of_scope")]
    if contact.phone:
        reply.append(texts.get("answers.out_of_scope_contact", name=escalation.contact_name(contact, texts.DUTCH), phone_part=escalation.phone_part(contact)))
    return Reply(reply, procedure=res.remembered)


def _all_labels() -> str:
    labels = [p.label for p in procedures.all_procedures().values()]
    return ", ".join(labels[:-1]) + " of " + labels[-1]
