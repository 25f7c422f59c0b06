"""The project's own checks on the training data and the knowledge base, beside `rasa data validate`.

- an example that appears under two intents (after folding case, accents and punctuation) teaches
  the classifier both answers, so it is an error;
- an intent with too few examples cannot be learnt reliably;
- every leaflet answer names its leaflet and a section that the leaflet's text really has, and every
  aftercare question intent (ask_<topic>) has at least one such answer: no reply without a source;
- every alarm category (data/triage/categories.yml) is complete: its Rasa intent is in the domain,
  a rule sends it to the contact-immediately action, it has training examples, every language with
  texts names it (`reasons.<code>`), and a lexicon has words for it.
"""
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional, Set

from bot import knowledge, paths, yamldata
from bot.normalize import fold

MIN_EXAMPLES = 10
_EXAMPLE = re.compile(r"^\s*-\s+(.*\S)\s*$")
# entity annotations "[word](entity)" count as their words
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


@dataclass(frozen=True)
class Problem:
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.detail}"


def nlu_examples() -> Dict[str, List[str]]:
    """The training examples of every intent in data/nlu (annotations read as their words)."""
    found: Dict[str, List[str]] = defaultdict(list)
    for path in sorted((paths.DATA / "nlu").glob("*.yml")):
        for item in yamldata.load(path).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                match = _EXAMPLE.match(line)
                if match:
                    found[item["intent"]].append(_ANNOTATION.sub(lambda m: m.group(1) or m.group(2), match.group(1)))
    return found


def _key(example: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(example)))


def duplicates_across_intents(examples: Dict[str, List[str]]) -> List[Problem]:
    owners: Dict[str, Set[str]] = defaultdict(set)
    for intent, items in examples.items():
        for example in items:
            owners[_key(example)].add(intent)
    return [Problem("duplicate across intents", f"{text!r} in {sorted(intents)}") for text, intents in sorted(owners.items()) if len(intents) > 1]


def too_few_examples(examples: Dict[str, List[str]], minimum: int = MIN_EXAMPLES) -> List[Problem]:
    return [Problem("too few examples", f"{intent}: {len(items)} (at least {minimum})") for intent, items in sorted(examples.items()) if len(items) < minimum]


def answers_without_source(examples: Dict[str, List[str]], docs: Optional[Dict[str, dict]] = None,
                           leaflet_texts: Optional[Dict[str, str]] = None) -> List[Problem]:
    problems = []
    docs = knowledge.leaflets() if docs is None else docs
    if leaflet_texts is None:
        leaflet_texts = {p.stem: p.read_text(encoding="utf-8") for p in (paths.DATA / "leaflets").glob("*.txt")}
    leaflet_texts = {name: fold(text) for name, text in leaflet_texts.items()}
    for leaflet, doc in docs.items():
        if leaflet not in leaflet_texts:
            problems.append(Problem("answer without source", f"knowledge file {leaflet}: no leaflet text data/leaflets/{leaflet}.txt"))
            continue
        if not doc.get("title"):
            problems.append(Problem("answer without source", f"knowledge file {leaflet}: no title"))
        for topic, item in (doc.get("answers") or {}).items():
            section = (item or {}).get("section")
            if not section:
                problems.append(Problem("answer without source", f"{leaflet}/{topic}: no section"))
            elif fold(section) not in leaflet_texts[leaflet]:
                problems.append(Problem("answer without source", f"{leaflet}/{topic}: section {section!r} is not in the leaflet's text"))
    answered = {topic for doc in docs.values() for topic in (doc.get("answers") or {})}
    for intent in sorted(examples):
        if intent.startswith("ask_") and intent[4:] not in answered:
            problems.append(Problem("answer without source", f"intent {intent} has no leaflet answer in data/knowledge"))
    return problems


def incomplete_categories(examples: Dict[str, List[str]]) -> List[Problem]:
    from bot import texts
    from bot.language import supported
    from bot.triage import categories, lexicon

    domain_intents = set(yamldata.load(paths.DOMAIN).get("intents") or [])
    ruled = set()
    for path in sorted((paths.DATA / "rules").glob("*.yml")):
        for rule in yamldata.load(path).get("rules") or []:
            steps = rule.get("steps") or []
            if any(s.get("action") == "action_contact_immediately" for s in steps):
                ruled |= {s["intent"] for s in steps if "intent" in s}
    worded = {rule.category for profile in lexicon.profiles().values() for rule in profile.rules}
    problems = []
    for category in categories.alarms():
        where = f"category {category.code}"
        if category.intent not in domain_intents:
            problems.append(Problem("incomplete category", f"{where}: intent {category.intent} is not in domain.yml"))
        if category.intent not in ruled:
            problems.append(Problem("incomplete category", f"{where}: no rule sends {category.intent} to action_contact_immediately"))
        if category.intent not in examples:
            problems.append(Problem("incomplete category", f"{where}: no training examples for {category.intent} in data/nlu"))
        if category.code not in worded:
            problems.append(Problem("incomplete category", f"{where}: no lexicon (data/triage/lexicon/) has words for it"))
        for code in supported():
            if not texts.has(f"reasons.{category.code}", code):
                problems.append(Problem("incomplete category", f"{where}: data/texts/{code}.yml has no reasons.{category.code}"))
    return problems


def run() -> List[Problem]:
    examples = nlu_examples()
    return (duplicates_across_intents(examples) + too_few_examples(examples) + answers_without_source(examples)
            + incomplete_categories(examples))
