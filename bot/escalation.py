"""The contact-immediately advice: the escalation object of the chat contract and its texts.

The advice follows each reason's contact route (data/triage/categories.yml): "bel nu 112" first,
then the suicide-prevention line, then the department now, then "vandaag nog". Texts are in the
patient's language (data/texts/<code>.yml): Dutch or English on their own, any other supported
language followed by the Dutch text, an unsupported one in English and Dutch.
"""
from typing import Dict, Iterable, List, Optional

from bot import contacts, texts
from bot.triage import categories

LEVEL = "contact_immediately"
DUTCH = "nl"


def ordered_reasons(reasons: Iterable[str]) -> List[str]:
    """Reasons in reply order (the most urgent advice first), without repeats."""
    return categories.ordered(reasons)


def escalation(reasons: Iterable[str], procedure: Optional[str]) -> Dict[str, object]:
    """``{"level", "reasons", "contact"}`` as the chat contract defines it; the contact is that of the
    most urgent route (112, 113/1813, the department, or who to call today)."""
    ordered = ordered_reasons(reasons)
    return {
        "level": LEVEL,
        "reasons": ordered,
        "contact": contacts.route_contact(categories.most_urgent_route(ordered), procedure).as_dict(),
    }


def reply_languages(language: Optional[str]) -> List[str]:
    """The languages of a safety text, in order: the patient's own (when it has texts), then Dutch."""
    from bot import language as languages

    code = language or DUTCH
    if code == DUTCH:
        return [DUTCH]
    if code in languages.supported():
        return [code] if code == "en" else [code, DUTCH]
    return ["en", DUTCH]


def phone_part(contact: contacts.Contact, language: str = DUTCH) -> str:
    """' via 088 ...' for the texts, or nothing when the contact (the patient's GP) has no number."""
    return texts.get("contact_immediately.phone_part", language, phone=contact.phone) if contact.phone else ""


def contact_name(contact: contacts.Contact, language: str, same_day: bool = False) -> str:
    """The contact's name in the patient's language (data/texts/<code>.yml `contact_names`), else as in contacts.yml."""
    if contact.procedure == "unknown":
        return texts.get("contact_immediately.unknown_who", language)
    key = f"contact_names.{contact.procedure}{'_same_day' if same_day else ''}"
    if language != DUTCH and texts.has(key, language):
        return texts.get(key, language)
    return contact.in_sentence or contact.name


def _messages(reasons: List[str], procedure: Optional[str], language: str) -> List[str]:
    routes = {r: categories.get(r).route for r in reasons}
    contact = contacts.contact_for(procedure)
    out: List[str] = []
    if "emergency" in routes.values():
        out.append(texts.get("advice.emergency", language))
    if "suicide" in routes.values():
        out.append(texts.get(f"advice.suicide.{contact.country}", language))
    rest = [r for r in reasons if routes[r] in ("department", "same_day")]
    if rest:
        names = [texts.get(f"reasons.{r}", language) for r in rest]
        intro = texts.get("contact_immediately.reasons_intro", language, reasons=", ".join(names))
        if any(routes[r] == "department" for r in rest):
            if contact.procedure == "unknown":
                advice = texts.get("contact_immediately.unknown", language)
            else:
                advice = texts.get("contact_immediately.known", language, name=contact_name(contact, language),
                                   phone_part=phone_part(contact, language), hours=contact.hours)
        else:
            today = contacts.same_day_contact(procedure)
            advice = texts.get("advice.same_day", language, name=contact_name(today, language, same_day=today.name != contact.name),
                               phone_part=phone_part(today, language), hours=today.hours)
        out.append(f"{intro} {advice}".strip())
        if contact.procedure == "unknown":
            out.append(texts.get("contact_immediately.ask_procedure", language))
    return out


def contact_messages(reasons: Iterable[str], procedure: Optional[str], language: Optional[str] = None) -> List[str]:
    """The first replies after an alarm: what to do now (most urgent first), then (procedure
    unknown, a department to call) which treatment it was."""
    ordered = ordered_reasons(reasons)
    out: List[str] = []
    for code in reply_languages(language):
        out += _messages(ordered, procedure, code)
    return out


def reminder(procedure: Optional[str], language: Optional[str] = None) -> str:
    """Shown with every later reply: an escalation is never taken back."""
    contact = contacts.contact_for(procedure)
    return " ".join(texts.get("reminder", code, name=contact_name(contact, code), phone_part=phone_part(contact, code))
                    for code in reply_languages(language))


def safety_net(procedure: Optional[str], language: Optional[str]) -> List[str]:
    """A message in a language the bot cannot answer: what to do now, in that language and Dutch."""
    contact = contacts.contact_for(procedure)
    out = []
    for code in reply_languages(language):
        out.append(texts.get("safety_net.text", code, name=contact_name(contact, code), phone_part=phone_part(contact, code)))
    return out


def answered_in_dutch(procedure: Optional[str], language: str) -> str:
    """Said before a Dutch answer to a question in another language: the answer is Dutch, and what to do about an alarm."""
    contact = contacts.contact_for(procedure)
    return texts.get("answers_in_dutch", language, name=contact_name(contact, language), phone_part=phone_part(contact, language))
