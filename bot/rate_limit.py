"""Rate limiting per patient: at most RATE_LIMIT_PER_MINUTE messages in any 60 seconds.

Counted in the database, not in process memory: every API process shares it, and every patient
message is stored there anyway (refused ones too), so the count holds across processes without a
second source of truth or a Redis dependency for the API. Messages refused for the rate limit are
stored and count as well: a client that keeps sending stays limited until it pauses.
Two requests at the very same moment may both pass at the limit; one message over is harmless.
"""
import math
from datetime import datetime, timedelta, timezone
from typing import Optional

import sqlalchemy as sa

from bot import texts
from bot.intake import Refusal
from bot.store import Store, as_utc, conversations, messages

WINDOW = timedelta(seconds=60)


def check(store: Store, patient_id: str, per_minute: int, now: Optional[datetime] = None) -> Optional[Refusal]:
    """The refusal when the patient already sent ``per_minute`` messages in the last minute."""
    now = now or datetime.now(timezone.utc)
    query = (
        sa.select(messages.c.created_at)
        .select_from(messages.join(conversations, messages.c.conversation_id == conversations.c.id))
        .where(conversations.c.patient_id == patient_id, messages.c.sender == "patient", messages.c.created_at > now - WINDOW)
        .order_by(messages.c.created_at)
    )
    with store.engine.connect() as db:
        recent = [as_utc(t) for t in db.execute(query).scalars()]
    if len(recent) < per_minute:
        return None
    # Free again once enough of these messages have left the window to send one more.
    frees_at = recent[len(recent) - per_minute] + WINDOW
    seconds = max(1, math.ceil((frees_at - now).total_seconds()))
    return Refusal("rate_limited", f"too many messages: at most {per_minute} per minute", texts.get("rate_limited", seconds=seconds), seconds)
