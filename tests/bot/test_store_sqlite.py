"""SQLite store settings (bot/store.py): pooled connections in WAL mode, every commit synced to disk."""
from bot.store import Store


def test_sqlite_store_uses_wal_and_full_sync_and_another_process_view_sees_commits(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    writer, reader = Store(url), Store(url)  # two engines: as the API and `python -m bot purge` would
    try:
        writer.create_schema()
        with writer.engine.connect() as db:
            assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert db.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: committed means on disk
        conv = writer.create_conversation("patient-1", None)
        writer.add_message(conv.id, "patient", "ik heb 39 graden koorts")
        assert [m["text"] for m in reader.transcript(conv.id)] == ["ik heb 39 graden koorts"]
    finally:
        writer.dispose()
        reader.dispose()
