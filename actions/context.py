"""What the actions need to know about the conversation."""
from typing import Optional

from rasa_sdk import Tracker

from bot import procedures


def current_procedure(tracker: Tracker) -> Optional[str]:
    """The treatment: named in this message, else sent by the portal, else remembered in the slot."""
    text = tracker.latest_message.get("text") or ""
    named = procedures.mentioned(text)
    if named:
        return named[0]
    metadata = tracker.latest_message.get("metadata") or {}
    return procedures.normalize(metadata.get("procedure")) or procedures.normalize(tracker.get_slot("procedure"))


def best_question_intent(tracker: Tracker, min_confidence: float = 0.1) -> Optional[str]:
    """The highest-ranked aftercare question intent (ask_*) for the latest message, if any."""
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = ranked.get("name") or ""
        if name.startswith("ask_") and (ranked.get("confidence") or 0) >= min_confidence:
            return name
    return None
