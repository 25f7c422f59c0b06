"""Retention: delete conversations idle for longer than the retention period.

A conversation lives in two stores: the API's rows (conversations, messages, flags; bot/store.py)
and Rasa's tracker events (table `events`, sender_id = conversation id) in Rasa's tracker store.
Both go, each store in one transaction. Conversations with a nurse-review flag that is not closed
are kept until a nurse has handled them. The report holds counts only: no texts, no patient ids.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterable, Iterator, List, Optional, Set

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.store import Store, conversations, flags, messages

CLOSED_FLAG_STATUSES = ("closed",)
# Rasa's SQLTrackerStore table (rasa/core/tracker_store.py); only the columns used here.
events = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("timestamp"))
_CHUNK = 500  # ids per IN (...) list, well below SQLite's variable limit


@dataclass
class PurgeReport:
    days: int
    cutoff: datetime
    dry_run: bool
    conversations: int = 0
    messages: int = 0
    flags: int = 0
    tracker_conversations: int = 0
    tracker_events: int = 0
    kept_open_flags: int = 0
    other_rows: Dict[str, int] = field(default_factory=dict)  # e.g. nurse-review history, per table

    def lines(self) -> List[str]:
        verb = "would delete" if self.dry_run else "deleted"
        return [
            f"Retention {self.days} days: conversations idle since before {self.cutoff:%Y-%m-%d %H:%M} UTC"
            + (" (dry run: nothing deleted)" if self.dry_run else ""),
            f"  API store: {verb} {self.conversations} conversations, {self.messages} messages, {self.flags} nurse-review flags"
            + "".join(f", {count} {table} rows" for table, count in sorted(self.other_rows.items()) if count),
            f"  Rasa tracker store: {verb} {self.tracker_events} events of {self.tracker_conversations} conversations",
            f"  kept {self.kept_open_flags} idle conversations with an open nurse-review flag (deleted once a nurse has closed the flag)",
        ]


def _chunks(ids: Iterable[str]) -> Iterator[List[str]]:
    batch = sorted(ids)
    for start in range(0, len(batch), _CHUNK):
        yield batch[start : start + _CHUNK]


def _count(db: Connection, table, column, ids: Set[str]) -> int:
    return sum(db.execute(sa.select(sa.func.count()).select_from(table).where(column.in_(chunk))).scalar_one() for chunk in _chunks(ids))


def _delete(db: Connection, table, column, ids: Set[str]) -> None:
    for chunk in _chunks(ids):
        db.execute(sa.delete(table).where(column.in_(chunk)))


def _purge_tracker(tracker: Connection, api: Connection, doomed: Set[str], cutoff: datetime, report: PurgeReport) -> None:
    if not sa.inspect(tracker).has_table("events"):
        return  # Rasa has not stored anything here yet
    # Rasa also holds conversations the API does not know (e.g. talked to directly): idle ones go too.
    idle = set(
        tracker.execute(
            sa.select(events.c.sender_id).group_by(events.c.sender_id).having(sa.func.max(events.c.timestamp) < cutoff.timestamp())
        ).scalars()
    )
    known = {row for chunk in _chunks(idle - doomed) for row in api.execute(sa.select(conversations.c.id).where(conversations.c.id.in_(chunk))).scalars()}
    senders = doomed | (idle - known)
    report.tracker_events = _count(tracker, events, events.c.sender_id, senders)
    report.tracker_conversations = sum(
        len(tracker.execute(sa.select(events.c.sender_id).where(events.c.sender_id.in_(chunk)).distinct()).all()) for chunk in _chunks(senders)
    )
    if not report.dry_run:
        _delete(tracker, events, events.c.sender_id, senders)


def purge(database_url: str, tracker_store_url: str, days: int, dry_run: bool = False, now: Optional[datetime] = None) -> PurgeReport:
    """Delete (or with dry_run only count) conversations whose last activity is older than `days`."""
    if days < 1:
        raise ValueError("the retention period must be at least 1 day")
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    report = PurgeReport(days, cutoff, dry_run)
    api_store = Store(database_url)  # for its engine settings (connect timeouts)
    tracker_store = api_store if tracker_store_url == database_url else Store(tracker_store_url)
    try:
        with api_store.engine.begin() as api:
            if not sa.inspect(api).has_table(conversations.name):
                return report  # the API has not stored anything yet
            # Lock the idle rows: a patient who comes back right now waits for the purge to finish.
            idle = set(api.execute(sa.select(conversations.c.id).where(conversations.c.updated_at < cutoff).with_for_update()).scalars())
            still_open = {
                row
                for chunk in _chunks(idle)
                for row in api.execute(
                    sa.select(flags.c.conversation_id).where(flags.c.conversation_id.in_(chunk), flags.c.status.notin_(CLOSED_FLAG_STATUSES)).distinct()
                ).scalars()
            }
            doomed = idle - still_open
            report.kept_open_flags = len(still_open)
            report.conversations = len(doomed)
            report.messages = _count(api, messages, messages.c.conversation_id, doomed)
            report.flags = _count(api, flags, flags.c.conversation_id, doomed)
            # Rasa's events first: should the API's delete fail after that commit, the next run finds
            # the same conversations again (the reverse order would orphan their events).
            if tracker_store is api_store:
                _purge_tracker(api, api, doomed, cutoff, report)
            else:
                with tracker_store.engine.begin() as tracker:
                    _purge_tracker(tracker, api, doomed, cutoff, report)
            # Every table with a conversation_id goes too (e.g. the nurses' review history), read
            # from the database itself so that none is missed because its module was not imported.
            stored = sa.MetaData()
            stored.reflect(bind=api)
            dependants = [t for t in reversed(stored.sorted_tables) if "conversation_id" in t.c]
            for table in dependants:
                if table.name not in (messages.name, flags.name):
                    report.other_rows[table.name] = _count(api, table, table.c.conversation_id, doomed)
            if not dry_run:
                for table in dependants:
                    _delete(api, table, table.c.conversation_id, doomed)
                _delete(api, conversations, conversations.c.id, doomed)
    finally:
        api_store.dispose()
        tracker_store.dispose()
    return report
