"""Find alarm symptoms in one patient message and decide, per finding, whether it counts.

Each match of a lexicon (one per language, data/triage/lexicon/) becomes a Finding with a status:
  alarm         - a current symptom: escalate
  negated       - "geen koorts", "mijn been is niet doof", "no fever"
  hypothetical  - "wat als ik koorts krijg?", a general question with no report in it
  resolved      - "gisteren koorts gehad, nu weg"
  normal_temp   - a temperature reading below 38.0 °C (100.4 °F)
  normal_function - an explicit "ik kan mijn plas gewoon ophouden"
  not_patient   - a pet, a film, the room: "onze hond heeft koorts", "het is hier 38 graden"
  expected      - a harmless effect the leaflet of this treatment names
Every language's words are looked for in every message (a detector that guesses the language
wrong must not miss an alarm); each finding is judged by the context rules of its own language.
When a rule cannot tell, the finding stays an alarm: a missed alarm costs far more than a call.

Words that only touch a red-flag area ("mijn been voelt anders") become ``areas``: the bot asks.

Cost is linear in the length of the message: every rule looks at one window at a time (a sentence,
or a piece of at most ``WINDOW`` characters of a longer one), and the findings kept per kind are capped.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple

from bot import procedures
from bot.fuzzy import allowed_typos, edit_distance
from bot.triage import categories, lexicon, temperature
from bot.triage.lexicon import Profile
from bot.triage.textmap import FoldedText, fold

ALARM = "alarm"
UNCLEAR = "unclear"
# Readings of the message's own grammar that overrule another lexicon's alarm (not "expected":
# that is the lexicon's own knowledge of a treatment).
_CALM_IN_ANY_LANGUAGE = ("negated", "hypothetical", "resolved", "not_patient")
CAPPED = "capped"  # not judged: too many of one kind in one window (see _judge)
_WORD = re.compile(r"\w+")
# A "." or "," between two digits is a decimal ("38.7", "38,9"), not a boundary.
# Not ":": "Stel: ik word wakker met ..." is one thought.
_SENTENCE_END = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[!?;\n؟。！？])+|\s-\s")
WINDOW = 400  # characters: a longer sentence is read in overlapping pieces of this size
_OVERLAP = 120
_MAX_PER_KIND = 25  # findings kept per (category, status): enough to highlight, bounded for the store
_MAX_WORD = 40  # a "word" longer than this is no word any lexicon knows (no typo matching on it)
_RESOLVED_REACH = 240  # characters after the words read for "... is weg" (to the end of the next sentence, at most this)
_REACH = 160  # characters of a clause the context rules read on either side of the words
ALL_LEXICONS_CHARS = 4000  # every language's lexicon reads messages up to this long (see detect)
TOPIC_CHARS = 2000  # area words are read only in messages Rasa sees (a longer one is refused, not classified)
_MAX_JUDGED_LONG = 2  # ... in a body longer than ALL_LEXICONS_CHARS (refused unanswered: only its alarms matter)
_MAX_JUDGED = 4  # calm findings judged per category and window (see _judge)


@dataclass(frozen=True)
class Finding:
    category: str
    status: str
    start: int  # span in the original message
    end: int
    text: str
    language: str = "nl"

    @property
    def is_alarm(self) -> bool:
        return self.status == ALARM


@dataclass(frozen=True)
class TriageResult:
    procedure: str
    findings: Tuple[Finding, ...] = field(default_factory=tuple)
    areas: Tuple[Finding, ...] = field(default_factory=tuple)  # red-flag areas touched (status unclear, or calm)
    calm_topics: Tuple[Finding, ...] = field(default_factory=tuple)  # an area denied or asked about (no alarm)

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

    @property
    def unclear(self) -> List[str]:
        """Red-flag areas the message touches without saying enough, and no finding decided."""
        decided = {f.category for f in self.findings}
        seen: List[str] = []
        for f in self.areas:
            if f.status == UNCLEAR and f.category not in decided and f.category not in seen:
                seen.append(f.category)
        return seen


@dataclass(frozen=True)
class _Window:
    start: int  # the findings that start in [start, end) belong to this window
    end: int
    horizon: int  # end of the next window: "Gisteren koorts gehad. Nu is het weg."
    ctx_start: int  # the context rules read [ctx_start, ctx_end): a piece of a long sentence
    ctx_end: int  # also sees some words of its neighbours


def _windows(text: str) -> List[_Window]:
    """Sentences; a sentence longer than WINDOW in pieces, cut at a space (or a clause break) when one is near."""
    spans: List[Tuple[int, int, int, int]] = []  # start, end, sentence start, sentence end
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            spans.extend((s, e, pos, m.start()) for s, e in _pieces(text, pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.extend((s, e, pos, len(text)) for s, e in _pieces(text, pos, len(text)))
    if not spans:
        spans = [(0, len(text), 0, len(text))]
    return [
        _Window(s, e, spans[i + 1][1] if i + 1 < len(spans) else e, max(sent_start, s - _OVERLAP), min(sent_end, e + _OVERLAP))
        for i, (s, e, sent_start, sent_end) in enumerate(spans)
    ]


def _pieces(text: str, start: int, end: int) -> Iterator[Tuple[int, int]]:
    while end - start > WINDOW:
        cut = max(text.rfind(",", start + WINDOW - 120, start + WINDOW), text.rfind(" ", start + WINDOW - 60, start + WINDOW))
        cut = cut if cut > start else start + WINDOW
        yield start, cut
        start = cut
    yield start, end


def _segments(text: str, breaker: "re.Pattern[str]", start: int, end: int) -> List[Tuple[int, int]]:
    out, pos = [], start
    for m in breaker.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [(start, end)]


def _containing(segments: Sequence[Tuple[int, int]], pos: int) -> Tuple[int, int]:
    for seg in segments:
        if seg[0] <= pos < seg[1]:
            return seg
    return segments[-1]


def _cue_pattern(cues: Sequence[str]) -> Optional["re.Pattern[str]"]:
    words = [c.strip() for c in cues if c.strip()]
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")


class _Cues:
    """A profile's word lists as compiled alternations (one search per list, not one per word)."""

    def __init__(self, profile: Profile):
        self._profile = profile
        self._compiled: Dict[str, Optional["re.Pattern[str]"]] = {}
        self._automata: Dict[str, object] = {}

    def spans(self, name: str, text: str) -> "_CueSpans":
        """Where the list's words occur in ``text`` (see _CueSpans)."""
        if name not in self._automata:
            self._automata[name] = _word_automaton(self._profile.cue(name))
        return _CueSpans(self._automata[name], text)

    def has(self, name: str, text: str) -> bool:
        if name not in self._compiled:
            self._compiled[name] = _cue_pattern(self._profile.cue(name))
        pattern = self._compiled[name]
        return bool(pattern and pattern.search(text))

    def first(self, name: str, text: str) -> Optional["re.Match[str]"]:
        if name not in self._compiled:
            self._compiled[name] = _cue_pattern(self._profile.cue(name))
        pattern = self._compiled[name]
        return pattern.search(text) if pattern else None


