"""Nurses' review of flagged conversations: the queue, status changes, "bot was wrong" feedback and
flags set by hand.

The review status is kept on the flags (bot/store.py ``flags.status``): a conversation's status is
that of its least advanced flag, so a new alarm after a conversation was closed puts it back in
the queue as new. The history of actions (with notes) is in ``review_events``; feedback for
retraining (issue 7) in ``review_feedback``. Both have a ``conversation_id`` so the retention purge
deletes them with the conversation. Neither has a foreign key, so the purge's order does not matter.
"""
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.store import as_utc, conversations, flags, hospital_day_start, messages, metadata, red_flag_questions, utc_now
from bot.triage import categories as definitions

STATUSES = ("new", "in_progress", "contacted", "closed")
FEEDBACK_KINDS = ("missed_alarm", "false_alarm", "wrong_answer")
# Which action moves to which status (a closed conversation can be taken again).
ACTIONS = {"take": "in_progress", "contacted": "contacted", "close": "closed"}

review_events = sa.Table(
    "review_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),  # take | contacted | close | feedback | manual_flag
    sa.Column("status", sa.String(16)),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

review_feedback = sa.Table(
    "review_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("message_id", sa.Integer),  # the patient message (or bot reply) it is about, if one
    sa.Column("kind", sa.String(16), nullable=False),  # missed_alarm | false_alarm | wrong_answer
    sa.Column("correct_label", sa.String(64), nullable=False),  # alarm category, "no_alarm", or the right topic
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

MAX_NOTE_CHARS = 2000
PAGE_SIZE = 50
# A patient's conversations beyond this many (in queue order) come after every other patient's of
# the same status: one patient flooding alarms cannot push other patients' alarms off page 1.
PER_PATIENT_AHEAD = 3


class ReviewError(Exception):
    """Unknown conversation, invalid status or label: an English message for developers and logs,
    and a ``key`` (with ``params``) into data/staff_texts.yml ``errors`` for the Dutch page text."""

    def __init__(self, message: str, key: str, **params: Any):
        super().__init__(message)
        self.key, self.params = key, params


@dataclass
class QueueItem:
    conversation_id: str
    patient_id: str
    procedure: Optional[str]
    categories: List[str]
    status: str
    flagged_at: datetime  # the latest flag
    urgency: int


@dataclass
class Filters:
    status: str = "open"  # open (= not closed) | all | one of STATUSES
    category: Optional[str] = None
    since: Optional[date] = None  # latest flag on or after this day (the hospital's clock)
    until: Optional[date] = None  # ... on or before this day
    # One patient's conversations, the unflagged ones too (status "unflagged"): to flag a message by hand.
    patient_id: Optional[str] = None

    def as_dict(self) -> Dict[str, Any]:
        return {"status": self.status, "category": self.category, "since": self.since and self.since.isoformat(),
                "until": self.until and self.until.isoformat(), "patient_id": self.patient_id}


@dataclass
class QueuePage:
    items: List[QueueItem]
    total: int  # all conversations the filters select
    page: int  # 1-based
    pages: int


@dataclass
class ConversationView:
    id: str
    patient_id: str
    procedure: Optional[str]
    status: str
    categories: List[str]
    messages: List[Dict[str, Any]]  # sender, text, created_at, pieces [(text, category or None)], escalation, flags
    events: List[Dict[str, Any]] = field(default_factory=list)
    feedback: List[Dict[str, Any]] = field(default_factory=list)




def _least_advanced(statuses: List[str]) -> str:
    return min(statuses, key=lambda s: STATUSES.index(s) if s in STATUSES else 0)


def answer_topics() -> Dict[str, str]:
    """The bot's answer topics (data/topics.yml) with their Dutch description: the correct label of
    a wrong answer, which the feedback export maps to the intent ask_<topic>."""
    from bot import paths, yamldata

    return dict(yamldata.load(paths.DATA / "topics.yml")["topics"])


def alarm_categories() -> List[str]:
    """The alarm categories (data/triage/categories.yml): a missed alarm or a manual flag names one."""
    return definitions.codes()


def queue_categories() -> List[str]:
    """What the queue can filter on: the alarm categories, then the notices (another language, a
    red-flag question asked)."""
    return definitions.codes() + definitions.notice_codes()


def urgency(flagged: List[str]) -> int:
    """Higher is more urgent (data/triage/categories.yml `urgency`): the worst category counts most,
    then how many alarms there are; a notice alone is least urgent."""
    return definitions.urgency(flagged)


def queue_page(engine: Engine, filters: Filters, page: int = 1, per_page: int = PAGE_SIZE) -> QueuePage:
    """One page of the queue, with the total; a page past the last one shows the last."""
    items = queue(engine, filters)
    pages = max(1, -(-len(items) // per_page))
    page = min(max(1, page), pages)
    return QueuePage(items[(page - 1) * per_page:page * per_page], len(items), page, pages)


def queue(engine: Engine, filters: Filters) -> List[QueueItem]:
    """Flagged conversations: status new first, then the most urgent, then the newest flag; a
    patient's conversations beyond PER_PATIENT_AHEAD after those of other patients."""
    query = (
        sa.select(flags.c.conversation_id, flags.c.categories, flags.c.status, flags.c.created_at,
                  conversations.c.patient_id, conversations.c.procedure)
        .join(conversations, conversations.c.id == flags.c.conversation_id)
    )
    if filters.patient_id:
        query = query.where(conversations.c.patient_id == filters.patient_id)
    grouped: Dict[str, Dict[str, Any]] = {}
    with engine.connect() as db:
        if filters.patient_id:
            for row in db.execute(sa.select(conversations).where(conversations.c.patient_id == filters.patient_id)).mappings():
                grouped[row["id"]] = {"patient_id": row["patient_id"], "procedure": row["procedure"], "categories": [],
                                      "statuses": [], "latest": as_utc(row["created_at"])}
        for row in db.execute(query).mappings():
            item = grouped.setdefault(row["conversation_id"], {"patient_id": row["patient_id"], "procedure": row["procedure"],
                                                                "categories": [], "statuses": [], "latest": None})
            item["categories"] += [c for c in json.loads(row["categories"]) if c not in item["categories"]]
            item["statuses"].append(row["status"])
            at = as_utc(row["created_at"])
            item["latest"] = max(item["latest"], at) if item["latest"] else at
    items = [
        QueueItem(conv_id, g["patient_id"], g["procedure"], g["categories"],
                  _least_advanced(g["statuses"]) if g["statuses"] else "unflagged", g["latest"], urgency(g["categories"]))
        for conv_id, g in grouped.items()
    ]
    if filters.status == "open" and not filters.patient_id:
        items = [i for i in items if i.status != "closed"]
    elif filters.status in STATUSES:
        items = [i for i in items if i.status == filters.status]
    if filters.category:
        items = [i for i in items if filters.category in i.categories]
    if filters.since:  # days on the hospital's clock
        start = hospital_day_start(filters.since)
        items = [i for i in items if i.flagged_at >= start]
    if filters.until:
        end = hospital_day_start(filters.until + timedelta(days=1))
        items = [i for i in items if i.flagged_at < end]
    items.sort(key=lambda i: (i.status != "new", -i.urgency, -i.flagged_at.timestamp()))
    rank: Dict[tuple, int] = {}
    ahead: Dict[str, bool] = {}
    for i in items:  # the how-manieth of its patient's conversations (of this status group) this one is
        group = (i.patient_id, i.status == "new")
        ahead[i.conversation_id] = rank.get(group, 0) < PER_PATIENT_AHEAD
        rank[group] = rank.get(group, 0) + 1
    items.sort(key=lambda i: (i.status != "new", not ahead[i.conversation_id]))  # stable: the order above within each part
    return items


def split_spans(text: str, spans: List[Dict[str, Any]]) -> List[tuple]:
    """The text in pieces ``(piece, category or None)``, the alarm spans as their own pieces: the
    template marks them and escapes every piece. Spans without valid offsets (Rasa's, or ones
    outside the text) are matched by their text instead, or left out."""
    marks = []
    for span in spans:
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) and text[start:end] == span.get("text", text[start:end])):
            found = text.lower().find(str(span.get("text") or "").lower()) if span.get("text") else -1
            if found < 0:
                continue
            start, end = found, found + len(span["text"])
        marks.append((start, end, span.get("category")))
    pieces, position = [], 0
    for start, end, category in sorted(marks):
        if start < position:  # overlapping: extend the previous mark instead of cutting it
            if end > position:
                last_text, last_cat = pieces[-1]
                pieces[-1] = (last_text + text[position:end], last_cat)
                position = end
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], category))
        position = end
    if position < len(text) or not pieces:
        pieces.append((text[position:], None))
    return pieces


