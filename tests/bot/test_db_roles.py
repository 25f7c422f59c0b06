"""bot/db_roles.py on the real PostgreSQL: the API's runtime role reads and writes the patient
tables, may only INSERT and SELECT on audit_log, and cannot get round its triggers."""
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot import audit, db_roles, nurses, review  # noqa: F401 (all tables, as in the app)
from bot.store import Store
from tests.services import fresh_postgres_database


@pytest.fixture
def owner_and_runtime():
    role = f"spine_app_{uuid.uuid4().hex[:8]}"
    with fresh_postgres_database() as url:
        owner = Store(url)
        with owner.engine.begin() as db:
            db.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        try:
            owner.create_schema()
            db_roles.grant_runtime_role(owner.engine, role)
            runtime = Store(make_url(url).set(username=role, password=None).render_as_string(hide_password=False))
            try:
                yield owner, runtime
            finally:
                runtime.dispose()
        finally:
            with owner.engine.begin() as db:
                db.execute(sa.text(f'DROP OWNED BY "{role}"'))
            owner.dispose()
    admin = sa.create_engine(make_url(url).set(database="postgres"), future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


def test_the_runtime_role_serves_patients_and_appends_to_the_audit_log(owner_and_runtime):
    _, runtime = owner_and_runtime
    runtime.create_schema()  # an API process starting as the runtime role: the tables exist, nothing to create
    conv = runtime.create_conversation("patient-1", "hernia")
    message = runtime.add_message(conv.id, "patient", "ik heb koorts")
    runtime.flag(conv.id, message, ["fever"], [])
    review.change_status(runtime.engine, conv.id, "take", "anna")
    audit.record(runtime.engine, "anna", "nurse", "conversation_read", conv.id, "patient-1")
    assert [e.action for e in audit.entries(runtime.engine)] == ["conversation_read"]
    assert audit.verify(runtime.engine).ok


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'x'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "DROP TRIGGER audit_log_append_only ON audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "DROP TABLE audit_log",
])
def test_the_runtime_role_cannot_change_the_audit_log_or_its_triggers(owner_and_runtime, statement):
    owner, runtime = owner_and_runtime
    audit.record(runtime.engine, "anna", "nurse", "conversation_read", "c1", "patient-1")
    with pytest.raises(sa.exc.ProgrammingError, match="permission denied|must be owner"):
        with runtime.engine.begin() as db:
            db.execute(sa.text(statement))
    assert audit.verify(owner.engine).ok and audit.verify(owner.engine).rows == 1


def test_role_names_are_checked_before_they_reach_sql():
    with pytest.raises(ValueError, match="role name"):
        db_roles.grant_statements('app"; DROP TABLE audit_log; --')
    assert 'GRANT SELECT, INSERT ON TABLE "audit_log" TO "spine_app"' in db_roles.grant_statements("spine_app")
