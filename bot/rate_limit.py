"""Rate limiting per patient, in two steps:

- answered: at most RATE_LIMIT_PER_MINUTE messages in any 60 seconds; more are stored and triaged
  (an alarm still escalates) but not sent to Rasa (``check``);
- stored: at most STORE_LIMIT_PER_MINUTE in 60 seconds and STORE_LIMIT_PER_DAY in 24 hours; beyond
  that a client is flooding (no person types that fast) and gets 429 without anything being stored
  (``flood``), so one patient cannot fill the database or the nurses' queue.

Counted in the database, not in process memory: every API process shares it, and every patient
message is stored there anyway (refused ones too), so the count holds across processes without a
second source of truth or a Redis dependency for the API. Messages refused for the rate limit are
stored and count as well: a client that keeps sending stays limited until it pauses.
Two requests at the very same moment may both pass at the limit; one message over is harmless.
"""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

import sqlalchemy as sa

from bot import texts
from bot.intake import Refusal
from bot.store import Store, as_utc, conversations, messages

WINDOW = timedelta(seconds=60)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Flood:
    detail: str  # English, for developers (the widget shows its own Dutch text for 429)
    retry_after: int  # seconds


def _latest(store: Store, patient_id: str, window: timedelta, how_many: int, now: datetime) -> List[datetime]:
    """When the patient's latest ``how_many`` messages were stored, if within ``window``; newest first."""
    query = (
        sa.select(messages.c.created_at)
        .select_from(messages.join(conversations, messages.c.conversation_id == conversations.c.id))
        .where(conversations.c.patient_id == patient_id, messages.c.sender == "patient", messages.c.created_at > now - window)
        .order_by(messages.c.created_at.desc())
        .limit(how_many)
    )
    with store.engine.connect() as db:
        return [as_utc(t) for t in db.execute(query).scalars()]


def _seconds_until_free(latest: List[datetime], window: timedelta, now: datetime) -> int:
    # Free again once the oldest of these messages has left the window: then one more fits.
    return max(1, math.ceil((latest[-1] + window - now).total_seconds()))


def flood(store: Store, patient_id: str, per_minute: int, per_day: int, now: Optional[datetime] = None) -> Optional[Flood]:
    """Set when the patient already has ``per_minute`` messages stored in the last minute or
    ``per_day`` in the last 24 hours: then the message is refused (429) and not stored."""
    now = now or datetime.now(timezone.utc)
    for limit, window, unit in ((per_minute, WINDOW, "minute"), (per_day, DAY, "day")):
        latest = _latest(store, patient_id, window, limit, now)
        if len(latest) >= limit:
            return Flood(f"too many messages: more than {limit} per {unit} are not stored", _seconds_until_free(latest, window, now))
    return None


def check(store: Store, patient_id: str, per_minute: int, now: Optional[datetime] = None) -> Optional[Refusal]:
    """The refusal when the patient already sent ``per_minute`` messages in the last minute."""
    now = now or datetime.now(timezone.utc)
    latest = _latest(store, patient_id, WINDOW, per_minute, now)
    if len(latest) < per_minute:
        return None
    seconds = _seconds_until_free(latest, WINDOW, now)
    return Refusal("rate_limited", f"too many messages: at most {per_minute} per minute", texts.get("rate_limited", seconds=seconds), seconds)
