"""What the actions need to know about the conversation."""
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from bot import procedures
from bot.phrasing import asks_somewhere, is_question  # noqa: F401 (the actions' question tests live in bot/)


def resolution(tracker: Tracker) -> procedures.Resolution:
    """The treatment of the latest message (bot/procedures.py `resolve`, the one rule for the chat
    service, triage and the actions): the chat service sends the patient's treatment as metadata."""
    metadata = tracker.latest_message.get("metadata") or {}
    return procedures.resolve(tracker.latest_message.get("text") or "", portal=metadata.get("procedure"),
                              known=metadata.get("known") or tracker.get_slot("procedure"))


def current_procedure(tracker: Tracker) -> Optional[str]:
    """The treatment for triage and contacts: the patient's own, else the one the message points to."""
    return resolution(tracker).own


def intent_ranking(tracker: Tracker) -> List[Dict[str, Any]]:
    """Rasa's intent ranking for the latest message (or just its intent, when there is no ranking)."""
    latest = tracker.latest_message
    return latest.get("intent_ranking") or ([latest["intent"]] if latest.get("intent") else [])


def best_question_intent(tracker: Tracker, min_confidence: float = 0.1) -> Optional[str]:
    """The highest-ranked aftercare question intent (ask_*) for the latest message, if any."""
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = ranked.get("name") or ""
        if name.startswith("ask_") and (ranked.get("confidence") or 0) >= min_confidence:
            return name
    return None
