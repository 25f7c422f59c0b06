"""The API's own records: who owns which conversation, its transcript, and nurse-review flags.

Rasa keeps its dialogue state in its own tracker store; these tables add what Rasa does not know:
the patient behind a conversation, the fail-safe replies sent while Rasa was down, and the flags.
"""
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

metadata = sa.MetaData()

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("patient_id", sa.String(128), nullable=False, index=True),
    sa.Column("procedure", sa.String(32)),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
    sa.Column("escalation_reasons", sa.Text, nullable=False, default="[]"),
    # harmless effects reported earlier, which become alarms if a later message says they persist
    sa.Column("watch_categories", sa.Text, nullable=False, default="[]"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False, index=True),
    sa.Column("sender", sa.String(16), nullable=False),  # patient | bot
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False, default="{}"),  # escalation, sources (JSON)
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

flags = sa.Table(
    "flags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False, index=True),
    sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id"), nullable=False),
    sa.Column("categories", sa.Text, nullable=False),  # JSON list
    sa.Column("spans", sa.Text, nullable=False),  # JSON list of {category, start, end, text, layer}
    sa.Column("status", sa.String(16), nullable=False, default="new"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


# The red-flag questions the bot asked when a message touched a red-flag area and neither triage
# layer was sure (bot/red_flags.py), and the patient's answer: "yes" escalates, "no" is remembered
# so the same question is not asked again, "other" when the next message was no answer.
red_flag_questions = sa.Table(
    "red_flag_questions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("asked_message_id", sa.Integer, nullable=False),  # the bot's message with the question
    sa.Column("answer", sa.String(8)),  # yes | no | other; NULL while pending
    sa.Column("answer_message_id", sa.Integer),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True)),
)


@dataclass(frozen=True)
class Question:
    id: int
    category: str
    answer: Optional[str]


_SCHEMA_LOCK_KEY = 0x5B1E_C4A7  # any constant shared by the API processes


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: Optional[datetime]) -> Optional[datetime]:
    """A stored time as an aware UTC datetime: SQLite hands back naive ones (stored in UTC),
    PostgreSQL aware ones."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def hospital_zone() -> tzinfo:
    from zoneinfo import ZoneInfo

    from bot.settings import get_settings

    return ZoneInfo(get_settings().hospital_time_zone)


def hospital_time(value: datetime) -> datetime:
    """A stored (UTC) time as the hospital's clock shows it (Europe/Amsterdam: summer and winter time)."""
    return as_utc(value).astimezone(hospital_zone())  # type: ignore[union-attr]


def hospital_day_start(day: date) -> datetime:
    """Midnight of a day on the hospital's clock, in UTC (for "from ... to ..." date filters)."""
    return datetime.combine(day, time.min, hospital_zone()).astimezone(timezone.utc)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@dataclass(frozen=True)
class Conversation:
    id: str
    patient_id: str
    procedure: Optional[str]
    escalated: bool
    reasons: List[str]
    watching: List[str] = field(default_factory=list)