def _word_automaton(cues: Sequence[str]):
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in (c.strip() for c in cues):
        if word:
            automaton.add_word(word, len(word))
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what the regular expressions' \w matches


class _CueSpans:
    """Every occurrence of a cue list's words in one message, overlapping ones too, so that "does a
    word of the list occur in text[s:e]" (what ``_Cues.has`` answers with a search of the slice) is
    a look-up: the context rules ask it for hundreds of clauses and sentences of one message.
    In a slice, a word counts when no word character touches it inside the slice: an occurrence
    whose neighbour in the message is a word character counts only where the slice ends there."""

    def __init__(self, automaton, text: str):
        inner: List[Tuple[int, int]] = []
        self._from: Dict[int, int] = {}  # start -> shortest end: words with a word character before them
        self._to: Dict[int, int] = {}  # end -> latest start: words with a word character after them
        self._exact: set = set()  # both
        if len(automaton):
            n = len(text)
            for last, length in automaton.iter(text):
                a, b = last + 1 - length, last + 1
                left, right = a == 0 or not _is_word(text[a - 1]), b == n or not _is_word(text[b])
                if left and right:
                    inner.append((a, b))
                elif right:
                    self._from[a] = min(self._from.get(a, b), b)
                elif left:
                    self._to[b] = max(self._to.get(b, a), a)
                else:
                    self._exact.add((a, b))
        inner.sort()
        self._starts = [a for a, _ in inner]
        self._min_end = [b for _, b in inner]  # the earliest end of the words starting here or later
        for i in range(len(inner) - 2, -1, -1):
            self._min_end[i] = min(self._min_end[i], self._min_end[i + 1])

    def within(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, start)
        if i < len(self._starts) and self._min_end[i] <= end:
            return True
        if self._from.get(start, end + 1) <= end or self._to.get(end, start - 1) >= start:
            return True
        return (start, end) in self._exact


