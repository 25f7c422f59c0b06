"""Whether a patient's message is put as a question (also without a question mark)."""

# A question without "?": an interrogative first, or a verb first followed by its subject ("mag ik",
# "is het"). A verb first without a subject is chat-style statement: "kan gewoon plassen".
_QUESTION_WORDS = {"wat", "wanneer", "hoe", "hoelang", "hoeveel", "waarom", "welke", "welk", "wie", "waar", "waarvoor", "hoezo",
                   "what", "when", "how", "why", "which", "who", "where"}
_QUESTION_VERBS = {"mag", "moet", "kan", "kun", "is", "zijn", "heb", "ben", "krijg", "zal", "word", "wordt", "gaat", "ga", "blijft",
                   "can", "should", "do", "does", "is", "are", "will", "may", "must", "could", "would"}
_SUBJECTS = {"ik", "je", "u", "het", "dat", "dit", "er", "ze", "men", "we", "de", "mijn", "i", "you", "it", "this", "that", "my", "we", "there"}


def is_question(text: str) -> bool:
    words = text.strip().lower().split()
    if "?" in text:
        return True
    if not words:
        return False
    return words[0] in _QUESTION_WORDS or (words[0] in _QUESTION_VERBS and len(words) > 1 and words[1] in _SUBJECTS)
