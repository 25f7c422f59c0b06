"""The leaflets' own text (data/leaflets/<leaflet>.txt), cut into passages under their headings.

The text files are the leaflets as exported from PDF: words broken at line ends with a hyphen,
headings over two or three short lines, bullets ("•") with sub-bullets ("o"). A passage is one
paragraph or one bullet with its sub-bullets; its section is the heading above it. Paragraph
retrieval (bot/retrieval.py) searches these passages when no aftercare topic fits a question.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Tuple

from bot import paths

_BULLET = re.compile(r"^\s*(?:[•●▪◦\-–]|o(?=\s))\s*")
_SUB_BULLET = re.compile(r"^\s*(?:o|◦|-|–)(?=\s)")
_SENTENCE_END = re.compile(r"[.!:;]\s*$")
_PAGE_LINE = re.compile(r"\d+/\d+|https?://|www\.|^\(")  # page footers and links are not headings
_COMPLETE = re.compile(r"[.!?)]\s*$")


@dataclass(frozen=True)
class Passage:
    leaflet: str
    section: str
    text: str
    index: int  # position in the leaflet


def leaflet_text(leaflet: str) -> str:
    return (paths.LEAFLETS / f"{leaflet}.txt").read_text(encoding="utf-8")


def _join_lines(lines: List[str]) -> str:
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text.endswith("-") and line[:1].islower():
            text = text[:-1] + line  # "proefinfiltra-" + "tie"
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())


def _is_heading(lines: List[str]) -> bool:
    """A block of one to three short lines that does not read as a sentence or a bullet."""
    text = _join_lines(lines)
    if _PAGE_LINE.search(text):
        return False
    if not text or len(lines) > 3 or len(text) > 90 or _BULLET.match(lines[0]):
        return False
    if text.endswith("?"):
        return True
    return not _SENTENCE_END.search(text) and len(text.split()) <= 9 and not text[:1].islower()


def _blocks(text: str) -> List[List[str]]:
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _units(block: List[str]) -> List[str]:
    """A paragraph, or its bullets each with their sub-bullets (and the lines that continue them)."""
    units: List[List[str]] = []
    for line in block:
        starts_bullet = bool(_BULLET.match(line)) and not _SUB_BULLET.match(line)
        if starts_bullet or not units:
            units.append([_BULLET.sub("", line) if starts_bullet else line])
        else:
            units[-1].append(_SUB_BULLET.sub("", line) if _SUB_BULLET.match(line) else line)
    return [_join_lines(u) for u in units if _join_lines(u)]


@lru_cache(maxsize=16)
def passages(leaflet: str) -> Tuple[Passage, ...]:
    """The leaflet's passages in order; a bullet's sub-bullets belong to it, and a block that
    continues a bullet list across a blank line stays with the list's section."""
    found: List[Passage] = []
    section = ""
    for block in _blocks(leaflet_text(leaflet)):
        if _is_heading(block):
            section = _join_lines(block)
            continue
        if len(block) > 1 and _is_heading(block[:1]) and (_BULLET.match(block[1]) or len(block[0].strip()) < 45 < len(block[1].strip())):
            section, block = _join_lines(block[:1]), block[1:]  # "Voorbereiding" right above its text
        for unit in _units(block):
            if found and found[-1].section == section and (len(unit) < 25 or not _COMPLETE.search(found[-1].text)):
                # the PDF broke a sentence over a blank line: part of the passage before
                last = found.pop()
                unit = f"{last.text} {unit}"
            found.append(Passage(leaflet, section, unit, len(found)))
    # A long paragraph is cut into groups of sentences, so that an answer quotes what was asked.
    cut: List[Passage] = []
    for passage in found:
        for part in _sentence_groups(passage.text):
            cut.append(Passage(leaflet, passage.section, part, len(cut)))
    return tuple(cut)


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
MAX_PASSAGE_CHARS = 320


def _sentence_groups(text: str) -> List[str]:
    if len(text) <= MAX_PASSAGE_CHARS:
        return [text]
    groups: List[str] = []
    for sentence in _SENTENCE.split(text):
        if groups and len(groups[-1]) + len(sentence) < MAX_PASSAGE_CHARS:
            groups[-1] = f"{groups[-1]} {sentence}"
        else:
            groups.append(sentence)
    return groups