_CUES: Dict[str, _Cues] = {}


def _cues(profile: Profile) -> _Cues:
    if profile.language not in _CUES or _CUES[profile.language]._profile is not profile:
        _CUES[profile.language] = _Cues(profile)
    return _CUES[profile.language]


def cue_present(profile: Profile, name: str, folded: str) -> bool:
    """Whether a word of the profile's cue list ``name`` occurs in a folded text (one compiled search)."""
    return _cues(profile).has(name, folded)


def _has_words(text: str, words: Sequence[str]) -> bool:
    pattern = _cue_pattern(words)
    return bool(pattern and pattern.search(text))


def _last_words(text: str, n: int) -> str:
    return " ".join(_WORD.findall(text)[-n:])


def _first_words(text: str, n: int) -> str:
    return " ".join(_WORD.findall(text)[:n])


class _Context:
    """The context rules of one language, for one window of one message."""

    def __init__(self, text: str, procedure: str, profile: Profile, window: _Window, expected_cache: Dict[Tuple[str, str], bool]):
        self.text = text
        self.procedure = procedure
        self.profile = profile
        self.cues = _cues(profile)
        self.regex = profile.regex
        self.window = window
        self._expected_cache = expected_cache
        key = ("clauses:" + profile.language, window.ctx_start)  # the same window is read again for another lexicon's words
        if key not in expected_cache:
            expected_cache[key] = _segments(text, profile.clause_break, window.ctx_start, window.ctx_end)  # type: ignore[assignment]
        self.clauses = expected_cache[key]
        self.sentence_text = text[window.ctx_start:window.ctx_end]
        self._question: Optional[bool] = None
        self._future: Optional[bool] = None

    def _in(self, name: str, start: int, end: int) -> bool:
        """Whether cue list ``name`` occurs in text[start:end] (the message's occurrences are found once)."""
        key = ("spans:" + self.profile.language, name)
        spans = self._expected_cache.get(key)
        if spans is None:
            spans = self._expected_cache[key] = self.cues.spans(name, self.text)  # type: ignore[assignment]
        return spans.within(max(0, start), max(0, end))  # type: ignore[union-attr]

    def _in_sentence(self, name: str) -> bool:
        return self._in(name, self.window.ctx_start, self.window.ctx_end)

    def status(self, category: str, start: int, end: int, other_alarms: Sequence[Tuple[int, int]], is_reading: bool = False,
               foreign: bool = False) -> str:
        """``foreign``: the words are another lexicon's, read here by the message's own grammar; then only
        cues that are present count (not "a question without first-person words": those are this language's)."""
        clause = _containing(self.clauses, start)
        self._end = end
        # the clause around the words, at most _REACH characters either side
        self._before = (max(clause[0], start - _REACH), start)
        before = self.text[self._before[0]:start]
        after = self.text[end:min(clause[1], end + _REACH)]
        sentence_text = self.sentence_text
        if self._negated(before, after, is_reading):
            return "negated"
        if self._in("not_patient", *clause) or (
            self._in("not_patient_weak", *clause) and not self._in("first_person", *clause)
        ) or self._someone_else():
            return "not_patient"
        if is_reading:
            # A measured temperature is a report, also inside a question ("is 38,9 erg?"),
            # unless it is a threshold: "vanaf 38 graden bellen?", "als ik boven 38,5 kom".
            # ("zweten als een otter" is a comparison, not a condition.)
            threshold = self.regex.get("threshold_before")
            tail = re.sub(r"\bals (een|de)\b", " ", _last_words(before, 6))
            if (threshold and threshold.search(before)) or self.cues.has("reading_hypothetical", tail):
                return "hypothetical"
            if self._general_question(sentence_text):
                return "hypothetical"  # "is 38 nu wel of geen koorts?"
        elif self._hypothetical(before, after, sentence_text, foreign):
            return "hypothetical"
        if self._resolved(end, other_alarms) or self._long_past(clause):
            return "resolved"
        if self._expected(category, start, end):
            return "expected"
        return ALARM

    def _someone_else(self) -> bool:
        """Symptoms of someone who is not the patient: a grandchild, a neighbour (unless the sentence
        names a treatment), or a partner or child with an illness of their own (a cold, the flu) and
        no treatment named; or the writer says the patient is themself. Not when the patient speaks
        of themself before the symptom ("daarna met mijn schoonzus ... en toen voelde ik ...")."""
        if self._in("first_person", *self._before):
            return False
        if self._in_sentence("other_person") and not self._in_sentence("writer_intro") and (
                not self._in_sentence("treatment_link") or self._in_sentence("own_illness")
                                                   or (self._in_sentence("past_tense") and not self._in_sentence("present"))
                                                   or self._message_has("self_comparison")):
            return True  # "mijn zus had na haar hernia-operatie een trombosebeen", "... kan dat bij mij ook?"
        if self._in_sentence("family"):
            theirs = self.regex.get("third_person_treatment")
            own_treatment = bool(theirs and theirs.search(self.sentence_text))
            if self._in_sentence("own_illness") and not own_treatment:
                return True  # "mijn dochter heeft de griep met koorts, mag ik haar verzorgen na mijn infiltratie?"
            if self._message_has("patient_is_writer") and not self._in_sentence("first_person"):
                return True
        return False

    def _message_has(self, name: str) -> bool:
        return self._in(name, 0, len(self.text))

    def _long_past(self, clause: Tuple[int, int]) -> bool:
        """"Vorig jaar na mijn eerste infiltratie had ik een dag koorts": told as long past, nothing now."""
        return (self._in_sentence("long_ago") and self._in("past_tense", *clause)
                and not self._in_sentence("present") and not self._in_sentence("still"))

    def _negated(self, before: str, after: str, is_reading: bool = False) -> bool:
        uncertain = self.regex.get("uncertain_before")
        if uncertain and uncertain.search(before):
            return False  # uncertainty is not a denial: "ik weet niet of ik koorts heb"
        phrase = self.regex.get("negation_phrase_before")
        if phrase and phrase.search(before):
            return True  # "ik heb niet het gevoel dat mijn been zwakker is"
        if self.cues.has("negation_before", _last_words(before, 4)):
            return True
        right_after = self.regex.get("negation_right_after")
        if right_after and right_after.match(after):
            return True  # "mijn voet sleept niet"
        for name in ("negation_dislocated", "negation_inverted"):
            rule = self.regex.get(name)
            if rule and not is_reading and rule.match(self.text, self._end, self.window.ctx_end):
                return True  # "Koorts, dat heb ik dus niet.", "Verlamd ben ik gelukkig niet"
        if self._answered_no():
            return True  # "Doof? Nee hoor, ik voel alles."
        words = _WORD.findall(after)
        tail = _first_words(after, 3)
        return bool(tail) and len(words) <= 4 and self.cues.has("negation_after", tail)

    def _hypothetical(self, before: str, after: str, sentence_text: str, foreign: bool = False) -> bool:
        if self._in("hypothetical", *self._before):
            return True
        if self._in("conditional", *self._before) and self._has_future():
            return True
        # "dat je verlamd kan raken", "dat je koorts kunt krijgen": a possibility, not a report
        possibility = self.regex.get("possibility_after")
        if possibility and possibility.match(after):
            return True
        if foreign or not self._general_question(sentence_text):
            return False
        # "is 38,9 erg?" reports a fever; "is 98.6 F a fever?" asks about a normal reading
        return not any(r.is_fever for r in temperature.readings(sentence_text))

    def _answered_no(self) -> bool:
        """A short question ("Doof?", "Koorts?") answered by a denial at the start of the next sentence."""
        if not self.profile.cue("answer_no"):
            return False
        if self.text[self.window.ctx_end:self.window.ctx_end + 1] != "?" or len(_WORD.findall(self.sentence_text)) > 3:
            return False
        return self.cues.has("answer_no", _first_words(self.text[self.window.ctx_end:self.window.horizon], 3))

    def _has_future(self) -> bool:
        if self._future is None:
            self._future = self._in_sentence("future")
        return self._future

    def _general_question(self, sentence_text: str) -> bool:
        """A question with nothing in it that reports on the patient ("ik heb", "mijn", "sinds")."""
        if self._question is None:
            following = self.text[self.window.ctx_end:self.window.ctx_end + 1]
            is_question = following in ("?", "؟", "？") or sentence_text.rstrip().endswith("?")
            self._question = is_question and not self._in_sentence("first_person_report")
        return self._question

    def _resolved(self, end: int, other_alarms: Sequence[Tuple[int, int]]) -> bool:
        # Look to the end of the next sentence: "Gisteren koorts gehad. Nu is het weg."
        rest = self.text[end:min(max(end, self.window.horizon), end + _RESOLVED_REACH)]
        state, copula = self.regex.get("resolved_state"), self.regex.get("resolved_copula")
        if state is not None:
            if copula is not None and _resolved_patterns(copula.pattern, state.pattern)[0].match(rest):
                return True  # "sinds gisteren is de koorts weg"
            if _resolved_patterns("", state.pattern)[1].match(rest):
                return True  # "koorts: weg" (not "ril over mijn lijf")
        match = self.cues.first("resolved", rest)
        if match is None:
            return False
        cue_at = end + match.start()
        if any(end <= s < cue_at for s, _ in other_alarms):
            return False  # the "weg" belongs to another symptom: "koorts en mijn kracht is weg"
        expectation = self.regex.get("expectation")
        if expectation and expectation.search(self.text[end:cue_at]):
            return False  # an expectation, not a fact: "zou na een paar uur weg zijn"
        if self._in("still", end, end + len(rest)):
            return False  # "was weg, maar nu is het erger"
        return True

    def _expected(self, category: str, start: int, end: int) -> bool:
        rule = (self.profile.cues.get("expected") or {}).get(self.procedure)
        if not rule or category not in rule["categories"]:
            return False
        if rule.get("finding_any") and not any(word in self.text[start:end] for word in rule["finding_any"]):
            return False  # the harmless effect is only the one the leaflet names (the stimulator's tingling)
        key = (self.profile.language, category)
        if key not in self._expected_cache:
            self._expected_cache[key] = _has_words(self.text, rule["when_any"]) and not _has_words(self.text, rule["unless_any"])
        return self._expected_cache[key]


