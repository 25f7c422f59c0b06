"""Rasa custom actions. Thin: the logic is in ``bot/``."""
