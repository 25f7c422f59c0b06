"""Whether a patient's message is put as a question (also without a question mark)."""
import re
from typing import List, Set

# A question without "?": an interrogative first, or a verb first followed by its subject ("mag ik",
# "is het"). A verb first without a subject is chat-style statement: "kan gewoon plassen".
_QUESTION_WORDS = {"wat", "wanneer", "hoe", "hoelang", "hoeveel", "waarom", "welke", "welk", "wie", "waar", "waarvoor", "hoezo",
                   "what", "when", "how", "why", "which", "who", "where"}
_QUESTION_VERBS = {"mag", "moet", "kan", "kun", "is", "zijn", "heb", "ben", "krijg", "zal", "word", "wordt", "gaat", "ga", "blijft",
                   "can", "should", "do", "does", "is", "are", "will", "may", "must", "could", "would"}
_SUBJECTS = {"ik", "je", "u", "het", "dat", "dit", "er", "ze", "men", "we", "de", "mijn", "i", "you", "it", "this", "that", "my", "we", "there"}


def _opens_as_question(words: List[str], subjects: Set[str]) -> bool:
    return bool(words) and (words[0] in _QUESTION_WORDS or (words[0] in _QUESTION_VERBS and len(words) > 1 and words[1] in subjects))


def is_question(text: str) -> bool:
    return "?" in text or _opens_as_question(text.strip().lower().split(), _SUBJECTS)


_CLAUSE = re.compile(r"[.!,;:\n]+|\s(?:en|maar|want|of|dus|and|but|so)\s")
_MORE_SUBJECTS = {"hij", "zij", "jij", "ge", "gij", "hem", "mn", "m'n", "he", "she", "they"}


def asks_somewhere(text: str) -> bool:
    """A question anywhere in the message, also dictated or typed without "?": a clause put as a
    question ("mijn vader is geopereerd, mag hij autorijden"), or an interrogative with the verb
    before its subject ("de dokter had het over X wat zijn dat"; "wat hij zei" is no question).
    For the answers only: the triage keeps ``is_question``, whose narrower reading it was measured with."""
    if is_question(text):
        return True
    lowered = text.lower()
    subjects = _SUBJECTS | _MORE_SUBJECTS
    if any(_opens_as_question(clause.split(), subjects) for clause in _CLAUSE.split(lowered)):
        return True
    words = re.findall(r"[a-z']+", lowered)
    for i, word in enumerate(words):
        # "hoe lang mag hij", "welke pijnstillers mag ik": an interrogative, one to three words, then the subject
        if word in _QUESTION_WORDS and any(w in subjects for w in words[i + 2:i + 4]) and words[i + 1] not in subjects:
            return True
        # "ik ben geopereerd mag ik ...": after a participle that closes a clause, a verb before its subject
        if (word in _QUESTION_VERBS and i + 1 < len(words) and words[i + 1] in subjects and i > 0
                and words[i - 1].startswith("ge") and words[i - 1][-1] in "ndt" and len(words[i - 1]) > 5):
            return True
    return False
