"""One patient message in, the bot's replies out: triage, Rasa, escalation, persistence.

Safety decisions are made here, not in Rasa alone: the deterministic red-flag detector runs on
every message, its flag is stored before Rasa is even asked, and an escalation is never taken
back by a later message.
"""
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from bot import escalation, procedures, texts, triage
from bot.rasa_client import RasaClient, RasaReply, RasaUnavailable
from bot.store import Conversation, Store

log = logging.getLogger(__name__)


class ConversationNotFound(Exception):
    """Unknown conversation, or one that belongs to another patient (both look the same)."""


@dataclass
class ChatResult:
    conversation_id: str
    replies: List[str]
    escalation: Optional[Dict[str, Any]]
    sources: List[Dict[str, str]] = field(default_factory=list)

    def as_contract(self) -> Dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "replies": [{"text": t} for t in self.replies],
            "escalation": self.escalation,
            "sources": self.sources,
        }


class ChatService:
    def __init__(self, store: Store, rasa: RasaClient):
        self.store = store
        self.rasa = rasa

    def conversation_for(self, patient_id: str, conversation_id: Optional[str], procedure: Optional[str]) -> Conversation:
        if conversation_id is None:
            return self.store.create_conversation(patient_id, procedures.normalize(procedure))
        conv = self.store.get_conversation(conversation_id)
        if conv is None or conv.patient_id != patient_id:
            raise ConversationNotFound(conversation_id)
        return conv

    def transcript(self, patient_id: str, conversation_id: str) -> List[Dict[str, Any]]:
        self.conversation_for(patient_id, conversation_id, None)
        return self.store.transcript(conversation_id)

    def _record(self, conv: Conversation, text: str, procedure: Optional[str]):
        """Layer 1: the treatment, the patient's message and the red-flag decision, stored (with
        the flag) before anything else can fail."""
        proc = procedures.normalize(procedure) or next(iter(procedures.mentioned(text)), None) or conv.procedure or procedures.hinted(text)
        if proc and proc != conv.procedure:
            self.store.set_procedure(conv.id, proc)
        decision = triage.decide(text, proc, watching=conv.watching)
        message_id = self.store.add_message(conv.id, "patient", text)
        if decision.escalate:
            spans = [_span(f, "red_flag") for f in decision.detector.alarms] or [{"category": r, "layer": "red_flag", "rule": "persisting"} for r in decision.reasons]
            self.store.flag(conv.id, message_id, decision.reasons, spans)
        if set(decision.watch) - set(conv.watching):
            self.store.watch(conv.id, list(set(conv.watching) | set(decision.watch)))
        return proc, decision, message_id

    def handle_refused(self, patient_id: str, conversation_id: Optional[str], text: str, procedure: Optional[str], notice: str) -> ChatResult:
        """A message that is not answered (too long, unreadable characters, too many messages: see
        bot/intake.py, bot/rate_limit.py) is not sent to Rasa, but it is stored and triaged like any
        other: an alarm in it escalates. ``notice`` (Dutch) tells the patient why, after the
        contact advice."""
        conv = self.conversation_for(patient_id, conversation_id, procedure)
        proc, decision, _ = self._record(conv, text, procedure)
        now = self.store.get_conversation(conv.id)
        new_reasons = [r for r in decision.reasons if r not in conv.reasons]
        if new_reasons:
            replies = escalation.contact_messages(new_reasons, proc)
        else:
            replies = [escalation.reminder(proc)] if now.escalated else []
        replies.append(notice)
        esc = escalation.escalation(now.reasons, proc) if now.escalated else None
        self.store.add_message(conv.id, "bot", "\n\n".join(replies), {"escalation": esc, "sources": []})
        return ChatResult(conv.id, replies, esc, [])

    def handle(self, patient_id: str, conversation_id: Optional[str], text: str, procedure: Optional[str]) -> ChatResult:
        conv = self.conversation_for(patient_id, conversation_id, procedure)
        proc_before = conv.procedure
        proc, decision, message_id = self._record(conv, text, procedure)

        # Layer 2: Rasa (NLU alarm intents, aftercare answers).
        rasa: Optional[RasaReply]
        try:
            rasa = self.rasa.send(conv.id, text, {"procedure": proc})
        except RasaUnavailable as exc:
            log.warning("rasa unavailable (%s); using the fail-safe reply", exc)
            rasa = None
        rasa_reasons = list((rasa.escalation or {}).get("reasons", [])) if rasa else []
        extra = [r for r in rasa_reasons if r not in decision.reasons]
        if extra:
            self.store.flag(conv.id, message_id, extra, [dict(s, layer="rasa") for s in rasa.alarm_spans] or [{"category": r, "layer": "rasa"} for r in extra])

        now = self.store.get_conversation(conv.id)
        new_reasons = [r for r in decision.reasons + rasa_reasons if r not in conv.reasons]
        replies, sources = self._compose(conv, now, proc, proc_before, new_reasons, rasa)
        esc = escalation.escalation(now.reasons, proc) if now.escalated else None
        self.store.add_message(conv.id, "bot", "\n\n".join(replies), {"escalation": esc, "sources": sources})
        return ChatResult(conv.id, replies, esc, sources)

    @staticmethod
    def _compose(before: Conversation, now: Conversation, proc: Optional[str], proc_before: Optional[str], new_reasons: List[str], rasa: Optional[RasaReply]):
        rasa_texts = rasa.texts if rasa else []
        sources = rasa.sources if rasa else []
        if new_reasons:
            if rasa and rasa.escalation:
                return rasa_texts, []  # Rasa's action already gave the contact advice (same texts)
            return escalation.contact_messages(new_reasons, proc), []
        if now.escalated:
            if proc and not proc_before and before.escalated:
                # The patient told us the treatment after an alarm: now the specific contact.
                return escalation.contact_messages(now.reasons, proc), []
            if rasa and rasa.escalation:
                return rasa_texts, []  # Rasa repeated the contact advice itself
            return rasa_texts + [escalation.reminder(proc)], sources
        if rasa is None:
            return [texts.get("fail_safe")], []
        return rasa_texts or [texts.get("fail_safe")], sources


def _span(finding: triage.Finding, layer: str) -> Dict[str, Any]:
    return {"category": finding.category, "start": finding.start, "end": finding.end, "text": finding.text, "layer": layer}
