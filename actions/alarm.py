"""The contact-immediately flow for alarm intents recognised by Rasa NLU."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import send_reply
from actions.context import asks_somewhere, best_question_intent, intent_ranking, resolution
from bot import answering, escalation, language, triage
from bot.triage import categories


class ActionContactImmediately(Action):
    def name(self) -> Text:
        return "action_contact_immediately"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence")
        return contact_or_answer(dispatcher, tracker, intent, confidence)


def contact_or_answer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, confidence: Optional[float]) -> List[Dict[Text, Any]]:
    """An alarm intent: triage decides (bot/triage), and either the contact-immediately advice or,
    when it is not an alarm after all, the answer to the question it most likely asks."""
    res = resolution(tracker)
    procedure = res.own
    text = tracker.latest_message.get("text") or ""
    decision = triage.decide(text, procedure, categories.by_intent().get(intent), language=language.detect(text).code,
                             nlu_confidence=confidence)
    if not decision.escalate:
        # Not an alarm after all (negated, past, harmless, or a general question): answer the
        # question it most likely asks, else explain when to call.
        text = tracker.latest_message.get("text") or ""
        ranking = intent_ranking(tracker)
        if asks_somewhere(text):
            return send_reply(dispatcher, answering.respond(ranking, text, res))
        # a statement ("geen koorts meer"): an aftercare topic only if Rasa saw one
        question = best_question_intent(tracker)
        topic = answering.topic_for_intent(question) if question else None
        return send_reply(dispatcher, answering.answer_topic(topic or "alarm_symptoms", res, text))

    all_reasons = escalation.ordered_reasons(list(tracker.get_slot("alarm_reasons") or []) + decision.reasons)
    messages = escalation.contact_messages(decision.reasons, procedure)
    for text in messages[:-1]:
        dispatcher.utter_message(text=text)
    payload = {
        "escalation": escalation.escalation(all_reasons, procedure),
        "alarm_spans": [
            {"category": f.category, "start": f.start, "end": f.end, "text": f.text} for f in decision.detector.alarms
        ],
    }
    dispatcher.utter_message(text=messages[-1], json_message=payload)
    return [SlotSet("escalated", True), SlotSet("alarm_reasons", all_reasons), SlotSet("procedure", res.remembered)]
