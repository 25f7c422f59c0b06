"""The audit log on real SQLite: entries are written, the module offers no way to change them, the
database refuses UPDATE and DELETE, the retention purge leaves it alone, CSV cells cannot be formulas."""
import csv
import io

import pytest
import sqlalchemy as sa

from bot import audit
from bot.store import Store


def test_entries_are_written_and_read_back_newest_first(store):
    audit.record(store.engine, "anna", "nurse", "conversation_read", "c1", "patient-1")
    audit.record(store.engine, "anna", "nurse", "status_change", "c1", "patient-1", {"status": "closed"})
    audit.record(store.engine, "bert", "nurse", "queue_search", details={"filters": {"status": "open"}})
    rows = audit.entries(store.engine)
    assert [r.action for r in rows] == ["queue_search", "status_change", "conversation_read"]
    assert rows[1].actor == "anna" and rows[1].conversation_id == "c1" and rows[1].patient_id == "patient-1"
    assert rows[1].details == {"status": "closed"} and rows[1].at.tzinfo is not None
    assert [r.action for r in audit.entries(store.engine, actor="anna", action="status_change")] == ["status_change"]
    assert len(audit.entries(store.engine, patient_id="patient-1")) == 2


def test_unknown_actions_are_refused(store):
    with pytest.raises(ValueError):
        audit.record(store.engine, "anna", "nurse", "delete_everything")


def test_the_module_has_no_update_or_delete_function():
    public = [name for name in dir(audit) if not name.startswith("_") and callable(getattr(audit, name))]
    assert not [n for n in public if any(w in n.lower() for w in ("update", "delete", "remove", "purge", "edit", "clear"))]


def test_the_database_refuses_update_and_delete(store):
    audit.record(store.engine, "anna", "nurse", "conversation_read", "c1", "patient-1")
    for statement in (audit.audit_log.update().values(actor="someone-else"), audit.audit_log.delete()):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with store.engine.begin() as db:
                db.execute(statement)
    assert [r.actor for r in audit.entries(store.engine)] == ["anna"]


def test_the_retention_purge_leaves_the_log_alone(store, tmp_path):
    from bot.retention import purge

    conv = store.create_conversation("patient-1", "hernia")
    store.add_message(conv.id, "patient", "hallo")
    audit.record(store.engine, "anna", "nurse", "conversation_read", conv.id, "patient-1")
    with store.engine.begin() as db:  # make the conversation old enough to purge
        db.execute(sa.text("UPDATE conversations SET updated_at = '2000-01-01 00:00:00'"))
        db.execute(sa.text("UPDATE messages SET created_at = '2000-01-01 00:00:00'"))
    report = purge(str(store.engine.url), f"sqlite:///{tmp_path / 'tracker.db'}", 90)
    assert report.conversations == 1 and store.get_conversation(conv.id) is None
    assert [r.conversation_id for r in audit.entries(store.engine)] == [conv.id]


def test_csv_export_neutralises_formulas(store):
    audit.record(store.engine, "=HYPERLINK(\"x\")", "-", "login_failed", details={"locked": False})
    audit.record(store.engine, "@anna", "nurse", "conversation_read", "c1", "+31612345678")
    text = audit.to_csv(audit.entries(store.engine))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "at_utc", "actor", "role", "action", "conversation_id", "patient_id", "details"]
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"x\")" in cells and "'@anna" in cells and "'+31612345678" in cells and "'-" in cells


def test_postgres_refuses_update_delete_and_truncate(postgres_url):
    from bot import nurses, review  # noqa: F401 (all staff tables, as in the app)

    store = Store(postgres_url)
    try:
        store.create_schema()
        store.create_schema()  # a second start (another API process) leaves the triggers as they are
        audit.record(store.engine, "anna", "nurse", "conversation_read", "c1", "patient-1")
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                with store.engine.begin() as db:
                    db.execute(sa.text(statement))
        assert [(r.actor, r.patient_id) for r in audit.entries(store.engine)] == [("anna", "patient-1")]
    finally:
        store.dispose()
