"""Combine the two triage layers: the red-flag detector and Rasa's NLU alarm intent.

Either layer escalates on its own, with one exception: when the detector saw the alarm words
and judged every one of them calm (negated, hypothetical, resolved, a normal temperature, or an
effect the leaflet calls harmless), its reading of the context beats the classifier's guess.
When the detector saw nothing, the NLU intent stands: it catches phrasings the lexicon lacks.
"""
from dataclasses import dataclass
from typing import Iterable, List, Optional

from bot.triage import lexicon
from bot.triage.detector import TriageResult, cue_present, detect, is_aftercare_question, is_general_question, is_hypothetical
from bot.triage.textmap import fold

@dataclass(frozen=True)
class Decision:
    detector: TriageResult
    nlu_category: Optional[str]
    reasons: List[str]
    nlu_vetoed: bool

    @property
    def escalate(self) -> bool:
        return bool(self.reasons)

    @property
    def unclear(self) -> List[str]:
        """Red-flag areas the message touched without either layer being sure (the bot asks)."""
        return [] if self.escalate else list(self.detector.unclear)

    @property
    def watch(self) -> List[str]:
        """Harmless effects to keep an eye on in later messages ("expected" findings)."""
        return sorted({f.category for f in self.detector.findings if f.status == "expected"})


def _persists(text: str) -> bool:
    folded = fold(text).text
    return any(cue_present(profile, "still", folded) for profile in lexicon.profiles().values())


# Below this confidence the classifier is not sure either: when the detector found the message
# vague in that very area, the bot asks its red-flag question instead (bot/red_flags.py).
UNSURE_NLU_CONFIDENCE = 0.8


def decide(text: str, procedure: Optional[str], nlu_category: Optional[str] = None, watching: Iterable[str] = (),
           language: Optional[str] = None, nlu_confidence: Optional[float] = None) -> Decision:
    """``watching``: categories of harmless effects reported earlier in this conversation;
    ``language``: the message's language, when known; ``nlu_confidence``: the classifier's."""
    found = detect(text, procedure, language)
    reasons = list(found.categories)
    # "Vandaag is het nog altijd zo en het wordt erger": an expected effect that did not pass.
    if watching and _persists(text):
        reasons += [c for c in watching if c not in reasons]
    vetoed = False
    if nlu_category and nlu_category not in reasons:
        calm_context = bool(found.findings or found.calm_topics) and not found.escalate
        # Infection signs are the stimulator trial's alarms; with the treatment unknown, only the
        # detector's explicit signs (pus, a red swollen wound) count, not the classifier's guess.
        wrong_procedure = nlu_category == "infection_signs" and found.procedure != "ruggenmergstimulatie"
        # "Hoe groot wordt de snee?": a general question, no symptom words the detector knows.
        question_only = not found.findings and (is_general_question(text) or is_aftercare_question(text))
        # "Als ik te suf word van de morfine, wat moet mijn man dan doen?": no alarm words, told as a possibility.
        hypothetical_only = not found.findings and is_hypothetical(text)
        # "Mijn benen voelen zwaar": vague in the area the classifier guesses, and the classifier unsure.
        both_unsure = (not found.escalate and nlu_category in found.unclear and nlu_confidence is not None
                       and nlu_confidence < UNSURE_NLU_CONFIDENCE)
        if calm_context or wrong_procedure or question_only or hypothetical_only or both_unsure:
            vetoed = True
        else:
            reasons.append(nlu_category)
    return Decision(found, nlu_category, reasons, vetoed)
