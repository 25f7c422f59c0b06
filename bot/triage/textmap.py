"""Folded text that remembers where each character came from, so spans point into the original."""
import re
import unicodedata
from dataclasses import dataclass
from typing import List


@dataclass(frozen=True)
class FoldedText:
    text: str  # lower case, no diacritics, whitespace runs as one space
    origin: List[int]  # origin[i] = index in the original text of folded character i
    original: str

    def span(self, start: int, end: int) -> tuple:
        """Original (start, end) for the folded range [start, end)."""
        if start >= end:
            return (self.origin[start] if start < len(self.origin) else len(self.original),) * 2
        return self.origin[start], self.origin[end - 1] + 1


_RUNS = re.compile(r"[!-~]+|[ \t\n\r\f\v]+|[^\x00-\x7f]+|[\x00-\x08\x0e-\x1f\x7f]+")


def fold(original: str) -> FoldedText:
    """Lower case, no diacritics, whitespace runs as one space. Plain ASCII runs (most of a
    message) are folded a run at a time; the rest character by character."""
    chars: List[str] = []
    origin: List[int] = []
    for run in _RUNS.finditer(original):
        piece = run.group()
        if piece[0] in " \t\n\r\f\v":
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(run.start())
        elif piece.isascii() and piece.isprintable():
            chars.extend(piece.lower())
            origin.extend(range(run.start(), run.end()))
        else:
            _fold_slowly(piece, run.start(), chars, origin)
    return FoldedText("".join(chars), origin, original)


def _fold_slowly(text: str, offset: int, chars: List[str], origin: List[int]) -> None:
    for position, ch in enumerate(text):
        index = offset + position
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            continue
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for low in part.lower():
                chars.append(low)
                origin.append(index)
