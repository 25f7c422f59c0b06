"""Deterministic Dutch red-flag detection (works when Rasa is down) and the two-layer decision."""
from bot.triage.decision import Decision, decide
from bot.triage.detector import Finding, TriageResult, detect

__all__ = ["Decision", "Finding", "TriageResult", "decide", "detect"]
