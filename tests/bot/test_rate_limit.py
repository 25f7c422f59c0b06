"""bot/rate_limit.py on a real SQLite store: the window, Retry-After, and per-patient counting."""
from datetime import datetime, timedelta, timezone

import pytest

from bot import rate_limit


def _send(store, patient, n, conv=None):
    conv = conv or store.create_conversation(patient, None)
    for i in range(n):
        store.add_message(conv.id, "patient", f"bericht {i}")
        store.add_message(conv.id, "bot", "antwoord")  # bot messages do not count
    return conv


def test_limit_counts_patient_messages_over_all_their_conversations(store):
    _send(store, "p-a", 2)
    _send(store, "p-a", 1)
    assert rate_limit.check(store, "p-a", 4) is None
    refusal = rate_limit.check(store, "p-a", 3)
    assert refusal.reason == "rate_limited" and 55 <= refusal.retry_after <= 60
    assert f"{refusal.retry_after} seconden" in refusal.notice
    assert rate_limit.check(store, "p-b", 1) is None  # another patient is not affected


def test_the_window_slides(store):
    conv = _send(store, "p-a", 3)
    first = datetime.fromisoformat(store.transcript(conv.id)[0]["created_at"]).replace(tzinfo=timezone.utc)
    assert rate_limit.check(store, "p-a", 3, now=first + timedelta(seconds=1)) is not None
    assert rate_limit.check(store, "p-a", 3, now=first + timedelta(seconds=61)) is None
    # Retry-After is when the oldest message that matters leaves the window, never below 1 second.
    assert rate_limit.check(store, "p-a", 3, now=first + timedelta(seconds=59.5)).retry_after == 1
    assert rate_limit.check(store, "p-a", 3, now=first + timedelta(seconds=30)).retry_after == 30


def test_a_flood_is_beyond_the_storing_limits_per_minute_and_per_day(store):
    conv = _send(store, "p-flood", 5)
    first = datetime.fromisoformat(store.transcript(conv.id)[0]["created_at"]).replace(tzinfo=timezone.utc)
    assert rate_limit.flood(store, "p-flood", per_minute=6, per_day=100) is None
    minute = rate_limit.flood(store, "p-flood", per_minute=5, per_day=100)
    assert minute.detail == "too many messages: more than 5 per minute are not stored" and 55 <= minute.retry_after <= 60
    # Two minutes later the minute is free, but the day still counts the five.
    later = first + timedelta(minutes=2)
    assert rate_limit.flood(store, "p-flood", per_minute=5, per_day=6, now=later) is None
    day = rate_limit.flood(store, "p-flood", per_minute=5, per_day=5, now=later)
    assert day.detail == "too many messages: more than 5 per day are not stored"
    assert 86400 - 130 <= day.retry_after <= 86400 - 110  # when the oldest of the day's messages leaves it
    assert rate_limit.flood(store, "p-flood", per_minute=5, per_day=5, now=first + timedelta(days=1, seconds=5)) is None
    assert rate_limit.flood(store, "p-other", per_minute=1, per_day=1) is None
