"""Request and response bodies of the chat contract."""
from typing import Any, Dict, List, Literal, Optional

from pydantic import BaseModel, Field, StrictStr, validator

Procedure = Literal["bloedpatch", "ruggenmergstimulatie", "hernia", "wortelinfiltratie"]


def _nullable(*names: str):
    """Config.schema_extra: pydantic 1 leaves null out of an Optional field's schema; the API does
    send null (e.g. ``"escalation": null``), so the OpenAPI schema must allow it."""

    def extra(schema: Dict[str, Any], model: Any) -> None:
        for name in names:
            prop = schema.get("properties", {}).get(name)
            if prop is not None:
                schema["properties"][name] = {"anyOf": [prop, {"type": "null"}]}

    return staticmethod(extra)


class ChatRequest(BaseModel):
    # Strict: a number or a list is a client error, not a message (pydantic 1 would turn 5 into "5").
    conversation_id: Optional[StrictStr] = Field(None, min_length=1, max_length=64, regex=r"^[A-Za-z0-9_-]+$")
    text: StrictStr
    procedure: Optional[Procedure] = None

    class Config:
        extra = "forbid"


class Button(BaseModel):
    """An answer the patient can click; the widget sends ``payload`` as the next message."""

    title: str
    payload: str


class Reply(BaseModel):
    text: str
    buttons: Optional[List[Button]] = None  # a red-flag question's ja/nee, or the topics offered ("Bedoelt u: ...")

    class Config:
        schema_extra = _nullable("buttons")


class Contact(BaseModel):
    name: str
    phone: str  # as the leaflet writes it
    hours: str
    tel: str = ""  # for a tel: link, in international form (empty when there is no number)


def _reason_codes(schema: Dict[str, Any], model: Any) -> None:
    """The alarm categories come from data/triage/categories.yml, read when the schema is built
    (not at import time)."""
    from bot.triage import categories

    schema["properties"]["reasons"]["items"] = {"type": "string", "enum": categories.codes()}


class Escalation(BaseModel):
    level: Literal["contact_immediately"]
    reasons: List[str]  # codes of data/triage/categories.yml, in reply order (most urgent advice first)
    contact: Contact  # for the most urgent reason: 112 / 113 (or 1813) / the department / who to call today

    @validator("reasons", each_item=True)
    def _known_category(cls, value: str) -> str:
        from bot.triage import categories

        if value not in categories.codes():
            raise ValueError(f"unknown alarm category {value!r}")
        return value

    class Config:
        schema_extra = staticmethod(_reason_codes)


class Source(BaseModel):
    leaflet: str
    section: str


class ChatResponse(BaseModel):
    conversation_id: str
    replies: List[Reply]
    escalation: Optional[Escalation]
    sources: List[Source]
    # Only on a message that was stored and triaged but not answered (too long, control characters,
    # over the rate limit): why, in Dutch for the patient (also the last reply) and in English.
    notice: Optional[str] = None
    refused: Optional[Literal["too_long", "control_characters", "rate_limited", "busy"]] = None
    detail: Optional[str] = None

    class Config:
        schema_extra = _nullable("escalation")


class TranscriptMessage(BaseModel):
    sender: Literal["patient", "bot"]
    text: str
    created_at: str
    escalation: Optional[Escalation] = None
    sources: List[Source] = []
    buttons: Optional[List[Button]] = None  # the red-flag question's answers, on the bot message that asked it

    class Config:
        schema_extra = _nullable("escalation", "buttons")


class Transcript(BaseModel):
    conversation_id: str
    messages: List[TranscriptMessage]


class FieldError(BaseModel):
    loc: List[str]
    msg: str


class ErrorResponse(BaseModel):
    """Every error: an English ``detail`` for developers (the widget maps status codes to Dutch)."""

    detail: str
    errors: List[FieldError] = []  # validation errors only


ERRORS = {
    401: {"model": ErrorResponse, "description": "missing, expired, forged or otherwise invalid token"},
    404: {"model": ErrorResponse, "description": "unknown conversation, or another patient's"},
    422: {"model": ErrorResponse, "description": "invalid input"},
}
