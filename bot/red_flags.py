"""When unsure, ask: one direct red-flag question with ja/nee buttons.

A message that touches a red-flag area (strength or feeling in the legs, the saddle area, bladder
or bowel, temperature, the wound) where neither triage layer is sure gets the question of that
area (data/texts/<code>.yml `red_flag.questions`). "Ja" escalates at once; "nee" is remembered:
the same question is not asked again in that conversation.
"""
import re
import unicodedata
from typing import Dict, List, Optional, Sequence

from bot import texts
from bot.store import Question
from bot.triage import Decision, categories

YES, NO, OTHER = "yes", "no", "other"
_NOT_WORD = re.compile(r"[^\w\s]")


def _plain(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _language(language: Optional[str]) -> str:
    return language if language and texts.has("red_flag.questions", language) else texts.DUTCH


def answer_of(text: str, language: Optional[str]) -> Optional[str]:
    """YES or NO when the whole message is such an answer ("Ja", "nee hoor", "yes"), else None."""
    plain = _plain(text)
    for code in dict.fromkeys([_language(language), texts.DUTCH]):
        for answer in (YES, NO):
            if plain in {_plain(w) for w in texts.words(f"red_flag.answers.{answer}", code)}:
                return answer
    return None


def pending(questions: Sequence[Question]) -> Optional[Question]:
    """The question still waiting for its answer: the last one asked, if unanswered."""
    return questions[-1] if questions and questions[-1].answer is None else None


def choose(decision: Decision, asked: Sequence[Question]) -> Optional[str]:
    """The area to ask about: the most urgent one the message left unclear and not asked before."""
    before = {q.category for q in asked}
    # (only areas with a question in Dutch, the fallback language; tests/bot/test_texts.py checks them all)
    unclear = [c for c in categories.ordered(decision.unclear) if c not in before and texts.has(f"red_flag.questions.{c}")]
    return unclear[0] if unclear else None


def question(category: str, language: Optional[str]) -> Dict[str, object]:
    """The question's text and its two buttons; a click sends the button's text as the next message."""
    code = _language(language)
    buttons: List[Dict[str, str]] = [
        {"title": texts.get(f"red_flag.buttons.{answer}", code), "payload": texts.get(f"red_flag.buttons.{answer}", code)}
        for answer in (YES, NO)
    ]
    return {"text": texts.get(f"red_flag.questions.{category}", code), "buttons": buttons}


def after_no(contact_name: str, phone_part: str, language: Optional[str]) -> str:
    return texts.get("red_flag.no", _language(language), name=contact_name, phone_part=phone_part)
