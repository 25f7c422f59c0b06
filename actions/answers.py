"""Aftercare answers from the leaflets: thin adapters around bot/answering.py `respond`."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import asks_somewhere, intent_ranking, resolution
from bot import answering, texts


def send_reply(dispatcher: CollectingDispatcher, reply: answering.Reply) -> List[Dict[Text, Any]]:
    for index, text in enumerate(reply.texts):
        last = index == len(reply.texts) - 1
        extra: Dict[str, Any] = {}
        if last and reply.sources:
            extra["json_message"] = {"sources": reply.sources}
        if last and reply.buttons:
            extra["buttons"] = reply.buttons
        dispatcher.utter_message(text=text, **extra)
    return [SlotSet("procedure", reply.procedure), SlotSet("pending_topic", reply.pending_topic)]


def _clicked(tracker: Tracker) -> bool:
    """The message is the command of a topic button (the chat service sends only offered ones)."""
    return (tracker.latest_message.get("text") or "").startswith("/")


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        pending = tracker.get_slot("pending_topic")
        text = tracker.latest_message.get("text") or ""
        res = resolution(tracker)
        if _clicked(tracker):
            return send_reply(dispatcher, answering.answer_intent(intent, res, pending))
        if intent.startswith("ask_") or intent in answering.EXTRA_TOPIC_INTENTS or (intent == "inform_procedure" and not pending and asks_somewhere(text)):
            # A question, also one that names the treatment ("mag ik blijven slapen na de
            # proefplaatsing?" looks like "I had <treatment>").
            return send_reply(dispatcher, answering.respond(intent_ranking(tracker), text, res))
        return send_reply(dispatcher, answering.answer_intent(intent, res, pending, text))


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        res = resolution(tracker)
        if asks_somewhere(text):
            # A question Rasa calls out of scope may still be one the leaflet answers in its own words.
            reply = answering.respond(intent_ranking(tracker), text, res, unsure=True)
            if reply.sources or reply.buttons or answering.absent_activity(text, res):
                return send_reply(dispatcher, reply)
        return send_reply(dispatcher, answering.out_of_scope(res))


class ActionClarify(Action):
    """Rasa is unsure (nlu_fallback): a clear topic is answered, close ones are offered as buttons,
    else the leaflet's paragraphs are searched; a rephrase request only when nothing fits at all."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        res = resolution(tracker)
        reply = answering.respond(intent_ranking(tracker), text, res, unsure=True)
        if not (reply.sources or reply.buttons or answering.absent_activity(text, res)) and not asks_somewhere(text):
            reply = answering.rephrase(res)
        return send_reply(dispatcher, reply)


class ActionInformContext(Action):
    """Background ("mijn orthopeed wil een MRI") is acknowledged; when the message also asks a
    question, that question is answered."""

    def name(self) -> Text:
        return "action_inform_context"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        res = resolution(tracker)
        if asks_somewhere(text):
            return send_reply(dispatcher, answering.respond(intent_ranking(tracker), text, res))
        dispatcher.utter_message(response="utter_inform_context")
        return [SlotSet("procedure", res.remembered)]


class ActionFallback(Action):
    """When no rule fits: say so honestly (Rasa's own default fallback would stay silent)."""

    def name(self) -> Text:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=texts.get("fallback"))
        return []
