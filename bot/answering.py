"""What the bot replies to an aftercare question: a leaflet answer, a question back, or an honest
"that is not in the leaflet" with the right phone number. Rasa actions call this."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from bot import contacts, escalation, knowledge, procedures, texts, topic_match

# Intents answered from the knowledge base: ask_<topic> for every topic in data/topics.yml, and
# a reported harmless effect, which is answered with the leaflet's expected side effects.
EXTRA_TOPIC_INTENTS = {"report_expected_side_effect": "expected_side_effects"}


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


def choose_topic(intent_ranking: List[dict], text: str, procedure: Optional[str], agreement_only: bool = False) -> Optional[str]:
    """The topic a question asks about: Rasa's ranking of ask_* intents plus the leaflets' words.

    ``agreement_only`` (Rasa was unsure): a topic only when both opinions name the same one, so a
    low-confidence message is answered only when it is not a guess.
    """
    nlu = {}
    for ranked in intent_ranking or []:
        topic = topic_for_intent(ranked.get("name") or "")
        if topic and topic not in nlu:
            nlu[topic] = ranked.get("confidence") or 0.0
    lexical = topic_match.rank(text, procedure)
    if agreement_only:
        best_nlu = max(nlu, key=nlu.get) if nlu else None
        return best_nlu if lexical and lexical[0][0] == best_nlu else None
    top = lexical[0][1] if lexical else 0.0
    scaled = {topic: score / top for topic, score in lexical} if top > 0 else {}
    candidates = set(nlu) | set(scaled)
    if not candidates:
        return None

    def score(topic: str) -> float:
        shared = scaled.get(topic, 0.0)
        return nlu.get(topic, 0.0) * (1.0 if shared > 0 else NO_SHARED_WORD) + LEXICAL_WEIGHT * shared

    return max(sorted(candidates), key=score)


@dataclass
class Reply:
    texts: List[str]
    sources: List[Dict[str, str]] = field(default_factory=list)
    procedure: Optional[str] = None  # the treatment, once known
    pending_topic: Optional[str] = None  # a question waiting for the treatment's name


def _not_in_leaflet(procedure: Optional[str]) -> str:
    contact = contacts.contact_for(procedure)
    if contact.procedure == procedures.UNKNOWN:
        return texts.get("answers.not_in_leaflet_unknown")
    return texts.get("answers.not_in_leaflet", name=contact.name, phone_part=escalation.phone_part(contact))


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
    labels = procedures.all_procedures()
    replies = [texts.get("answers.differs_per_procedure")]
    sources = []
    for key, answers in per_treatment:
        for a in answers:
            replies.append(texts.get("answers.for_procedure", label=labels[key].label, answer=a.reply))
            sources.append(a.source)
    replies.append(texts.get("answers.which_procedure"))
    return Reply(replies, sources, pending_topic=topic)


def answer_topic(topic: str, procedure: Optional[str], text: str = "") -> Reply:
    proc = procedures.normalize(procedure)
    found = knowledge.lookup(topic, proc)
    if found.answers:
        return Reply([a.reply for a in found.answers], [a.source for a in found.answers], proc or found.answer.procedure)
    overview = _overview(topic, found.choices) if found.needs_procedure else None
    if overview:
        return overview
    if found.needs_procedure and text:
        # A long topic, and the question's words fit one treatment's answer clearly best: answer for that treatment,
        # say so, and invite a correction. The guess is not remembered as the patient's treatment.
        assumed = topic_match.procedure_for_topic(text, topic, found.choices)
        if assumed:
            answers = knowledge.lookup(topic, assumed).answers
            note = texts.get("answers.assumed_procedure", label=procedures.all_procedures()[assumed].label)
            return Reply([note] + [a.reply for a in answers], [a.source for a in answers])
    if found.needs_procedure:
        labels = [procedures.all_procedures()[key].label for key in found.choices]
        options = ", ".join(labels[:-1]) + " of " + labels[-1]
        return Reply([texts.get("answers.ask_procedure", options=options)], procedure=proc, pending_topic=topic)
    return Reply([_not_in_leaflet(proc)], procedure=proc)


def answer_intent(intent: str, procedure: Optional[str], pending_topic: Optional[str] = None, text: str = "") -> Reply:
    """Reply to one classified patient message; ``inform_procedure`` answers a pending question."""
    if intent == "inform_procedure":
        proc = procedures.normalize(procedure)
        if pending_topic and proc:
            return answer_topic(pending_topic, proc)
        if proc:
            return Reply([texts.get("answers.procedure_noted", label=procedures.all_procedures()[proc].label)], procedure=proc)
        return Reply([texts.get("answers.ask_procedure", options=_all_labels())], pending_topic=pending_topic)
    topic = topic_for_intent(intent)
    if topic is None:
        return Reply([_not_in_leaflet(procedure)], procedure=procedures.normalize(procedure))
    return answer_topic(topic, procedure, text)


def out_of_scope(procedure: Optional[str]) -> Reply:
    contact = contacts.contact_for(procedure)
    reply = [texts.get("answers.out_of_scope")]
    if contact.phone:
        reply.append(texts.get("answers.out_of_scope_contact", name=contact.name, phone_part=escalation.phone_part(contact)))
    return Reply(reply, procedure=procedures.normalize(procedure))


def _all_labels() -> str:
    labels = [p.label for p in procedures.all_procedures().values()]
    return ", ".join(labels[:-1]) + " of " + labels[-1]
