"""Audit log in the spirit of NEN 7513: who did what with which conversation and patient, when.

Append-only: this module only inserts (there is no update or delete function), and the database
refuses UPDATE and DELETE on the table by a trigger (SQLite and PostgreSQL). Each row also carries
the SHA-256 of its content and of the row before it (a hash chain): a row changed or removed by
someone who got round the triggers breaks the chain, and ``python -m bot verify-audit`` (``verify``)
finds the first broken row and checks that the triggers are in place. In production the runtime
database role may only INSERT and SELECT on this table (bot/db_roles.py). The columns are named
``conversation_ref``/``patient_ref``, not ``conversation_id``, on purpose: the retention purge
(bot/retention.py) deletes rows of every table with a ``conversation_id``, and the log must outlive
the conversations it describes.
"""
import csv
import hashlib
import io
import json
import threading
from dataclasses import dataclass, field
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
    "access_denied",  # a staff page refused: wrong role (403) or a missing or wrong CSRF token
    "password_change",  # a staff member's own, on /nurse/password
    # an administrator's commands (role "administrator"): python -m bot <command>
    "account_created", "account_disabled", "account_enabled", "account_unlocked", "password_reset", "second_factor_enrolled",
    "accounts_listed", "purge",
)
GENESIS = "0" * 64  # the "previous hash" of the first row
_CHAIN_LOCK_KEY = 0x5B1E_A0D1  # PostgreSQL advisory lock: the API processes append one at a time
_chain_lock = threading.Lock()  # ... and the threads of one process (SQLite's only writer)
TRIGGERS = {"sqlite": {"audit_log_no_update", "audit_log_no_delete"}, "postgresql": {"audit_log_append_only"}}

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
    sa.Column("prev_hash", sa.String(64), nullable=False),  # row_hash of the row before (GENESIS for the first)
    sa.Column("row_hash", sa.String(64), nullable=False),  # SHA-256 of prev_hash and this row's columns
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


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def row_hash(prev_hash: str, row: Dict[str, Any]) -> str:
    """The chain's hash of one row: its stored values, in a fixed order, and the previous hash."""
    values = [prev_hash, _utc(row["at"]).isoformat(), row["actor"], row["role"], row["action"], row["conversation_ref"],
              row["patient_ref"], row["details"]]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def record(
    engine: Engine, actor: str, role: str, action: str, conversation_id: Optional[str] = None,
    patient_id: Optional[str] = None, details: Optional[Dict[str, Any]] = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = {"at": datetime.now(timezone.utc), "actor": actor[:64], "role": role, "action": action, "conversation_ref": conversation_id,
           "patient_ref": patient_id, "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True)}
    # One append at a time, so that each row links to the one committed just before it.
    with _chain_lock, engine.begin() as db:
        if db.dialect.name == "postgresql":
            db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
        prev = db.execute(sa.select(audit_log.c.row_hash).order_by(audit_log.c.id.desc()).limit(1)).scalar() or GENESIS
        db.execute(audit_log.insert().values(**row, prev_hash=prev, row_hash=row_hash(prev, row)))


@dataclass
class Verification:
    rows: int = 0
    broken: List[str] = field(default_factory=list)  # English: which row, and what is wrong
    missing_triggers: List[str] = field(default_factory=list)
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.broken and not self.missing_triggers

    def lines(self) -> List[str]:
        out = [f"audit_log: {self.rows} rows checked; hash chain {'intact' if not self.broken else 'BROKEN'}"]
        out += [f"  {problem}" for problem in self.broken]
        # Kept outside the database (a ticket, the SIEM), it shows later whether the chain was rewritten from there on.
        out.append(f"last row hash: {self.last_hash}")
        out.append(f"append-only triggers: {'in place' if not self.missing_triggers else 'MISSING ' + ', '.join(self.missing_triggers)}")
        return out


def missing_triggers(engine: Engine) -> List[str]:
    """The append-only triggers that are not there (or, in PostgreSQL, are disabled)."""
    with engine.connect() as db:
        if db.dialect.name == "postgresql":
            found = set(db.execute(sa.text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass('audit_log') AND NOT tgisinternal AND tgenabled <> 'D'"
            )).scalars())
        else:
            found = set(db.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")).scalars())
    return sorted(TRIGGERS.get(engine.dialect.name, set()) - found)


def verify(engine: Engine, max_reported: int = 20) -> Verification:
    """Walk the chain in id order: each row must link to the row before and hash to its row_hash."""
    result = Verification(missing_triggers=missing_triggers(engine))
    prev = GENESIS
    with engine.connect() as db:
        rows = db.execution_options(stream_results=True, yield_per=1000).execute(sa.select(audit_log).order_by(audit_log.c.id))
        for row in rows.mappings():
            result.rows += 1
            if row["prev_hash"] != prev:
                result.broken.append(f"row {row['id']}: does not follow the row before it (a row was removed or inserted)")
            elif row["row_hash"] != row_hash(prev, dict(row)):
                result.broken.append(f"row {row['id']}: its content does not match its hash (it was changed)")
            prev = result.last_hash = row["row_hash"]
            if len(result.broken) >= max_reported:
                result.broken.append("(more not shown)")
                break
    return result


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
