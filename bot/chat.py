"""One patient message in, the bot's replies out: triage, Rasa, escalation, persistence.

Safety decisions are made here, not in Rasa alone: the deterministic red-flag detector runs on
every message, its flag is stored before Rasa is even asked, and an escalation is never taken
back by a later message. The message's language decides the language of the safety texts. A
message in another language than Dutch or English gets the escalation or the safety net in that
language, and goes to the nurses; when the bot has a glossary for it (German, Polish, Turkish), its
word-by-word Dutch gloss also goes to Rasa, and a question is answered from the leaflet in Dutch,
after a line in the patient's language that says so and what to do about an alarm (bot/glossary.py).
When a message touches a red-flag area and neither layer is sure, the bot asks (bot/red_flags.py).
"""
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Dict, List, Optional, Tuple

from bot import buttons as bot_buttons
from bot import answering, contacts, escalation, glossary, language, procedures, red_flags, texts, triage
from bot.conversation_lock import ConversationLocks
from bot.intake import Refusal
from bot.rasa_client import RasaClient, RasaReply, RasaUnavailable, as_text
from bot.store import Conversation, Question, Store, utc_now

log = logging.getLogger(__name__)
ANSWERED_IN = ("nl", "en")  # languages whose messages Rasa answers (the answers are Dutch)


class ConversationNotFound(Exception):
    """Unknown conversation, or one that belongs to another patient (both look the same)."""


@dataclass
class ChatResult:
    conversation_id: str
    replies: List[str]
    escalation: Optional[Dict[str, Any]]
    sources: List[Dict[str, str]] = field(default_factory=list)
    buttons: List[Dict[str, str]] = field(default_factory=list)  # on the last reply: the red-flag question's answers
    refusal: Optional[Refusal] = None  # stored and triaged, not answered: why

    def as_contract(self) -> Dict[str, Any]:
        replies: List[Dict[str, Any]] = [{"text": t} for t in self.replies]
        if self.buttons and replies:
            replies[-1]["buttons"] = self.buttons
        contract: Dict[str, Any] = {
            "conversation_id": self.conversation_id,
            "replies": replies,
            "escalation": self.escalation,
            "sources": self.sources,
        }
        if self.refusal:
            contract.update(notice=self.refusal.notice, refused=self.refusal.reason, detail=self.refusal.detail)
        return contract


@dataclass
class _Turn:
    """What one patient message led to, before the replies are composed."""

    conv: Conversation  # as it was before this message
    proc: Optional[str]
    lang: str
    decision: triage.Decision
    message_id: int
    answer: Optional[str] = None  # the patient's answer to a pending red-flag question
    questions: List[Question] = field(default_factory=list)
    metadata: Dict[str, Any] = field(default_factory=dict)  # for Rasa: what bot/procedures.py `resolve` needs
    resolution: Optional[procedures.Resolution] = None