def conversation(engine: Engine, conversation_id: str) -> ConversationView:
    with engine.connect() as db:
        conv = db.execute(sa.select(conversations).where(conversations.c.id == conversation_id)).mappings().first()
        if conv is None:
            raise ReviewError("conversation not found", "conversation_not_found")
        rows = db.execute(sa.select(messages).where(messages.c.conversation_id == conversation_id).order_by(messages.c.id)).mappings().all()
        flag_rows = db.execute(sa.select(flags).where(flags.c.conversation_id == conversation_id).order_by(flags.c.id)).mappings().all()
        events = db.execute(sa.select(review_events).where(review_events.c.conversation_id == conversation_id).order_by(review_events.c.id)).mappings().all()
        feedback = db.execute(sa.select(review_feedback).where(review_feedback.c.conversation_id == conversation_id).order_by(review_feedback.c.id)).mappings().all()
        asked = {q["asked_message_id"]: q for q in db.execute(
            sa.select(red_flag_questions).where(red_flag_questions.c.conversation_id == conversation_id)).mappings().all()}
    alarms = set(definitions.codes())
    by_message: Dict[int, List[Dict[str, Any]]] = {}
    for f in flag_rows:
        by_message.setdefault(f["message_id"], []).append({"categories": json.loads(f["categories"]), "spans": json.loads(f["spans"]), "status": f["status"]})
    shown = []
    for m in rows:
        message_flags = by_message.get(m["id"], [])
        spans = [s for f in message_flags for s in f["spans"]]
        payload = json.loads(m["payload"] or "{}")
        shown.append({
            "id": m["id"], "sender": m["sender"], "text": m["text"], "created_at": as_utc(m["created_at"]),
            "pieces": split_spans(m["text"], spans) if m["sender"] == "patient" else [(m["text"], None)],
            "flag_categories": [c for f in message_flags for c in f["categories"]],
            "alarm_flagged": any(c in alarms for f in message_flags for c in f["categories"]),
            "escalation": payload.get("escalation"), "sources": payload.get("sources", []),
            # the red-flag question this bot message asked, with the patient's answer
            "question": {"category": asked[m["id"]]["category"], "answer": asked[m["id"]]["answer"] or "pending"} if m["id"] in asked else None,
            "language": payload.get("language") if m["sender"] == "patient" and payload.get("language") not in (None, "nl") else None,
        })
    categories = []
    for f in flag_rows:
        categories += [c for c in json.loads(f["categories"]) if c not in categories]
    status = _least_advanced([f["status"] for f in flag_rows]) if flag_rows else "unflagged"
    return ConversationView(
        conv["id"], conv["patient_id"], conv["procedure"], status, categories, shown,
        [dict(e, created_at=as_utc(e["created_at"])) for e in events], [dict(f, created_at=as_utc(f["created_at"])) for f in feedback],
    )


