"""Request and response bodies of the chat contract."""
from typing import List, Literal, Optional

from pydantic import BaseModel, Field

Procedure = Literal["bloedpatch", "ruggenmergstimulatie", "hernia", "wortelinfiltratie"]


class ChatRequest(BaseModel):
    conversation_id: Optional[str] = Field(None, min_length=1, max_length=64, regex=r"^[A-Za-z0-9_-]+$")
    text: str
    procedure: Optional[Procedure] = None

    class Config:
        extra = "forbid"


class Reply(BaseModel):
    text: str


class Contact(BaseModel):
    name: str
    phone: str
    hours: str


class Escalation(BaseModel):
    level: Literal["contact_immediately"]
    reasons: List[Literal["fever", "neuro_deficit", "saddle_anaesthesia", "bladder_bowel", "infection_signs"]]
    contact: Contact


class Source(BaseModel):
    leaflet: str
    section: str


class ChatResponse(BaseModel):
    conversation_id: str
    replies: List[Reply]
    escalation: Optional[Escalation]
    sources: List[Source]


class TranscriptMessage(BaseModel):
    sender: Literal["patient", "bot"]
    text: str
    created_at: str
    escalation: Optional[Escalation] = None
    sources: List[Source] = []


class Transcript(BaseModel):
    conversation_id: str
    messages: List[TranscriptMessage]
