"""Ways to put a patient message to the bot for scoring: the real API, or the red-flag layer alone."""
import time
import uuid
from typing import Any, Dict, Optional, Protocol

import httpx
import jwt

from bot import triage


class Channel(Protocol):
    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        """Returns the chat contract's response body."""


class ApiChannel:
    """POST /api/chat with a portal token, as the portal does. One patient per channel."""

    def __init__(self, base_url: str, secret: str, timeout: float = 60.0):
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        self.secret = secret
        self.patient = f"eval-{uuid.uuid4().hex[:8]}"

    def _token(self) -> str:
        return jwt.encode({"sub": self.patient, "exp": int(time.time()) + 600}, self.secret, algorithm="HS256")

    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        body: Dict[str, Any] = {"text": text}
        if conversation_id:
            body["conversation_id"] = conversation_id
        if procedure:
            body["procedure"] = procedure
        response = self.http.post("/api/chat", json=body, headers={"Authorization": f"Bearer {self._token()}"})
        response.raise_for_status()
        return response.json()


class DetectorChannel:
    """Only the deterministic red-flag layer: what the API falls back on when Rasa is down."""

    def __init__(self) -> None:
        self._escalated: Dict[str, list] = {}
        self._procedure: Dict[str, Optional[str]] = {}
        self._watching: Dict[str, list] = {}

    def send(self, text: str, conversation_id: Optional[str], procedure: Optional[str]) -> Dict[str, Any]:
        conv = conversation_id or uuid.uuid4().hex
        proc = procedure or self._procedure.get(conv)
        decision = triage.decide(text, proc, watching=self._watching.get(conv, []))
        result = decision.detector
        self._procedure[conv] = proc or (result.procedure if result.procedure != "unknown" else None)
        self._watching[conv] = sorted(set(self._watching.get(conv, [])) | set(decision.watch))
        reasons = self._escalated.setdefault(conv, [])
        reasons.extend(c for c in decision.reasons if c not in reasons)
        return {"conversation_id": conv, "replies": [], "escalation": {"reasons": list(reasons)} if reasons else None, "sources": []}
