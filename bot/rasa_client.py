"""Talk to the Rasa server over its REST channel, with a timeout on every call."""
import threading
from dataclasses import dataclass, field
from pathlib import Path
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
    buttons: List[Dict[str, str]] = field(default_factory=list)  # under the last reply: the topics offered


COMMAND_PREFIX = "/"  # Rasa reads a message that starts with it (after str.strip) as an intent command


def as_text(text: str) -> str:
    """Patient text as Rasa reads plain text: "/restart" or '/deny_symptom{"procedure":"hernia"}' typed by
    a patient must not drive the dialogue. The leading slashes go (the stored message keeps them); only
    the commands of buttons the bot offered (bot/buttons.py) are sent as commands."""
    plain = text.strip()
    if not plain.startswith(COMMAND_PREFIX):
        return text
    while plain.startswith(COMMAND_PREFIX):
        plain = plain[len(COMMAND_PREFIX):].strip()
    return plain or "?"


class RasaClient:
    """``url_file`` (optional): a file holding Rasa's address. When a newly trained model is switched
    in, a new Rasa process starts beside the old one and this file is rewritten (bot/model_switch.py);
    the next message goes to the new process. No restart of the API, no conversation lost."""

    def __init__(self, base_url: str, timeout_seconds: float, url_file: Optional[Path] = None):
        self._client = httpx.Client(base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout_seconds, connect=2.0))
        self._url_file = url_file
        self._url_file_version: Optional[int] = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    @property
    def base_url(self) -> str:
        self._follow_url_file()
        return str(self._client.base_url).rstrip("/")

    def _follow_url_file(self) -> None:
        if self._url_file is None:
            return
        try:
            version = self._url_file.stat().st_mtime_ns
        except OSError:
            return  # no file (yet): keep the address we have
        if version == self._url_file_version:
            return
        with self._lock:
            url = self._url_file.read_text(encoding="utf-8").strip()
            if url:
                self._client.base_url = url.rstrip("/")
            self._url_file_version = version

    def send(self, sender_id: str, text: str, metadata: Dict[str, Any]) -> RasaReply:
        self._follow_url_file()
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
        if message.get("buttons"):
            reply.buttons = [{"title": str(b.get("title") or ""), "payload": str(b.get("payload") or "")} for b in message["buttons"]]
        custom = message.get("custom") or {}
        reply.sources.extend(s for s in custom.get("sources", []) if s not in reply.sources)
        if custom.get("escalation"):
            reply.escalation = custom["escalation"]
            reply.alarm_spans.extend(custom.get("alarm_spans", []))
    return reply