class Store:
    def __init__(self, database_url: str):
        if database_url.startswith("sqlite"):
            # SQLAlchemy 1.4 opens a new SQLite connection per operation (NullPool); pooled ones
            # in WAL mode halve the cost of a message (`python -m bot bench`). synchronous=FULL
            # keeps every commit on disk before the API answers; WAL lets readers not wait for a writer.
            self.engine: Engine = sa.create_engine(
                database_url, future=True, poolclass=sa.pool.QueuePool, pool_size=5, max_overflow=15,
                connect_args={"check_same_thread": False, "timeout": 15},
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = sa.create_engine(database_url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": 10})

    def create_schema(self) -> None:
        with self.engine.begin() as db:
            if db.dialect.name == "postgresql":
                # Several API processes start at once in production; concurrent CREATE TABLEs of
                # the same name collide in PostgreSQL, so they take turns (lock held until commit).
                db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            metadata.create_all(db)

    def dispose(self) -> None:
        self.engine.dispose()

    # conversations
    def create_conversation(self, patient_id: str, procedure: Optional[str]) -> Conversation:
        conv_id = uuid.uuid4().hex
        now = utc_now()
        with self.engine.begin() as db:
            db.execute(
                conversations.insert().values(
                    id=conv_id, patient_id=patient_id, procedure=procedure, escalation_reasons="[]", watch_categories="[]",
                    created_at=now, updated_at=now,
                )
            )
        return Conversation(conv_id, patient_id, procedure, False, [])

    def latest_conversations(self, patient_id: str, since: datetime, how_many: int) -> List[str]:
        """Ids of the patient's conversations started after ``since``, newest first, at most ``how_many``."""
        query = (sa.select(conversations.c.id).where(conversations.c.patient_id == patient_id, conversations.c.created_at > since)
                 .order_by(conversations.c.created_at.desc()).limit(how_many))
        with self.engine.connect() as db:
            return list(db.execute(query).scalars())

    def get_conversation(self, conv_id: str) -> Optional[Conversation]:
        with self.engine.connect() as db:
            row = db.execute(sa.select(conversations).where(conversations.c.id == conv_id)).mappings().first()
        if row is None:
            return None
        return Conversation(
            row["id"], row["patient_id"], row["procedure"], row["escalated_at"] is not None,
            json.loads(row["escalation_reasons"]), json.loads(row["watch_categories"]),
        )

    def set_procedure(self, conv_id: str, procedure: str) -> None:
        with self.engine.begin() as db:
            db.execute(conversations.update().where(conversations.c.id == conv_id).values(procedure=procedure, updated_at=utc_now()))

    def watch(self, conv_id: str, categories: List[str]) -> None:
        with self.engine.begin() as db:
            db.execute(conversations.update().where(conversations.c.id == conv_id).values(watch_categories=json.dumps(sorted(categories))))

    # messages and flags
    def add_message(self, conv_id: str, sender: str, text: str, payload: Optional[Dict[str, Any]] = None) -> int:
        now = utc_now()
        with self.engine.begin() as db:
            result = db.execute(
                messages.insert().values(
                    conversation_id=conv_id, sender=sender, text=text, payload=json.dumps(payload or {}), created_at=now
                )
            )
            db.execute(conversations.update().where(conversations.c.id == conv_id).values(updated_at=now))
            return int(result.inserted_primary_key[0])

    def flag(self, conv_id: str, message_id: int, reasons: List[str], spans: List[Dict[str, Any]], escalate: bool = True) -> None:
        """Record an escalation for nurse review; the conversation stays escalated for good.
        ``escalate=False``: a notice (another language, a red-flag question asked) that puts the
        conversation in the nurses' queue without escalating it."""
        now = utc_now()
        if not escalate:
            with self.engine.begin() as db:
                db.execute(flags.insert().values(conversation_id=conv_id, message_id=message_id, categories=json.dumps(reasons),
                                                 spans=json.dumps(spans), status="new", created_at=now))
            return
        with self.engine.begin() as db:
            row = db.execute(
                sa.select(conversations.c.escalated_at, conversations.c.escalation_reasons)
                .where(conversations.c.id == conv_id)
                .with_for_update()
            ).first()
            known = json.loads(row.escalation_reasons)
            merged = known + [r for r in reasons if r not in known]
            db.execute(
                conversations.update()
                .where(conversations.c.id == conv_id)
                .values(escalated_at=row.escalated_at or now, escalation_reasons=json.dumps(merged), updated_at=now)
            )
            db.execute(
                flags.insert().values(
                    conversation_id=conv_id, message_id=message_id, categories=json.dumps(reasons), spans=json.dumps(spans), status="new", created_at=now
                )
            )

    def transcript(self, conv_id: str) -> List[Dict[str, Any]]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(messages).where(messages.c.conversation_id == conv_id).order_by(messages.c.id)).mappings().all()
        return [
            {"sender": r["sender"], "text": r["text"], "created_at": r["created_at"].isoformat(), **json.loads(r["payload"])}
            for r in rows
        ]

    def last_bot_payload(self, conv_id: str) -> Dict[str, Any]:
        """The payload of the bot's last message in the conversation ({} when there is none)."""
        with self.engine.connect() as db:
            raw = db.execute(
                sa.select(messages.c.payload).where(messages.c.conversation_id == conv_id, messages.c.sender == "bot")
                .order_by(messages.c.id.desc()).limit(1)
            ).scalar()
        return json.loads(raw) if raw else {}

    def previous_patient_text(self, conv_id: str, before_message_id: int) -> Optional[str]:
        """The patient's message before this one, if any."""
        with self.engine.connect() as db:
            return db.execute(
                sa.select(messages.c.text).where(messages.c.conversation_id == conv_id, messages.c.sender == "patient",
                                                 messages.c.id < before_message_id).order_by(messages.c.id.desc()).limit(1)
            ).scalar()

    def has_flag(self, conv_id: str, category: str) -> bool:
        """Whether any flag of the conversation names this category (alarm or notice)."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(flags.c.categories).where(flags.c.conversation_id == conv_id)).scalars().all()
        return any(category in json.loads(row) for row in rows)

    # red-flag questions
    def ask_question(self, conv_id: str, category: str, asked_message_id: int) -> None:
        with self.engine.begin() as db:
            db.execute(red_flag_questions.insert().values(conversation_id=conv_id, category=category,
                                                          asked_message_id=asked_message_id, created_at=utc_now()))

    def questions(self, conv_id: str) -> List[Question]:
        """The conversation's red-flag questions, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(red_flag_questions).where(red_flag_questions.c.conversation_id == conv_id)
                              .order_by(red_flag_questions.c.id)).mappings().all()
        return [Question(r["id"], r["category"], r["answer"]) for r in rows]

    def answer_question(self, question_id: int, answer: str, answer_message_id: int) -> None:
        with self.engine.begin() as db:
            db.execute(red_flag_questions.update().where(red_flag_questions.c.id == question_id, red_flag_questions.c.answer.is_(None))
                       .values(answer=answer, answer_message_id=answer_message_id, answered_at=utc_now()))

    def flags_for(self, conv_id: str) -> List[Dict[str, Any]]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(flags).where(flags.c.conversation_id == conv_id).order_by(flags.c.id)).mappings().all()
        return [{"message_id": r["message_id"], "categories": json.loads(r["categories"]), "spans": json.loads(r["spans"]), "status": r["status"]} for r in rows]
