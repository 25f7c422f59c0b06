"""The contact-immediately advice: the escalation object of the chat contract and its texts."""
from typing import Dict, Iterable, List, Optional

from bot import contacts, texts

LEVEL = "contact_immediately"
# Order in which reasons are listed: the most urgent (cauda equina signs) first.
REASON_ORDER = ["saddle_anaesthesia", "bladder_bowel", "neuro_deficit", "fever", "infection_signs"]


def ordered_reasons(reasons: Iterable[str]) -> List[str]:
    unique = set(reasons)
    return [r for r in REASON_ORDER if r in unique] + sorted(unique - set(REASON_ORDER))


def escalation(reasons: Iterable[str], procedure: Optional[str]) -> Dict[str, object]:
    """``{"level", "reasons", "contact"}`` as the chat contract defines it."""
    return {
        "level": LEVEL,
        "reasons": ordered_reasons(reasons),
        "contact": contacts.contact_for(procedure).as_dict(),
    }


def phone_part(contact: contacts.Contact) -> str:
    """' via 088 ...' for the texts, or nothing when the contact (the patient's GP) has no number."""
    return texts.get("contact_immediately.phone_part", phone=contact.phone) if contact.phone else ""


def contact_messages(reasons: Iterable[str], procedure: Optional[str]) -> List[str]:
    """The first replies after an alarm: what to do now, then (procedure unknown) which treatment."""
    contact = contacts.contact_for(procedure)
    names = [texts.get(f"reasons.{r}") for r in ordered_reasons(reasons)]
    intro = texts.get("contact_immediately.reasons_intro", reasons=", ".join(names)) if names else ""
    if contact.procedure == "unknown":
        advice = texts.get("contact_immediately.unknown")
        return [f"{intro} {advice}".strip(), texts.get("contact_immediately.ask_procedure")]
    advice = texts.get(
        "contact_immediately.known", name=contact.name, phone_part=phone_part(contact), hours=contact.hours
    )
    return [f"{intro} {advice}".strip()]


def reminder(procedure: Optional[str]) -> str:
    """Shown with every later reply: an escalation is never taken back."""
    contact = contacts.contact_for(procedure)
    return texts.get("reminder", name=contact.name, phone_part=phone_part(contact))
