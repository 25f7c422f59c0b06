"""Folded text that remembers where each character came from, so spans point into the original."""
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


def fold(original: str) -> FoldedText:
    chars: List[str] = []
    origin: List[int] = []
    for index, ch in enumerate(original):
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
    return FoldedText("".join(chars), origin, original)