@lru_cache(maxsize=64)
def _resolved_patterns(copula: str, state: str) -> Tuple["re.Pattern[str]", "re.Pattern[str]"]:
    return re.compile(rf"\W*{copula} {state}"), re.compile(rf"\W*{state}(?!\s+\w)")


class _Present:
    """Which of the lexicons' literals occur in the message: one Aho-Corasick pass over the text
    (pyahocorasick) instead of a substring search per literal."""

    def __init__(self, text: str):
        self.found = frozenset(literal for _, literal in _automaton().iter(text)) if text else frozenset()
        self.active: Dict[Tuple[int, str, bool], List[Tuple[str, "re.Pattern[str]"]]] = {}

    def any(self, literals: Optional[FrozenSet[str]]) -> bool:
        return literals is None or not literals.isdisjoint(self.found)


_AUTOMATON: List[object] = [None, None]  # [the lexicon profiles it was built from, the automaton]


def _automaton():
    profiles = lexicon.profiles()
    if _AUTOMATON[0] is not profiles:  # built once per set of lexicons (rebuilt when they are reloaded)
        _AUTOMATON[:] = [profiles, _build_automaton(profiles)]
    return _AUTOMATON[1]


def _build_automaton(profiles):
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for profile in profiles.values():
        for rule in profile.rules + profile.areas + profile.topics:
            for literals in rule.literals:
                for literal in literals or ():
                    automaton.add_word(literal, literal)
    automaton.make_automaton()
    return automaton


