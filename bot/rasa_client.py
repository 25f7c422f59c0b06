"""Talk to the Rasa server over its REST channel, with a timeout on every call."""
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


@dataclass
class RasaReply:
    texts: List[str] = field(default_factory=list)
    sources: List[Dict[str, str]] = field(default_factory=list)
    escalation: Optional[Dict[str, Any]] = None
    alarm_spans: List[Dict[str, Any]] = field(default_factory=list)


class RasaClient:
    def __init__(self, base_url: str, timeout_seconds: float):
        self._client = httpx.Client(base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout_seconds, connect=2.0))

    def close(self) -> None:
        self._client.close()

    def send(self, sender_id: str, text: str, metadata: Dict[str, Any]) -> RasaReply:
        try:
            response = self._client.post("/webhooks/rest/webhook", json={"sender": sender_id, "message": text, "metadata": metadata})
            response.raise_for_status()
            messages = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        return parse(messages)


def parse(messages: List[Dict[str, Any]]) -> RasaReply:
    """Fold the REST channel's messages (texts and custom payloads) into one reply."""
    reply = RasaReply()
    for message in messages or []:
        if message.get("text"):
            reply.texts.append(message["text"])
        custom = message.get("custom") or {}
        reply.sources.extend(s for s in custom.get("sources", []) if s not in reply.sources)
        if custom.get("escalation"):
            reply.escalation = custom["escalation"]
            reply.alarm_spans.extend(custom.get("alarm_spans", []))
    return reply
