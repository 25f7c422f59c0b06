"""Aftercare answers from the leaflets."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import current_procedure, intent_ranking, is_question
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
        text = tracker.latest_message.get("text") or ""
        procedure = current_procedure(tracker)
        if intent.startswith("ask_") or (intent == "inform_procedure" and not pending and is_question(text)):
            # A question, also one that names the treatment ("mag ik blijven slapen na de
            # proefplaatsing?" looks like "I had <treatment>"): Rasa's ranking and the leaflets' words.
            topic = answering.choose_topic(intent_ranking(tracker), text, procedure)
            intent = f"ask_{topic}" if topic else intent
        reply = answering.answer_intent(intent, procedure, pending, text)
        return send_reply(dispatcher, reply)


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send_reply(dispatcher, answering.out_of_scope(current_procedure(tracker)))


class ActionClarify(Action):
    """Rasa is unsure (nlu_fallback): answer only when the leaflets' words point to the same topic
    as Rasa's best guess; otherwise ask the patient to say it differently."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        procedure = current_procedure(tracker)
        topic = answering.choose_topic(intent_ranking(tracker), text, procedure, agreement_only=True)
        if topic is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        return send_reply(dispatcher, answering.answer_topic(topic, procedure, text))


class ActionInformContext(Action):
    """Background ("mijn orthopeed wil een MRI") is acknowledged; when the message also asks a
    question, that question is answered."""

    def name(self) -> Text:
        return "action_inform_context"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        procedure = current_procedure(tracker)
        topic = None
        if "?" in text:
            topic = answering.choose_topic(intent_ranking(tracker), text, procedure)
        if topic is None:
            dispatcher.utter_message(response="utter_inform_context")
            return [SlotSet("procedure", procedure)]
        return send_reply(dispatcher, answering.answer_topic(topic, procedure, text))


class ActionFallback(Action):
    """When no rule fits: say so honestly (Rasa's own default fallback would stay silent)."""

    def name(self) -> Text:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=texts.get("fallback"))
        return []
