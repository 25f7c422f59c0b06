"""Retention (`python -m bot purge`) on real SQLite files and on the real PostgreSQL.

The tracker events are written by Rasa's own SQLTrackerStore, configured with the keys
bot/endpoints.py renders for Rasa, so the purge is checked against Rasa's real schema.
"""
import asyncio
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot import endpoints, paths
from bot.retention import purge
from bot.store import Store, conversations, flags, messages

DAY = 86400
PATIENT = "patient-retention-7"
TEXT = "mijn been is slap sinds gisteren"


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request, tmp_path):
    """(API store URL, Rasa tracker store URL): two SQLite files as locally, or one PostgreSQL
    database for both as in production."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.db'}", f"sqlite:///{tmp_path / 'rasa-tracker.db'}"
    url = request.getfixturevalue("postgres_url")
    return url, url


def rasa_tracker_store(url):
    """Rasa's tracker store, made by Rasa's own factory from the keys rendered into endpoints.yml."""
    from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
    from rasa.utils.endpoints import EndpointConfig

    store = create_tracker_store(EndpointConfig.from_dict(endpoints.tracker_store(url)))
    assert isinstance(store, SQLTrackerStore)
    return store


def save_rasa_events(tracker_store, sender_id, days_ago):
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    ts = time.time() - days_ago * DAY
    events = [ActionExecuted("action_listen", timestamp=ts), UserUttered(TEXT, timestamp=ts + 1), BotUttered("Neem direct contact op.", timestamp=ts + 2)]
    asyncio.run(tracker_store.save(DialogueStateTracker.from_events(sender_id, events)))


def conversation(store, tracker_store, days_ago, flag_status=None):
    conv = store.create_conversation(PATIENT, "hernia")
    message_id = store.add_message(conv.id, "patient", TEXT)
    store.add_message(conv.id, "bot", "Neem direct contact op.")
    if flag_status:
        store.flag(conv.id, message_id, ["neuro_deficit"], [{"category": "neuro_deficit", "text": "slap"}])
        with store.engine.begin() as db:
            db.execute(flags.update().where(flags.c.conversation_id == conv.id).values(status=flag_status))
    then = datetime.now(timezone.utc) - timedelta(days=days_ago)
    with store.engine.begin() as db:
        db.execute(conversations.update().where(conversations.c.id == conv.id).values(created_at=then, updated_at=then))
    save_rasa_events(tracker_store, conv.id, days_ago)
    return conv.id


@pytest.fixture
def world(urls):
    """Idle (100 days) and recent (10 days) conversations in both stores, with a 90-day period."""
    api_url, tracker_url = urls
    store = Store(api_url)
    store.create_schema()
    tracker = rasa_tracker_store(tracker_url)
    ids = {
        "idle": conversation(store, tracker, 100),
        "idle_closed_flag": conversation(store, tracker, 120, flag_status="closed"),
        "idle_open_flag": conversation(store, tracker, 200, flag_status="new"),
        "recent": conversation(store, tracker, 10),
        "recent_open_flag": conversation(store, tracker, 5, flag_status="new"),
        "rasa_only_idle": "rasaonly" + os.urandom(6).hex(),
        "rasa_only_recent": "rasaonly" + os.urandom(6).hex(),
    }
    save_rasa_events(tracker, ids["rasa_only_idle"], 95)
    save_rasa_events(tracker, ids["rasa_only_recent"], 1)
    tracker.engine.dispose()
    store.dispose()
    return api_url, tracker_url, ids


def present(api_url, tracker_url, ids):
    """Which conversations each store still holds, and the messages/flags left without one."""
    store, tracker = Store(api_url), Store(tracker_url)
    try:
        with store.engine.connect() as db:
            api = {name for name, cid in ids.items() if db.execute(sa.select(conversations.c.id).where(conversations.c.id == cid)).first()}
            orphans = sum(
                db.execute(sa.select(sa.func.count()).select_from(t).where(t.c.conversation_id.notin_(sa.select(conversations.c.id)))).scalar_one()
                for t in (messages, flags)
            )
        with tracker.engine.connect() as db:
            events = dict(db.execute(sa.text("select sender_id, count(*) from events group by sender_id")).all())
        return api, {name for name, cid in ids.items() if events.get(cid)}, orphans
    finally:
        store.dispose()
        tracker.dispose()


ALL_API = {"idle", "idle_closed_flag", "idle_open_flag", "recent", "recent_open_flag"}
ALL_RASA = ALL_API | {"rasa_only_idle", "rasa_only_recent"}


def test_idle_conversations_go_from_both_stores_open_flags_and_recent_ones_stay(world):
    api_url, tracker_url, ids = world
    assert present(api_url, tracker_url, ids) == (ALL_API, ALL_RASA, 0)

    report = purge(api_url, tracker_url, days=90)

    assert (report.conversations, report.messages, report.flags) == (2, 4, 1)
    assert (report.tracker_conversations, report.tracker_events) == (3, 9)
    assert report.kept_open_flags == 1
    kept_api = {"idle_open_flag", "recent", "recent_open_flag"}
    assert present(api_url, tracker_url, ids) == (kept_api, kept_api | {"rasa_only_recent"}, 0)
    again = purge(api_url, tracker_url, days=90)  # nothing left to delete; the open flag still kept
    assert (again.conversations, again.tracker_events, again.kept_open_flags) == (0, 0, 1)


def test_dry_run_counts_and_deletes_nothing(world):
    api_url, tracker_url, ids = world
    report = purge(api_url, tracker_url, days=90, dry_run=True)
    assert (report.conversations, report.messages, report.flags, report.tracker_events, report.kept_open_flags) == (2, 4, 1, 9, 1)
    assert present(api_url, tracker_url, ids) == (ALL_API, ALL_RASA, 0)
    assert any("dry run" in line for line in report.lines())


def test_a_longer_period_keeps_more(world):
    api_url, tracker_url, ids = world
    report = purge(api_url, tracker_url, days=110)
    assert (report.conversations, report.tracker_conversations) == (1, 1)  # only the 120-day one
    assert "idle" in present(api_url, tracker_url, ids)[0]


def test_the_command_prints_counts_only(world):
    api_url, tracker_url, ids = world
    env = {**os.environ, "DATABASE_URL": api_url, "TRACKER_STORE_URL": tracker_url, "RETENTION_DAYS": "90"}
    dry = subprocess.run([sys.executable, "-m", "bot", "purge", "--dry-run"], cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    assert "would delete 2 conversations, 4 messages, 1 nurse-review flags" in dry.stdout
    assert present(api_url, tracker_url, ids)[0] == ALL_API

    run = subprocess.run([sys.executable, "-m", "bot", "purge", "--older-than-days", "90"], cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = run.stdout + run.stderr
    assert "Retention 90 days" in out
    assert "deleted 2 conversations, 4 messages, 1 nurse-review flags" in out
    assert "deleted 9 events of 3 conversations" in out
    assert "kept 1 idle conversations with an open nurse-review flag" in out
    for secret in [PATIENT, TEXT, "slap", *ids.values()]:
        assert secret not in out
    assert present(api_url, tracker_url, ids)[0] == {"idle_open_flag", "recent", "recent_open_flag"}


def test_the_command_refuses_a_period_under_one_day(world):
    api_url, tracker_url, _ = world
    env = {**os.environ, "DATABASE_URL": api_url, "TRACKER_STORE_URL": tracker_url}
    result = subprocess.run([sys.executable, "-m", "bot", "purge", "--older-than-days", "0"], cwd=paths.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "at least 1" in result.stderr


def test_every_table_with_a_conversation_id_is_purged_with_the_conversation(world):
    """A table another module adds (e.g. the nurses' review history) goes too, imported or not."""
    api_url, tracker_url, ids = world
    store = Store(api_url)
    with store.engine.begin() as db:
        db.execute(sa.text("create table nurse_notes (id integer primary key, conversation_id varchar(64) not null, note text)"))
        for n, name in enumerate(("idle", "idle_open_flag", "recent")):
            db.execute(sa.text("insert into nurse_notes values (:n, :c, 'gebeld')"), {"n": n, "c": ids[name]})
    report = purge(api_url, tracker_url, days=90)
    assert report.other_rows["nurse_notes"] == 1
    assert "1 nurse_notes rows" in report.lines()[1]
    with store.engine.connect() as db:
        left = set(db.execute(sa.text("select conversation_id from nurse_notes")).scalars())
    store.dispose()
    assert left == {ids["idle_open_flag"], ids["recent"]}
