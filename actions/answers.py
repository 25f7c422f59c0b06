"""Aftercare answers from the leaflets."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import best_question_intent, current_procedure
from bot import answering, texts


def send_reply(dispatcher: CollectingDispatcher, reply: answering.Reply) -> List[Dict[Text, Any]]:
    for index, text in enumerate(reply.texts):
        last = index == len(reply.texts) - 1
        if last and reply.sources:
            dispatcher.utter_message(text=text, json_message={"sources": reply.sources})
        else:
            dispatcher.utter_message(text=text)
    return [SlotSet("procedure", reply.procedure), SlotSet("pending_topic", reply.pending_topic)]


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        pending = tracker.get_slot("pending_topic")
        if intent == "inform_procedure" and not pending and "?" in (tracker.latest_message.get("text") or ""):
            # A question that names the treatment ("mag ik blijven slapen na de proefplaatsing?")
            # looks like "I had <treatment>"; answer the question it most likely asks.
            intent = best_question_intent(tracker) or intent
        reply = answering.answer_intent(intent, current_procedure(tracker), pending)
        return send_reply(dispatcher, reply)


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send_reply(dispatcher, answering.out_of_scope(current_procedure(tracker)))


class ActionFallback(Action):
    """When no rule fits: say so honestly (Rasa's own default fallback would stay silent)."""

    def name(self) -> Text:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=texts.get("fallback"))
        return []
