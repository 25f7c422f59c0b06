"""Tracker fixtures for action tests, in the style of rasa-demo."""
from typing import Any, Dict, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def make_tracker():
    def make(text: str, intent: str, slots: Optional[Dict[str, Any]] = None, metadata: Optional[Dict[str, Any]] = None) -> Tracker:
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": metadata or {}}
        base = {"procedure": None, "pending_topic": None, "escalated": False, "alarm_reasons": []}
        return Tracker("test-conversation", {**base, **(slots or {})}, latest, [], False, None, {}, "action_listen")

    return make