def _scan(rules, text: str, procedure: str, present: _Present, start: int = 0, end: Optional[int] = None,
          reassurance: bool = False) -> Iterator[Tuple[str, int, int]]:
    """Matches of the rules' patterns (or their reassurances) in text[start:end] (the whole text by default)."""
    end = len(text) if end is None else end
    for category, pattern in _active(rules, procedure, present, reassurance):
        for m in pattern.finditer(text, start, end):
            yield category, m.start(), m.end()


def _active(rules, procedure: str, present: _Present, reassurance: bool) -> List[Tuple[str, "re.Pattern[str]"]]:
    """The rules' patterns that can match this message (their literals occur in it), in rule order;
    worked out once per message, not once per window."""
    key = (id(rules), procedure, reassurance)
    found = present.active.get(key)
    if found is None:
        found = []
        for rule in rules:
            if not rule.applies_to(procedure):
                continue
            patterns = rule.reassurance if reassurance else rule.patterns
            literals = rule.literals[len(rule.patterns):] if reassurance else rule.literals[:len(rule.patterns)]
            found.extend((rule.category, pattern) for pattern, required in zip(patterns, literals) if present.any(required))
        present.active[key] = found
    return found


def _typos(rules, words: Sequence["re.Match[str]"], procedure: str, profile: Profile) -> Iterator[Tuple[str, int, int]]:
    """Words one or two typos away from a rule's `fuzzy` terms (each distinct word compared once)."""
    terms = [(rule.category, term, allowed_typos(term)) for rule in rules if rule.applies_to(procedure) for term in rule.fuzzy]
    terms = [t for t in terms if t[2]]
    if not terms:
        return
    verdicts: Dict[str, List[str]] = {}
    for word in words:
        token = word.group()
        if token not in verdicts:
            verdicts[token] = [] if token in profile.fuzzy_never or len(token) > _MAX_WORD else [
                category for category, term, limit in terms
                if token != term and abs(len(token) - len(term)) <= limit and edit_distance(token, term, limit) <= limit]
        for category in verdicts[token]:
            yield category, word.start(), word.end()


