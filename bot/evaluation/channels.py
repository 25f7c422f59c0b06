"""Ways to put a patient message to the bot for scoring: the real API, or the red-flag layer alone."""
import tempfile
import uuid
from typing import Any, Dict, Optional, Protocol

import httpx

from bot import portal_tokens


class Channel(Protocol):
    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        """Returns the chat contract's response body."""


class ApiChannel:
    """POST /api/chat with a portal token, as the portal does. Every new conversation is a new
    patient, as the scored cases are: so the API's per-patient rate limit holds as in production."""

    def __init__(self, base_url: str, secret: str, timeout: float = 60.0):
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        self.secret = secret
        self._patients: Dict[str, str] = {}  # conversation id -> patient id

    def _token(self, patient: str) -> str:
        return portal_tokens.mint(patient, self.secret)

    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        body: Dict[str, Any] = {"text": text}
        patient = self._patients.get(conversation_id or "") or f"eval-{uuid.uuid4().hex[:12]}"
        if conversation_id:
            body["conversation_id"] = conversation_id
        if procedure:
            body["procedure"] = procedure
        response = self.http.post("/api/chat", json=body, headers={"Authorization": f"Bearer {self._token(patient)}"})
        response.raise_for_status()
        reply = response.json()
        self._patients[reply["conversation_id"]] = patient
        return reply


class FailSafeChannel:
    """The API's own chat service with Rasa unreachable: only the red-flag layer answers.

    This is the real fail-safe path (same conversation memory, same escalation rules), with a
    throw-away SQLite store and a Rasa address where nothing listens.
    """

    def __init__(self) -> None:
        from bot.chat import ChatService
        from bot.rasa_client import RasaClient
        from bot.stack import free_port
        from bot.store import Store

        self._tmp = tempfile.TemporaryDirectory(prefix="bot-failsafe-")
        store = Store(f"sqlite:///{self._tmp.name}/app.db")
        store.create_schema()
        self.chat = ChatService(store, RasaClient(f"http://127.0.0.1:{free_port()}", timeout_seconds=1.0))
        self._patients: Dict[str, str] = {}  # conversation id -> patient id

    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        # Every new conversation is a new patient, as the scored cases are (and as in ApiChannel): one
        # patient with hundreds of conversations would go on in the latest one (NEW_CONVERSATIONS_PER_HOUR).
        patient = self._patients.get(conversation_id or "") or f"eval-{uuid.uuid4().hex[:12]}"
        reply = self.chat.handle(patient, conversation_id, text, procedure).as_contract()
        self._patients[reply["conversation_id"]] = patient
        return reply
