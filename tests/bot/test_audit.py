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


def _tamper(engine, *statements):
    """What someone with the database's owner rights could do: drop the triggers, then edit."""
    with engine.begin() as db:
        for name in sorted(audit.TRIGGERS[engine.dialect.name]):
            db.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}" + (" ON audit_log" if engine.dialect.name == "postgresql" else "")))
        for statement in statements:
            db.execute(sa.text(statement))


def _three_rows(engine):
    audit.record(engine, "anna", "nurse", "conversation_read", "c1", "patient-1")
    audit.record(engine, "anna", "nurse", "status_change", "c1", "patient-1", {"status": "closed", "note": "é"})
    audit.record(engine, "bert", "nurse", "queue_search", details={"filters": {"status": "open"}})


def test_each_row_links_to_the_one_before_and_the_chain_verifies(store):
    assert audit.verify(store.engine).ok and audit.verify(store.engine).rows == 0
    _three_rows(store.engine)
    with store.engine.connect() as db:
        rows = db.execute(sa.select(audit.audit_log).order_by(audit.audit_log.c.id)).mappings().all()
    assert rows[0]["prev_hash"] == audit.GENESIS and rows[1]["prev_hash"] == rows[0]["row_hash"] and rows[2]["prev_hash"] == rows[1]["row_hash"]
    assert len({r["row_hash"] for r in rows}) == 3
    result = audit.verify(store.engine)
    assert result.ok and result.rows == 3 and result.lines()[0] == "audit_log: 3 rows checked; hash chain intact"


@pytest.mark.parametrize("statement, problem", [
    ("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2", "row 2: its content does not match its hash (it was changed)"),
    ("UPDATE audit_log SET details = '{}' WHERE id = 2", "row 2: its content does not match its hash (it was changed)"),
    ("UPDATE audit_log SET patient_ref = NULL WHERE id = 1", "row 1: its content does not match its hash (it was changed)"),
    ("DELETE FROM audit_log WHERE id = 2", "row 3: does not follow the row before it (a row was removed or inserted)"),
    ("DELETE FROM audit_log WHERE id = 1", "row 2: does not follow the row before it (a row was removed or inserted)"),
])
def test_a_changed_or_removed_row_breaks_the_chain_where_it_happened(store, statement, problem):
    _three_rows(store.engine)
    _tamper(store.engine, statement)
    result = audit.verify(store.engine)
    assert not result.ok and result.broken[0] == problem
    assert result.missing_triggers == ["audit_log_no_delete", "audit_log_no_update"]
    assert "BROKEN" in result.lines()[0] and "MISSING" in result.lines()[-1]


def test_the_last_row_removed_is_found_by_its_missing_trigger_not_by_the_chain(store):
    # Cutting off the end leaves a valid chain; the removal needed the triggers gone, and that shows.
    _three_rows(store.engine)
    _tamper(store.engine, "DELETE FROM audit_log WHERE id = 3")
    result = audit.verify(store.engine)
    assert not result.broken and result.missing_triggers and not result.ok


def test_verify_audit_command_exits_0_when_intact_and_1_when_broken(store, tmp_path):
    import os
    import subprocess
    import sys

    _three_rows(store.engine)
    env = {**os.environ, "DATABASE_URL": str(store.engine.url), "APP_ENV": "test"}
    run = lambda: subprocess.run([sys.executable, "-m", "bot", "verify-audit"], env=env, capture_output=True, text=True, timeout=120)  # noqa: E731
    intact = run()
    assert intact.returncode == 0, intact.stderr
    assert "3 rows checked; hash chain intact" in intact.stdout and "triggers: in place" in intact.stdout
    _tamper(store.engine, "UPDATE audit_log SET patient_ref = 'patient-2' WHERE id = 1")
    broken = run()
    assert broken.returncode == 1 and "row 1: its content does not match" in broken.stdout and "MISSING" in broken.stdout
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'none' / 'x.db'}"
    unreadable = run()
    assert unreadable.returncode == 2 and unreadable.stderr.startswith("error: could not read the audit log")


def test_postgres_appends_from_two_processes_keep_one_chain(postgres_url):
    from concurrent.futures import ThreadPoolExecutor

    from bot import nurses, review  # noqa: F401 (all staff tables, as in the app)

    one, two = Store(postgres_url), Store(postgres_url)  # two engines: two API processes' pools
    try:
        one.create_schema()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: audit.record((one, two)[i % 2].engine, f"nurse-{i}", "nurse", "queue_search"), range(80)))
        result = audit.verify(one.engine)
        assert result.ok and result.rows == 80, result.lines()
        _tamper(one.engine, "UPDATE audit_log SET role = 'privacy_officer' WHERE id = 40")
        assert audit.verify(one.engine).broken[0].startswith("row 40: its content does not match")
        assert audit.verify(one.engine).missing_triggers == ["audit_log_append_only"]
    finally:
        one.dispose()
        two.dispose()