def is_general_question(text: str) -> bool:
    """A question with nothing in it that reports on the patient ("ik heb", "mijn", "sinds")."""
    from bot.phrasing import is_question

    folded = fold(text or "").text
    if not is_question(folded):
        return False
    return not any(_cues(p).has("first_person_report", folded) or _cues(p).has("first_person", folded)
                   for p in lexicon.profiles().values())


def is_aftercare_question(text: str) -> bool:
    """A message that opens as an aftercare question ("hoe lang ...", "mag ik ..."), in any language."""
    opening = " ".join(_WORD.findall(fold(text or "").text)[:3])
    return any(_cues(p).first("aftercare_question", opening) is not None and _cues(p).first("aftercare_question", opening).start() == 0
               for p in lexicon.profiles().values())


def is_hypothetical(text: str) -> bool:
    """Told as a possibility, in any language: "als ik te suf word van de morfine, wat moet mijn man
    dan doen?", "what if I ...". Used to veto a classifier's guess when no alarm words were found."""
    folded = fold(text or "").text
    for profile in lexicon.profiles().values():
        cues = _cues(profile)
        if cues.has("hypothetical", folded) or (cues.has("conditional", folded) and cues.has("future", folded)):
            return True
    return False


def detect(text: str, procedure: Optional[str] = None, language: Optional[str] = None) -> TriageResult:
    """Triage one message. ``procedure`` as given by the portal or conversation, if known;
    ``language``: the message's language if known (its rules judge temperature readings)."""
    folded = fold(text or "")
    proc = procedures.resolve(text or "", portal=procedure, for_answers=False).own or procedures.UNKNOWN
    profiles = lexicon.profiles()
    primary = profiles.get(language or "nl") or lexicon.dutch()
    body = folded.text
    if len(body) > ALL_LEXICONS_CHARS:
        # A message this long is refused unanswered (but triaged): Dutch, English and its own
        # language are read, not every lexicon, so that its cost stays bounded.
        profiles = {code: p for code, p in profiles.items() if code in ("nl", "en", primary.language)}
    windows = _windows(body)
    starts = [w.start for w in windows]
    judged_max = _MAX_JUDGED if len(body) <= ALL_LEXICONS_CHARS else _MAX_JUDGED_LONG
    present = _Present(body)
    words = list(_WORD.finditer(body))
    expected_cache: Dict[Tuple[str, str], bool] = {}
    best: Dict[Tuple[str, int, int, str], Tuple[int, str]] = {}  # (category, start, end, language) -> (margin, status)
    area_best: Dict[Tuple[str, int, int, str], Tuple[int, str]] = {}
    readings_seen: Dict[Tuple[int, int], Tuple[bool, str]] = {}  # reading span -> (is fever, status)

    def window_of(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    for profile in profiles.values():
        per_window: List[List[Tuple[str, int, int, Optional[bool]]]] = [[] for _ in windows]
        if len(body) > ALL_LEXICONS_CHARS:
            # A long body (refused unanswered, but triaged) is read a window at a time, each distinct
            # window once: a pasted or repeated text costs what its distinct sentences cost.
            seen_windows: Dict[str, List[Tuple[str, int, int]]] = {}
            for index, window in enumerate(windows):
                piece = body[window.start:window.end]
                if piece not in seen_windows:
                    seen_windows[piece] = [(c, s_ - window.start, e - window.start) for c, s_, e in _scan(
                        profile.rules, body, proc, present, window.start, window.end)]
                per_window[index] = [(c, s_ + window.start, e + window.start, None) for c, s_, e in seen_windows[piece]]
            for category, start, end in _typos(profile.rules, words, proc, profile):
                per_window[window_of(start)].append((category, start, end, None))
        else:
            for category, start, end in chain(_scan(profile.rules, body, proc, present), _typos(profile.rules, words, proc, profile)):
                per_window[window_of(start)].append((category, start, end, None))
        if profile is primary:
            for index, window in enumerate(windows):
                per_window[index] += [("fever", r.start, r.end, r.is_fever) for r in temperature.readings(
                    body[window.start:window.end], window.start, profile.cues, profile.regex.get("temperature_words"))]
        per_window = [sorted(set(c), key=lambda c: (c[1], -c[2])) for c in per_window]
        verdicts: Dict[Tuple[str, str, str], List[Tuple[str, int, int, Optional[bool], str]]] = {}
        for index, window in enumerate(windows):
            candidates = per_window[index]
            if not candidates:
                continue
            # A long repetitive message has many identical windows: judge each distinct one once.
            key = (body[window.ctx_start:window.ctx_end], body[window.start:window.end], body[window.end:window.horizon][:2 * WINDOW])
            shift = window.start
            if key not in verdicts:
                nearby = candidates + (per_window[index + 1] if index + 1 < len(windows) else [])
                verdicts[key] = [(c, s - shift, e - shift, f, st) for c, s, e, f, st in
                                 _judge(body, proc, profile, window, expected_cache, candidates, nearby,
                                        primary if language else None, judged_max)]
            else:
                shift = window.start
            for category, rel_start, rel_end, is_fever, status in verdicts[key]:
                start, end = rel_start + shift, rel_end + shift
                if status == CAPPED:
                    area_best[(category, start, end, profile.language)] = (0, UNCLEAR)
                elif is_fever is not None:
                    readings_seen[(start, end)] = (is_fever, status)
                else:
                    best[(category, start, end, profile.language)] = (0, status)
        for category, start, end in _scan(profile.rules, body, proc, present, reassurance=True):
            best.setdefault((category, start, end, profile.language), (0, "normal_function"))
        decided = {key[0] for key in best}  # an area with a finding is not unclear (TriageResult.unclear)
        read: Dict[Tuple[str, int], int] = {}
        for category, start, end in _scan(profile.areas, body, proc, present):
            index = window_of(start)
            if category in decided or read.get((category, index), 0) >= 2:
                continue
            read[(category, index)] = read.get((category, index), 0) + 1
            status = _Context(body, proc, profile, windows[index], expected_cache).status(category, start, end, [])
            area_best[(category, start, end, profile.language)] = (0, UNCLEAR if status == ALARM else status)

    _settle_earlier_readings(body, windows, window_of, primary, readings_seen)
    current_readings = []  # fever readings that are not negated / in the past
    for (start, end), (is_fever, status) in readings_seen.items():
        if status == ALARM:
            current_readings.append(is_fever)
            status = ALARM if is_fever else "normal_temp"
        best[("fever", start, end, primary.language)] = (0, status)

    findings = [_finding(folded, text, category, status, start, end, language)
                for (category, start, end, language), (_, status) in best.items()]
    # A reassurance only counts where no alarm of its category stands.
    alarm_categories = {f.category for f in findings if f.is_alarm}
    findings = [f for f in findings if f.status != "normal_function" or f.category not in alarm_categories]
    if current_readings and not any(current_readings):
        # "koorts? 37,4 gemeten": a normal reading overrules the word fever in the same message.
        findings = [Finding(f.category, "normal_temp", f.start, f.end, f.text, f.language) if f.category == "fever" and f.is_alarm else f
                    for f in findings]
    areas = [_finding(folded, text, category, status, start, end, language)
             for (category, start, end, language), (_, status) in area_best.items()]
    calm_topics: List[Finding] = []
    if not any(f.is_alarm for f in findings) and len(body) <= TOPIC_CHARS:
        calm_topics = _calm_topics(folded, text, proc, profiles, windows, window_of, present, expected_cache)
    return TriageResult(proc, tuple(_merge(findings)), tuple(_merge(areas)), tuple(calm_topics))


def _calm_topics(folded: FoldedText, text: str, proc: str, profiles, windows, window_of, present, expected_cache) -> List[Finding]:
    """Area words read in their context; only the calm readings (denied, asked about, past) are kept."""
    body = folded.text
    out: List[Finding] = []
    seen: Dict[Tuple[str, int], int] = {}
    for profile in profiles.values():
        for category, start, end in _scan(profile.topics, body, proc, present):
            index = window_of(start)
            if seen.get((category, index), 0) >= 2:
                continue  # two readings of an area per sentence are enough
            seen[(category, index)] = seen.get((category, index), 0) + 1
            status = _Context(body, proc, profile, windows[index], expected_cache).status(category, start, end, [])
            # Only a denial, a question or someone else: "het gevoel rond mijn aars is weg" is no resolution.
            if status in ("negated", "hypothetical", "not_patient"):
                out.append(_finding(folded, text, category, status, start, end, profile.language))
    return out


def _settle_earlier_readings(body: str, windows: List[_Window], window_of, profile: Profile,
                             readings: Dict[Tuple[int, int], Tuple[bool, str]]) -> None:
    """"Gisteren 38,2 maar vandaag de hele dag 36,9": a later normal reading told as now, after a
    raised one told as past, means the fever is over. (Not "38,3 nu, was 37,9 vanmiddag".)"""
    current = sorted(span for span, (_, status) in readings.items() if status == ALARM)
    if len(current) < 2 or readings[current[-1]][0]:
        return
    cues = _cues(profile)

    def clause_before(start: int) -> str:
        window = windows[window_of(start)]
        clause = _containing(_segments(body, profile.clause_break, window.ctx_start, window.ctx_end), start)
        return body[clause[0]:start]

    if not cues.has("present", clause_before(current[-1][0])):
        return
    for span in current[:-1]:
        if readings[span][0] and cues.has("past", clause_before(span[0])):
            readings[span] = (True, "resolved")


def _judge(body: str, proc: str, profile: Profile, window: _Window, expected_cache: Dict[Tuple[str, str], bool],
           candidates: List[Tuple[str, int, int, Optional[bool]]], nearby: List[Tuple[str, int, int, Optional[bool]]],
           primary: Optional[Profile] = None, judged_max: int = 4):
    """The status of each candidate of one window, at most _MAX_JUDGED of a category (temperature
    readings counted apart): more cannot change the decision, only the highlighting. When the cap
    is reached with no alarm of that category, the rest is marked CAPPED: the bot asks about it.
    A word of another language than the message's is also read by the message's own rules: "there's
    no pus" is English grammar around a word the Dutch lexicon knows."""
    ctx = _Context(body, proc, profile, window, expected_cache)
    own = _Context(body, proc, primary, window, expected_cache) if primary is not None and primary is not profile else None
    judged: Dict[Tuple[str, bool], int] = {}
    alarmed = set()
    out = []
    for category, start, end, is_fever in candidates:
        kind = (category, is_fever is not None)
        if judged.get(kind, 0) >= judged_max:
            if category not in alarmed:
                out.append((category, start, end, None, CAPPED))
                alarmed.add(category)  # one such mark is enough
            continue
        # Another symptom between a finding and "is weg" keeps it current; the same one does not.
        others = [(s, e) for c, s, e, _ in nearby if (s, e) != (start, end) and c != category][:judged_max * 4]
        status = ctx.status(category, start, end, others, is_reading=is_fever is not None)
        if status == ALARM and own is not None and is_fever is None:
            calm = own.status(category, start, end, others, foreign=True)
            status = calm if calm in _CALM_IN_ANY_LANGUAGE else status
        calmed_by = categories.get(category).calmed_by
        if calmed_by is not None and status != ALARM and status not in calmed_by:
            status = ALARM  # e.g. thoughts of ending one's life, told as a condition: still an alarm
        judged[kind] = judged.get(kind, 0) + 1
        if status == ALARM and is_fever is not False:
            alarmed.add(category)
        out.append((category, start, end, is_fever, status))
    return out


def _finding(folded: FoldedText, text: str, category: str, status: str, start: int, end: int, language: str) -> Finding:
    o_start, o_end = folded.span(start, end)
    return Finding(category, status, o_start, o_end, text[o_start:o_end], language)


def _merge(findings: List[Finding]) -> List[Finding]:
    """Drop findings inside a longer one of the same category and status; keep at most _MAX_PER_KIND of a kind."""
    kept: List[Finding] = []
    reach: Dict[Tuple[str, str], int] = {}
    count: Dict[Tuple[str, str], int] = {}
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        kind = (f.category, f.status)
        if f.end <= reach.get(kind, -1) or count.get(kind, 0) >= _MAX_PER_KIND:
            continue
        reach[kind] = max(reach.get(kind, -1), f.end)
        count[kind] = count.get(kind, 0) + 1
        kept.append(f)
    return kept
