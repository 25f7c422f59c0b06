"""Audit log in the spirit of NEN 7513: who did what with which conversation and patient, when.

Append-only: this module only inserts (there is no update or delete function), and the database
refuses UPDATE and DELETE on the table by a trigger (SQLite and PostgreSQL). The columns are named
``conversation_ref``/``patient_ref``, not ``conversation_id``, on purpose: the retention purge
(bot/retention.py) deletes rows of every table with a ``conversation_id``, and the log must outlive
the conversations it describes.
"""
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.store import metadata

# What is logged: reads, searches, exports, status changes, feedback, logins.
ACTIONS = (
    "login", "login_failed", "logout", "queue_search", "conversation_read", "status_change", "feedback",
    "manual_flag", "audit_read", "audit_export",
    "feedback_export",  # a developer's `python -m bot export-feedback` (role "developer")
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False, index=True),  # staff username (or the name tried at a failed login)
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("action", sa.String(32), nullable=False, index=True),
    sa.Column("conversation_ref", sa.String(64), index=True),
    sa.Column("patient_ref", sa.String(128), index=True),
    sa.Column("details", sa.Text, nullable=False, default="{}"),  # JSON: filters, new status, ... (never patient text)
)

_SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
_POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]


@sa.event.listens_for(audit_log, "after_create")
def _append_only_triggers(target, connection, **kw) -> None:
    statements = {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}.get(connection.dialect.name, [])
    for statement in statements:
        connection.execute(sa.text(statement))


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    conversation_id: Optional[str]
    patient_id: Optional[str]
    details: Dict[str, Any]


def record(
    engine: Engine, actor: str, role: str, action: str, conversation_id: Optional[str] = None,
    patient_id: Optional[str] = None, details: Optional[Dict[str, Any]] = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with engine.begin() as db:
        db.execute(
            audit_log.insert().values(
                at=datetime.now(timezone.utc), actor=actor[:64], role=role, action=action, conversation_ref=conversation_id,
                patient_ref=patient_id, details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
            )
        )


def entries(
    engine: Engine, actor: Optional[str] = None, action: Optional[str] = None, conversation_id: Optional[str] = None,
    patient_id: Optional[str] = None, since: Optional[datetime] = None, until: Optional[datetime] = None, limit: int = 1000,
) -> List[Entry]:
    """Newest first, filtered; ``until`` is exclusive."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    for column, value in ((audit_log.c.actor, actor), (audit_log.c.action, action),
                          (audit_log.c.conversation_ref, conversation_id), (audit_log.c.patient_ref, patient_id)):
        if value:
            query = query.where(column == value)
    if since:
        query = query.where(audit_log.c.at >= since)
    if until:
        query = query.where(audit_log.c.at < until)
    with engine.connect() as db:
        rows = db.execute(query).mappings().all()
    return [
        Entry(r["id"], r["at"] if r["at"].tzinfo else r["at"].replace(tzinfo=timezone.utc), r["actor"], r["role"], r["action"],
              r["conversation_ref"], r["patient_ref"], json.loads(r["details"]))
        for r in rows
    ]


def _cell(value: Any) -> str:
    # CSV injection: a spreadsheet runs a cell starting with = + - @ (or tab/CR) as a formula.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: Iterable[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at_utc", "actor", "role", "action", "conversation_id", "patient_id", "details"])
    for e in rows:
        writer.writerow([_cell(v) for v in (e.id, e.at.isoformat(), e.actor, e.role, e.action, e.conversation_id, e.patient_id,
                                            json.dumps(e.details, ensure_ascii=False, sort_keys=True))])
    return out.getvalue()