def _patient_of(db, conversation_id: str) -> str:
    row = db.execute(sa.select(conversations.c.patient_id).where(conversations.c.id == conversation_id)).first()
    if row is None:
        raise ReviewError("conversation not found", "conversation_not_found")
    return row.patient_id


def _note(note: Optional[str]) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ReviewError(f"note is longer than {MAX_NOTE_CHARS} characters", "note_too_long", limit=MAX_NOTE_CHARS)
    return note


def change_status(engine: Engine, conversation_id: str, action: str, actor: str, note: Optional[str] = None) -> str:
    """take | contacted | close (close needs a note). Moves every flag of the conversation that is
    not closed yet to the new status; returns the new status."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}", "unknown_action")
    note = _note(note)
    if action == "close" and not note:
        raise ReviewError("closing needs a note: what was done", "close_needs_note")
    status = ACTIONS[action]
    with engine.begin() as db:
        _patient_of(db, conversation_id)
        has_flags = db.execute(sa.select(sa.func.count()).select_from(flags).where(flags.c.conversation_id == conversation_id)).scalar_one()
        if not has_flags:
            raise ReviewError("this conversation has no flag to review", "no_flag")
        # Taking a closed conversation opens it again, so every flag moves on a take.
        moving = flags.c.conversation_id == conversation_id
        if action != "take":
            moving = sa.and_(moving, flags.c.status != "closed")
        db.execute(flags.update().where(moving).values(status=status))
        db.execute(review_events.insert().values(conversation_id=conversation_id, actor=actor, action=action, status=status, note=note, created_at=utc_now()))
    return status


def record_feedback(engine: Engine, conversation_id: str, kind: str, correct_label: str, actor: str,
                    message_id: Optional[int] = None, note: Optional[str] = None) -> None:
    """'The bot was wrong': a missed alarm (correct_label = the category), a false alarm
    (correct_label = "no_alarm") or a wrong answer (correct_label = the right topic)."""
    if kind not in FEEDBACK_KINDS:
        raise ReviewError(f"unknown feedback kind {kind!r}", "unknown_kind")
    correct_label = (correct_label or "").strip()
    if kind == "missed_alarm" and correct_label not in alarm_categories():
        raise ReviewError(f"a missed alarm needs its category: one of {', '.join(alarm_categories())}", "missed_needs_category",
                          categories=alarm_categories())
    if kind == "false_alarm":
        correct_label = correct_label or "no_alarm"
    if not correct_label or len(correct_label) > 64:
        raise ReviewError("give the correct label (at most 64 characters)", "label_required")
    note = _note(note)
    with engine.begin() as db:
        _patient_of(db, conversation_id)
        if message_id is not None and not db.execute(
            sa.select(messages.c.id).where(messages.c.id == message_id, messages.c.conversation_id == conversation_id)
        ).first():
            raise ReviewError("that message is not part of this conversation", "message_not_in_conversation")
        db.execute(review_feedback.insert().values(
            conversation_id=conversation_id, message_id=message_id, kind=kind, correct_label=correct_label, note=note, actor=actor, created_at=utc_now()))
        db.execute(review_events.insert().values(
            conversation_id=conversation_id, actor=actor, action="feedback", status=None, note=f"{kind}: {correct_label}" + (f" — {note}" if note else ""), created_at=utc_now()))


def flag_by_hand(engine: Engine, conversation_id: str, message_id: int, category: str, actor: str, note: Optional[str] = None) -> None:
    """A nurse flags a patient message the bot did not flag. It joins the queue (status in
    progress: the nurse is on it) and counts as a missed alarm for retraining. The conversation's
    escalation towards the patient is left as it is: the nurse contacts the patient herself."""
    if category not in alarm_categories():
        raise ReviewError(f"category must be one of {', '.join(alarm_categories())}", "unknown_category", categories=alarm_categories())
    note = _note(note)
    now = utc_now()
    with engine.begin() as db:
        _patient_of(db, conversation_id)
        row = db.execute(sa.select(messages.c.text, messages.c.sender).where(messages.c.id == message_id, messages.c.conversation_id == conversation_id)).first()
        if row is None or row.sender != "patient":
            raise ReviewError("only a patient message of this conversation can be flagged", "only_patient_message")
        span = {"category": category, "start": 0, "end": len(row.text), "text": row.text, "layer": "nurse", "by": actor}
        db.execute(flags.insert().values(conversation_id=conversation_id, message_id=message_id, categories=json.dumps([category]),
                                         spans=json.dumps([span]), status="in_progress", created_at=now))
        db.execute(review_feedback.insert().values(conversation_id=conversation_id, message_id=message_id, kind="missed_alarm",
                                                   correct_label=category, note=note, actor=actor, created_at=now))
        db.execute(review_events.insert().values(conversation_id=conversation_id, actor=actor, action="manual_flag", status="in_progress",
                                                 note=f"{category}" + (f" — {note}" if note else ""), created_at=now))


def feedback_rows(engine: Engine) -> List[Dict[str, Any]]:
    """All "bot was wrong" feedback with the message text, for the retraining export (issue 7)."""
    query = (
        sa.select(review_feedback, messages.c.text, messages.c.sender)
        .join(messages, messages.c.id == review_feedback.c.message_id, isouter=True)
        .order_by(review_feedback.c.id)
    )
    with engine.connect() as db:
        return [dict(r) for r in db.execute(query).mappings()]
