"""Find alarm symptoms in one patient message and decide, per finding, whether it counts.

Each match of the lexicon becomes a Finding with a status:
  alarm         - a current symptom: escalate
  negated       - "geen koorts", "mijn been is niet doof"
  hypothetical  - "wat als ik koorts krijg?", a general question with no report in it
  resolved      - "gisteren koorts gehad, nu weg"
  normal_temp   - a temperature reading below 38.0 °C
  normal_function - an explicit "ik kan mijn plas gewoon ophouden"
  not_patient   - a pet, a film, the room: "onze hond heeft koorts", "het is hier 38 graden"
  expected      - a harmless effect the leaflet of this treatment names
When a rule cannot tell, the finding stays an alarm: a missed alarm costs far more than a call.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from bot import procedures
from bot.triage import lexicon, temperature
from bot.fuzzy import allowed_typos, edit_distance
from bot.triage.textmap import FoldedText, fold

ALARM = "alarm"
_WORD = re.compile(r"\w+")
# A "." or "," between two digits is a decimal ("38.7", "38,9"), not a boundary.
_SENTENCE_END = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[!?;:\n])+|\s-\s")
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|\bmaar\b|\bwant\b|\balleen\b|\bechter\b|\bdus\b")
_FUZZY_NEVER = {"voorts", "poorts", "koorden", "gevoelig"}


@dataclass(frozen=True)
class Finding:
    category: str
    status: str
    start: int  # span in the original message
    end: int
    text: str

    @property
    def is_alarm(self) -> bool:
        return self.status == ALARM


@dataclass(frozen=True)
class TriageResult:
    procedure: str
    findings: Tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def escalate(self) -> bool:
        return any(f.is_alarm for f in self.findings)

    @property
    def categories(self) -> List[str]:
        seen: List[str] = []
        for f in self.findings:
            if f.is_alarm and f.category not in seen:
                seen.append(f.category)
        return seen

    @property
    def alarms(self) -> List[Finding]:
        return [f for f in self.findings if f.is_alarm]


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int


def _segments(text: str, breaker: "re.Pattern[str]", start: int = 0, end: Optional[int] = None) -> List[_Segment]:
    end = len(text) if end is None else end
    out, pos = [], start
    for m in breaker.finditer(text, start, end):
        if m.start() > pos:
            out.append(_Segment(pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append(_Segment(pos, end))
    return out or [_Segment(start, end)]


def _containing(segments: Sequence[_Segment], pos: int) -> _Segment:
    for seg in segments:
        if seg.start <= pos < seg.end:
            return seg
    return segments[-1]


def _has_cue(text: str, cues: Sequence[str]) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(cue.strip()) + r"(?!\w)", text) for cue in cues)


def _last_words(text: str, n: int) -> str:
    return " ".join(_WORD.findall(text)[-n:])


def _first_words(text: str, n: int) -> str:
    return " ".join(_WORD.findall(text)[:n])


def _reassurances(folded: str, procedure: str) -> List[Tuple[str, int, int]]:
    """Statements of normal function; they become calm findings (and can veto an NLU guess)."""
    return [
        (rule.category, m.start(), m.end())
        for rule in lexicon.rules()
        if rule.applies_to(procedure)
        for pattern in rule.reassurance
        for m in pattern.finditer(folded)
    ]


def _candidates(folded: str, procedure: str) -> List[Tuple[str, int, int]]:
    found: List[Tuple[str, int, int]] = []
    for rule in lexicon.rules():
        if not rule.applies_to(procedure):
            continue
        for pattern in rule.patterns:
            found.extend((rule.category, m.start(), m.end()) for m in pattern.finditer(folded))
        for word in _WORD.finditer(folded):
            token = word.group()
            if token in _FUZZY_NEVER:
                continue
            for term in rule.fuzzy:
                limit = allowed_typos(term)
                if limit and token != term and edit_distance(token, term, limit) <= limit:
                    found.append((rule.category, word.start(), word.end()))
    return found


class _Context:
    """Context rules for one message (folded text and its sentences/clauses)."""

    def __init__(self, text: FoldedText, procedure: str):
        self.text = text.text
        self.procedure = procedure
        self.cues = lexicon.context()
        self.sentences = _segments(self.text, _SENTENCE_END)

    def status(self, category: str, start: int, end: int, other_alarms: Sequence[Tuple[int, int]], is_reading: bool = False) -> str:
        sentence = _containing(self.sentences, start)
        clauses = _segments(self.text, _CLAUSE_BREAK, sentence.start, sentence.end)
        clause = _containing(clauses, start)
        before = self.text[clause.start:start]
        after = self.text[end:clause.end]
        sentence_text = self.text[sentence.start:sentence.end]
        if self._negated(before, after):
            return "negated"
        clause_text = self.text[clause.start:clause.end]
        if _has_cue(clause_text, self.cues["not_patient"]) or (
            _has_cue(clause_text, self.cues["not_patient_weak"]) and not _has_cue(clause_text, ["ik", "me", "mij"])
        ):
            return "not_patient"
        if is_reading:
            # A measured temperature is a report, also inside a question ("is 38,9 erg?"),
            # unless it is a threshold: "vanaf 38 graden bellen?", "als ik boven 38,5 kom".
            if re.search(r"\b(als|vanaf|boven|hoger dan|meer dan|bij|indien|wanneer)( de)?\s*$", before) or _has_cue(
                before, ["stel", "als", "indien", "mocht", "zou", "wat als"]
            ):
                return "hypothetical"
            if self._general_question(sentence, sentence_text):
                return "hypothetical"  # "is 38 nu wel of geen koorts?"
        elif self._hypothetical(before, after, sentence, sentence_text):
            return "hypothetical"
        if self._resolved(before, end, sentence, other_alarms):
            return "resolved"
        if self._expected(category):
            return "expected"
        return ALARM

    def _negated(self, before: str, after: str) -> bool:
        if re.search(r"\b(weet|twijfel|denk|vraag)\w*\b.*\bniet\b|\bniet zeker\b", before):
            return False  # uncertainty is not a denial: "ik weet niet of ik koorts heb"
        if re.search(r"\b(niet|nie|geen)\b (echt |het |de )*(gevoel|idee|indruk) dat\b|\bgeen (enkele )?reden\b|\b(denk|geloof) (ik )?(niet|nie) dat\b", before):
            return True  # "ik heb niet het gevoel dat mijn been zwakker is"
        if _has_cue(_last_words(before, 4), self.cues["negation_before"]):
            return True
        words = _WORD.findall(after)
        if words and words[0] in ("niet", "nie") and words[1:2] != ["meer"]:
            return True  # "mijn voet sleept niet"
        tail = _first_words(after, 3)
        return bool(tail) and len(words) <= 4 and _has_cue(tail, self.cues["negation_after"])

    def _hypothetical(self, before: str, after: str, sentence: _Segment, sentence_text: str) -> bool:
        if _has_cue(before, self.cues["hypothetical"]):
            return True
        if _has_cue(before, self.cues["conditional"]) and _has_cue(sentence_text, self.cues["future"]):
            return True
        # "dat je verlamd kan raken", "dat je koorts kunt krijgen": a possibility, not a report
        if re.match(r"\W*(kan|kunt|kunnen|zou|zouden|zal|zullen)\b(\W+\w+)?\W+(raken|worden|krijgen|ontstaan|optreden|gebeuren)\b", after):
            return True
        if not self._general_question(sentence, sentence_text):
            return False
        return not temperature.readings(sentence_text)

    def _general_question(self, sentence: _Segment, sentence_text: str) -> bool:
        """A question with nothing in it that reports on the patient ("ik heb", "mijn", "sinds")."""
        is_question = self.text[sentence.end: sentence.end + 1] == "?" or sentence_text.rstrip().endswith("?")
        return is_question and not _has_cue(sentence_text, self.cues["first_person_report"])

    def _resolved(self, before: str, end: int, sentence: _Segment, other_alarms: Sequence[Tuple[int, int]]) -> bool:
        # Look to the end of the next sentence: "Gisteren koorts gehad. Nu is het weg."
        index = self.sentences.index(sentence)
        horizon = self.sentences[min(index + 1, len(self.sentences) - 1)].end
        rest = self.text[end:horizon]
        state = r"(nu |weer |al |alweer |helemaal |inmiddels )?(weg|over|voorbij|verdwenen|gezakt)\b"
        if re.match(rf"\W*(is|zijn|was|waren) {state}", rest) or re.match(rf"\W*{state}(?!\s+\w)", rest):
            return True  # "sinds gisteren is de koorts weg", "koorts: weg" (not "ril over mijn lijf")
        match = None
        for cue in self.cues["resolved"]:
            m = re.search(r"(?<!\w)" + re.escape(cue) + r"(?!\w)", rest)
            if m and (match is None or m.start() < match.start()):
                match = m
        if match is None:
            return False
        cue_at = end + match.start()
        if any(end <= s < cue_at for s, _ in other_alarms):
            return False  # the "weg" belongs to another symptom: "koorts en mijn kracht is weg"
        if re.search(r"\b(zou|zouden|zal|zullen|moet|moest|moesten|hoort|hoorde)\b", self.text[end:cue_at]):
            return False  # an expectation, not a fact: "zou na een paar uur weg zijn"
        if _has_cue(rest, self.cues["still"]):
            return False  # "was weg, maar nu is het erger"
        return True

    def _expected(self, category: str) -> bool:
        rule = (self.cues.get("expected") or {}).get(self.procedure)
        if not rule or category not in rule["categories"]:
            return False
        return _has_cue(self.text, rule["when_any"]) and not _has_cue(self.text, rule["unless_any"])


def _fever_from_readings(ctx: _Context, folded: FoldedText) -> List[Tuple[str, int, int, Optional[bool]]]:
    """Temperature readings as fever candidates; is_fever decides between alarm and normal."""
    out = []
    for sentence in ctx.sentences:
        for reading in temperature.readings(folded.text[sentence.start:sentence.end], sentence.start):
            out.append(("fever", reading.start, reading.end, reading.is_fever))
    return out


def is_general_question(text: str) -> bool:
    """A question with nothing in it that reports on the patient ("ik heb", "mijn", "sinds")."""
    folded = fold(text or "").text
    return "?" in folded and not _has_cue(folded, lexicon.context()["first_person_report"]) and not _has_cue(folded, ["ik", "me", "mij"])


def detect(text: str, procedure: Optional[str] = None) -> TriageResult:
    """Triage one message. ``procedure`` as given by the portal or conversation, if known."""
    folded = fold(text or "")
    proc = procedures.normalize(procedure) or next(iter(procedures.mentioned(text or "")), None) or procedures.hinted(text or "") or procedures.UNKNOWN
    ctx = _Context(folded, proc)
    lexical = [(c, s, e, None) for c, s, e in _candidates(folded.text, proc)]
    readings = _fever_from_readings(ctx, folded)
    candidates = sorted(set(lexical + readings), key=lambda c: (c[1], -c[2]))

    current_readings = []  # fever readings that are not negated / in the past
    findings: List[Finding] = []
    for category, start, end, is_fever in candidates:
        # Another symptom between a finding and "is weg" keeps it current; the same one does not.
        others = [(s, e) for c, s, e, _ in candidates if (s, e) != (start, end) and c != category]
        status = ctx.status(category, start, end, others, is_reading=is_fever is not None)
        if is_fever is not None and status == ALARM:
            current_readings.append(is_fever)
            if not is_fever:
                status = "normal_temp"
        o_start, o_end = folded.span(start, end)
        findings.append(Finding(category, status, o_start, o_end, text[o_start:o_end]))

    for category, start, end in _reassurances(folded.text, proc):
        if not any(f.category == category and f.is_alarm for f in findings):
            o_start, o_end = folded.span(start, end)
            findings.append(Finding(category, "normal_function", o_start, o_end, text[o_start:o_end]))

    if current_readings and not any(current_readings):
        # "koorts? 37,4 gemeten": a normal reading overrules the word fever in the same message.
        findings = [
            Finding(f.category, "normal_temp", f.start, f.end, f.text) if f.category == "fever" and f.is_alarm else f
            for f in findings
        ]
    return TriageResult(proc, tuple(_merge(findings)))


def _merge(findings: List[Finding]) -> List[Finding]:
    """Drop findings inside a longer one of the same category and status."""
    kept: List[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if any(k.category == f.category and k.status == f.status and k.start <= f.start and f.end <= k.end for k in kept):
            continue
        kept.append(f)
    return kept
