"""Checks on a patient's message before it is answered: unreadable characters and length.

A message refused here is still stored and triaged (ChatService.handle_refused): an alarm in it
must never be lost. Only the answer from Rasa is withheld, with a Dutch notice why.
"""
import unicodedata
from dataclasses import dataclass
from typing import Optional, Tuple

from bot import texts

# Line breaks and tabs are what a text box produces; every other control character is not.
_ALLOWED_CONTROLS = frozenset("\n\r\t")


@dataclass(frozen=True)
class Refusal:
    reason: str  # too_long | control_characters | rate_limited
    detail: str  # English, for developers
    notice: str  # Dutch, for the patient: why the message was not answered
    retry_after: Optional[int] = None  # seconds (rate_limited)


def sanitize(text: str) -> Tuple[str, bool]:
    """The text with C0/C1 control characters (other than line breaks and tabs) replaced by a
    space and lone surrogates by U+FFFD, and whether there were any.

    Such characters never come from the widget's text box: they mean a broken or hostile client,
    and NUL or a lone surrogate cannot even be stored (PostgreSQL and UTF-8 refuse them). Stripping
    them silently and answering would answer words the patient did not send that way, so the
    message is refused (422, the patient is asked to type it again); the sanitised copy is what
    is stored and triaged, because the words around the characters may still report an alarm.
    A space, not nothing, keeps "koorts\\x0b39" two words for the detector.
    """
    out = []
    found = False
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _ALLOWED_CONTROLS:
            out.append(" ")
            found = True
        elif category == "Cs":
            out.append("\ufffd")
            found = True
        else:
            out.append(ch)
    return ("".join(out), True) if found else (text, False)


def check(text: str, max_chars: int) -> Tuple[str, Optional[Refusal]]:
    """(the text to store, the refusal if it is not to be answered). The text is stripped and
    sanitised; it is empty when nothing readable is left (the caller refuses it, storing nothing)."""
    clean, had_controls = sanitize(text.strip())
    clean = clean.strip()
    if had_controls:
        return clean, Refusal("control_characters", "text contains control characters", texts.get("control_characters"))
    if len(clean) > max_chars:
        return clean, Refusal("too_long", f"text is longer than {max_chars} characters", texts.get("too_long", limit=max_chars))
    return clean, None
