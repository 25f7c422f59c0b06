"""Buttons under the bot's last reply: one shape for the red-flag question's ja/nee and for the
topics offered when the bot is unsure ("Bedoelt u: ..."). The widget shows ``title`` and, on a click,
sends ``payload`` as the patient's next message.

For a topic offer the action gives Rasa's command as the payload ("/ask_lifting"); the chat service
shows the patient the title instead, remembers which command each title stands for (``offer``), and
sends Rasa the command only when the next message is one of the titles offered. Anything else the
patient types reaches Rasa as text.
"""
from typing import Dict, List, Optional, Sequence, Tuple

from bot.normalize import fold


def make(choices: Sequence[Tuple[str, str]]) -> List[Dict[str, str]]:
    """``[(title, payload), ...]`` as the contract's buttons."""
    return [{"title": title, "payload": payload} for title, payload in choices]


def for_patient(rasa_buttons: Sequence[Dict[str, str]]) -> Tuple[List[Dict[str, str]], Dict[str, str]]:
    """Rasa's buttons as the widget gets them (the title is also what a click sends), and the
    offer to remember: folded title -> Rasa command."""
    shown = make([(b["title"], b["title"]) for b in rasa_buttons if b.get("title") and b.get("payload")])
    offer = {fold(b["title"]): b["payload"] for b in rasa_buttons if b.get("title") and b.get("payload")}
    return shown, offer


def chosen(offer: Optional[Dict[str, str]], text: str) -> Optional[str]:
    """The command of the offered title the patient clicked (or typed), else None."""
    if not offer:
        return None
    return offer.get(" ".join(fold(text).split()))
