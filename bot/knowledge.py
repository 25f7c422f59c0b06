"""Answers from the leaflets' knowledge base (data/knowledge/<leaflet>.yml).

Every answer carries the leaflet and section it comes from, so the reply can name its source.
"""
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional

from bot import paths, procedures, texts, yamldata


@dataclass(frozen=True)
class Answer:
    topic: str
    procedure: str
    leaflet: str
    title: str
    section: str
    text: str
    facts: tuple
    figures_differ: bool = False  # the treatment's other leaflet answers this topic with other figures

    @property
    def source(self) -> Dict[str, str]:
        return {"leaflet": self.leaflet, "section": self.section}

    @property
    def reply(self) -> str:
        return f"{self.text}\n{texts.get('source_line', title=self.title, section=self.section)}"


@dataclass(frozen=True)
class Lookup:
    """What the bot can say about a topic: the answers of one treatment's leaflets (the hernia has
    two), or the treatments it depends on."""

    answers: tuple = ()
    choices: tuple = ()  # procedure keys, when the answer differs per treatment

    @property
    def answer(self) -> Optional[Answer]:
        return self.answers[0] if self.answers else None

    @property
    def needs_procedure(self) -> bool:
        return not self.answers and len(self.choices) > 1


@lru_cache(maxsize=1)
def leaflets() -> Dict[str, dict]:
    return {doc["leaflet"]: doc for doc in (yamldata.load(p) for p in sorted((paths.DATA / "knowledge").glob("*.yml")))}


def _answers_for(procedure: str, topic: str) -> List[Answer]:
    found = []
    for leaflet in procedures.all_procedures()[procedure].leaflets:
        doc = leaflets()[leaflet]
        item = (doc.get("answers") or {}).get(topic)
        if item:
            found.append(
                Answer(topic, procedure, leaflet, doc["title"], item["section"], " ".join(item["text"].split()), tuple(item.get("facts", ())),
                       bool(item.get("figures_differ_from_other_leaflet")))
            )
    return found


def lookup(topic: str, procedure: Optional[str]) -> Lookup:
    proc = procedures.normalize(procedure)
    if proc:
        found = _answers_for(proc, topic)
        return Lookup(tuple(found))
    by_procedure = {key: _answers_for(key, topic) for key in procedures.all_procedures()}
    having = [key for key, found in by_procedure.items() if found]
    if len(having) == 1:
        return Lookup(tuple(by_procedure[having[0]]))
    return Lookup((), tuple(having))


def topics() -> List[str]:
    """Topics that at least one leaflet answers."""
    return sorted({topic for doc in leaflets().values() for topic in (doc.get("answers") or {})})


def topic_list() -> Dict[str, dict]:
    """All aftercare topics (data/topics.yml); each is the Rasa intent ask_<topic>."""
    return yamldata.load(paths.DATA / "topics.yml")["topics"]
