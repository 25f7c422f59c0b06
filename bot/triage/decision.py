"""Combine the two triage layers: the red-flag detector and Rasa's NLU alarm intent.

Either layer escalates on its own, with one exception: when the detector saw the alarm words
and judged every one of them calm (negated, hypothetical, resolved, a normal temperature, or an
effect the leaflet calls harmless), its reading of the context beats the classifier's guess.
When the detector saw nothing, the NLU intent stands: it catches phrasings the lexicon lacks.
"""
from dataclasses import dataclass
from typing import List, Optional

from bot.triage.detector import TriageResult, detect

@dataclass(frozen=True)
class Decision:
    detector: TriageResult
    nlu_category: Optional[str]
    reasons: List[str]
    nlu_vetoed: bool

    @property
    def escalate(self) -> bool:
        return bool(self.reasons)


def decide(text: str, procedure: Optional[str], nlu_category: Optional[str] = None) -> Decision:
    found = detect(text, procedure)
    reasons = list(found.categories)
    vetoed = False
    if nlu_category and nlu_category not in reasons:
        calm_context = bool(found.findings) and not found.escalate
        # Infection signs are the stimulator trial's alarms; with the treatment unknown, only the
        # detector's explicit signs (pus, a red swollen wound) count, not the classifier's guess.
        wrong_procedure = nlu_category == "infection_signs" and found.procedure != "ruggenmergstimulatie"
        if calm_context or wrong_procedure:
            vetoed = True
        else:
            reasons.append(nlu_category)
    return Decision(found, nlu_category, reasons, vetoed)
