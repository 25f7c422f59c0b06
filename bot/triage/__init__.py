"""Deterministic Dutch red-flag detection: the layer that works even when Rasa is down."""
from bot.triage.detector import Finding, TriageResult, detect

__all__ = ["Finding", "TriageResult", "detect"]
