"""PostgreSQL roles for production: an owner role creates the tables (and the audit log's
triggers); the API runs as a runtime role that may read and write the tables it needs, but may
only INSERT and SELECT on ``audit_log``, and, not owning it, cannot drop or disable its triggers.

    DATABASE_URL=postgresql://spine_owner@db/spine python -m bot grant-runtime-role spine_app

grants that to an existing role (create it first: ``CREATE ROLE spine_app LOGIN PASSWORD ...``).
Rasa's tracker store gets a role (and database) of its own: deployment.md.
"""
import re
from typing import List

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.store import metadata

APPEND_ONLY = {"audit_log": "SELECT, INSERT"}
READ_WRITE = "SELECT, INSERT, UPDATE, DELETE"
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_statements(role: str) -> List[str]:
    if not _ROLE_NAME.fullmatch(role):
        raise ValueError(f"role name {role!r}: use lower-case letters, digits and _ (at most 63, not starting with a digit)")
    statements = [f'GRANT USAGE ON SCHEMA public TO "{role}"']
    for table in metadata.sorted_tables:
        statements.append(f'REVOKE ALL ON TABLE "{table.name}" FROM "{role}"')
        statements.append(f'GRANT {APPEND_ONLY.get(table.name, READ_WRITE)} ON TABLE "{table.name}" TO "{role}"')
    statements.append(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')  # the tables' serial ids
    return statements


def grant_runtime_role(engine: Engine, role: str) -> List[str]:
    """Run as the tables' owner: the runtime role's grants, replacing earlier ones; returns the statements."""
    if engine.dialect.name != "postgresql":
        raise ValueError("database roles are for PostgreSQL (DATABASE_URL is not PostgreSQL)")
    statements = grant_statements(role)
    with engine.begin() as db:
        for statement in statements:
            db.execute(sa.text(statement))
    return statements