class ChatService:
    """``locks``: one turn at a time per conversation (bot/conversation_lock.py); by default an
    in-process lock, which is enough for one API process. ``new_per_hour``: new conversations a
    patient may start in an hour; more go on in the latest one (a flood cannot fill the nurses' queue)."""

    def __init__(self, store: Store, rasa: RasaClient, locks: Optional[ConversationLocks] = None, new_per_hour: int = 10):
        self.store = store
        self.rasa = rasa
        self.locks = locks or ConversationLocks(None, lease_seconds=60.0, wait_seconds=30.0)
        self.new_per_hour = new_per_hour

    def conversation_for(self, patient_id: str, conversation_id: Optional[str], procedure: Optional[str]) -> Conversation:
        if conversation_id is None:
            recent = self.store.latest_conversations(patient_id, utc_now() - timedelta(hours=1), self.new_per_hour)
            if len(recent) >= self.new_per_hour:
                log.info("new-conversation limit reached; the message goes on in the patient's latest conversation")
                return self.store.get_conversation(recent[0])  # type: ignore[return-value]  # it exists: just read
            return self.store.create_conversation(patient_id, procedures.normalize(procedure))
        conv = self.store.get_conversation(conversation_id)
        if conv is None or conv.patient_id != patient_id:
            raise ConversationNotFound(conversation_id)
        return conv

    def transcript(self, patient_id: str, conversation_id: str) -> List[Dict[str, Any]]:
        self.conversation_for(patient_id, conversation_id, None)
        return self.store.transcript(conversation_id)

    def _record(self, conv: Conversation, text: str, procedure: Optional[str]) -> _Turn:
        """Layer 1: the treatment, the patient's message and the red-flag decision, stored (with
        the flag) before anything else can fail. A "ja" to a pending red-flag question escalates here."""
        resolution = procedures.resolve(text, portal=procedure, known=conv.procedure, for_answers=False)
        proc = resolution.own  # the patient's own treatment for triage and contacts, else the one the message points to
        if resolution.remembered and resolution.remembered != conv.procedure:
            self.store.set_procedure(conv.id, resolution.remembered)
        lang = language.detect(text).code
        decision = triage.decide(text, proc, watching=conv.watching, language=lang)
        message_id = self.store.add_message(conv.id, "patient", text, {"language": lang})
        if decision.escalate:
            spans = [_span(f, "red_flag") for f in decision.detector.alarms] or [{"category": r, "layer": "red_flag", "rule": "persisting"} for r in decision.reasons]
            self.store.flag(conv.id, message_id, decision.reasons, spans)
        if set(decision.watch) - set(conv.watching):
            self.store.watch(conv.id, list(set(conv.watching) | set(decision.watch)))
        turn = _Turn(conv, proc, lang, decision, message_id, questions=self.store.questions(conv.id),
                     metadata={"procedure": procedures.normalize(procedure), "known": conv.procedure}, resolution=resolution)
        waiting = red_flags.pending(turn.questions)
        if waiting is not None:
            turn.answer = red_flags.answer_of(text, lang)
            self.store.answer_question(waiting.id, turn.answer or red_flags.OTHER, message_id)
            if turn.answer == red_flags.YES and waiting.category not in decision.reasons:
                self.store.flag(conv.id, message_id, [waiting.category],
                                [{"category": waiting.category, "layer": "red_flag_question", "rule": "answered_yes"}])
            elif turn.answer is None and not decision.escalate:
                self._read_with_previous(turn, text)
        return turn

    def _read_with_previous(self, turn: _Turn, text: str) -> None:
        """The bot asked about an unclear message and the patient, instead of ja/nee, tells more:
        "Ik heb een doof gevoel" ... "In mijn billen en tussen mijn benen". Read the two together."""
        previous = self.store.previous_patient_text(turn.conv.id, turn.message_id)
        if not previous:
            return
        joined = triage.decide(previous + " " + text, turn.proc, watching=turn.conv.watching, language=turn.lang)
        if joined.escalate:
            self.store.flag(turn.conv.id, turn.message_id, joined.reasons,
                            [{"category": r, "layer": "red_flag", "rule": "with_previous_message"} for r in joined.reasons])
            turn.decision = joined

    def handle_refused(self, patient_id: str, conversation_id: Optional[str], text: str, procedure: Optional[str], refusal: Refusal) -> ChatResult:
        """A message that is not answered (too long, unreadable characters, too many messages: see
        bot/intake.py, bot/rate_limit.py) is not sent to Rasa, but it is stored and triaged like any
        other: an alarm in it escalates. The refusal's notice (Dutch) tells the patient why, after
        the contact advice."""
        conv = self.conversation_for(patient_id, conversation_id, procedure)
        with self.locks.hold(conv.id):  # in turn with the conversation's other messages when it can; stored either way
            return self._refused(conv, text, procedure, refusal)

    def _refused(self, conv: Conversation, text: str, procedure: Optional[str], refusal: Refusal) -> ChatResult:
        turn = self._record(conv, text, procedure)
        now = self.store.get_conversation(conv.id)
        new_reasons = [r for r in now.reasons if r not in conv.reasons]
        if new_reasons:
            replies = escalation.contact_messages(new_reasons, turn.proc, turn.lang)
        else:
            replies = [escalation.reminder(turn.proc, turn.lang)] if now.escalated else []
        replies.append(refusal.notice)
        esc = escalation.escalation(now.reasons, turn.proc) if now.escalated else None
        self.store.add_message(conv.id, "bot", "\n\n".join(replies), {"escalation": esc, "sources": []})
        return ChatResult(conv.id, replies, esc, [], refusal=refusal)

    def handle(self, patient_id: str, conversation_id: Optional[str], text: str, procedure: Optional[str]) -> ChatResult:
        conv = self.conversation_for(patient_id, conversation_id, procedure)
        with self.locks.hold(conv.id) as held:
            if held:
                # Re-read under the lock: the turn before this one may have changed it.
                return self._answer(self.store.get_conversation(conv.id) or conv, text, procedure)
        # The conversation's previous message is still being answered (or the lock is unreachable):
        # this one is stored and triaged, an alarm in it escalates, and the patient is asked to send it again.
        busy = Refusal("busy", f"no turn in this conversation within {self.locks.wait_seconds:g} s: its previous message was "
                       "still being answered, or the conversation lock (Redis) was unreachable", texts.get("busy"))
        return self._refused(conv, text, procedure, busy)

    def _answer(self, conv: Conversation, text: str, procedure: Optional[str]) -> ChatResult:
        turn = self._record(conv, text, procedure)

        rasa: Optional[RasaReply] = None
        translated = turn.lang not in ANSWERED_IN and turn.lang in glossary.translated()
        if (turn.lang in ANSWERED_IN or translated) and turn.answer is None:
            # Layer 2: Rasa (NLU alarm intents, aftercare answers).
            try:
                command = self._clicked(conv.id, text)
                if command == answering.OTHER_TOPIC_COMMAND:
                    # "Iets anders" under the topics offered: the rephrase request, for the patient's treatment
                    rasa = RasaReply(texts=answering.rephrase(turn.resolution).texts)
                else:
                    # a clicked topic goes as its command; anything typed as text, never as Rasa's command syntax
                    typed = (glossary.to_dutch(text, turn.lang) or text) if translated else text
                    rasa = self.rasa.send(conv.id, command or as_text(typed), turn.metadata)
            except RasaUnavailable as exc:
                log.warning("rasa unavailable (%s); using the fail-safe reply", exc)
            rasa_reasons = list((rasa.escalation or {}).get("reasons", [])) if rasa else []
            extra = [r for r in rasa_reasons if r not in turn.decision.reasons]
            if extra:
                self.store.flag(conv.id, turn.message_id, extra,
                                [dict(s, layer="rasa") for s in rasa.alarm_spans] or [{"category": r, "layer": "rasa"} for r in extra])

        now = self.store.get_conversation(conv.id)
        new_reasons = [r for r in now.reasons if r not in conv.reasons]
        if turn.lang not in ANSWERED_IN:
            replies, sources = self._other_language(turn, now, new_reasons, rasa)
        elif turn.answer is not None and not new_reasons:
            replies, sources = self._answered(turn, now), []
        else:
            replies, sources = self._compose(turn, now, new_reasons, rasa)

        buttons: List[Dict[str, str]] = []
        offer: Dict[str, str] = {}
        if rasa and rasa.buttons and not now.escalated and (turn.lang in ANSWERED_IN or translated):
            buttons, offer = bot_buttons.for_patient(rasa.buttons)  # the topics offered ("Bedoelt u: ...")
        ask = None if now.escalated or turn.answer is not None else red_flags.choose(turn.decision, turn.questions)
        if ask:
            question = red_flags.question(ask, turn.lang)
            replies = replies + [str(question["text"])]
            buttons, offer = list(question["buttons"]), {}  # type: ignore[arg-type]  # safety first: the red-flag question
            self.store.flag(conv.id, turn.message_id, ["red_flag_question"], [{"category": ask, "layer": "red_flag_question", "rule": "asked"}],
                            escalate=False)
        esc = escalation.escalation(now.reasons, turn.proc) if now.escalated else None
        payload: Dict[str, Any] = {"escalation": esc, "sources": sources}
        if ask:
            payload.update(buttons=buttons, red_flag_question=ask)
        elif offer:
            payload.update(buttons=buttons, offer=offer)
        bot_message = self.store.add_message(conv.id, "bot", "\n\n".join(replies), payload)
        if ask:
            self.store.ask_question(conv.id, ask, bot_message)
        return ChatResult(conv.id, replies, esc, sources, buttons)

    def _clicked(self, conv_id: str, text: str) -> Optional[str]:
        """The command of the topic button the patient clicked, if the bot's last reply offered it."""
        return bot_buttons.chosen(self.store.last_bot_payload(conv_id).get("offer"), text)

    def _other_language(self, turn: _Turn, now: Conversation, new_reasons: List[str],
                        rasa: Optional[RasaReply]) -> Tuple[List[str], List[Dict[str, str]]]:
        """Not Dutch or English: the advice in the patient's language (when the bot has it) and Dutch;
        with no alarm, Rasa's Dutch answer to the glossed question after a line that says so."""
        if not self.store.has_flag(now.id, "other_language"):
            self.store.flag(now.id, turn.message_id, ["other_language"], [{"category": "other_language", "layer": "language", "language": turn.lang}],
                            escalate=False)
        # A language the bot has no texts for: always the safety net ("I only read Dutch and English"),
        # and the escalation's advice in English and Dutch when an alarm was found.
        net = [] if language.Language(turn.lang).supported else escalation.safety_net(turn.proc, turn.lang)
        if new_reasons:
            return net + escalation.contact_messages(new_reasons, turn.proc, turn.lang), []
        if now.escalated:
            return net + [escalation.reminder(turn.proc, turn.lang)], []
        if rasa and rasa.texts and not rasa.escalation and texts.has("answers_in_dutch", turn.lang):
            return [escalation.answered_in_dutch(turn.proc, turn.lang)] + rasa.texts, rasa.sources
        return net or escalation.safety_net(turn.proc, turn.lang), []

    @staticmethod
    def _answered(turn: _Turn, now: Conversation) -> List[str]:
        """"Nee" to the red-flag question (a "ja" has escalated already)."""
        if now.escalated:
            return [escalation.reminder(turn.proc, turn.lang)]
        contact = contacts.contact_for(turn.proc)
        code = turn.lang if turn.lang in ANSWERED_IN else texts.DUTCH
        return [red_flags.after_no(escalation.contact_name(contact, code), escalation.phone_part(contact, code), code)]

    @staticmethod
    def _compose(turn: _Turn, now: Conversation, new_reasons: List[str], rasa: Optional[RasaReply]) -> Tuple[List[str], List[Dict[str, str]]]:
        before, proc, lang = turn.conv, turn.proc, turn.lang
        rasa_texts = rasa.texts if rasa else []
        sources = rasa.sources if rasa else []
        dutch = lang == texts.DUTCH
        if new_reasons:
            if dutch and rasa and rasa.escalation and set(new_reasons) <= set(rasa.escalation.get("reasons", [])):
                return rasa_texts, []  # Rasa's action already gave the contact advice (same texts)
            return escalation.contact_messages(new_reasons, proc, lang), []
        if now.escalated:
            if proc and not before.procedure and before.escalated:
                # The patient told us the treatment after an alarm: now the specific contact.
                return escalation.contact_messages(now.reasons, proc, lang), []
            if dutch and rasa and rasa.escalation:
                return rasa_texts, []  # Rasa repeated the contact advice itself
            return [t for t in rasa_texts if not (rasa and rasa.escalation)] + [escalation.reminder(proc, lang)], sources
        if rasa is None:
            return [texts.get("fail_safe", lang)], []
        answer = rasa_texts or [texts.get("fail_safe")]
        return ([texts.get("answers_in_dutch", lang)] + answer if not dutch else answer), sources


def _span(finding: triage.Finding, layer: str) -> Dict[str, Any]:
    return {"category": finding.category, "start": finding.start, "end": finding.end, "text": finding.text, "layer": layer,
            "language": finding.language}
