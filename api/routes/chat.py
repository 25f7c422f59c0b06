from fastapi import APIRouter, HTTPException, status

from api.deps import ChatDep, PatientDep, SettingsDep
from api.schemas import ChatRequest, ChatResponse
from bot.chat import ConversationNotFound

router = APIRouter(prefix="/api", tags=["chat"])


@router.post("/chat", response_model=ChatResponse)
def chat(body: ChatRequest, patient: PatientDep, chat: ChatDep, settings: SettingsDep) -> dict:
    """One patient message; the reply, the escalation (if any) and the leaflet sources."""
    text = body.text.strip()
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "text is empty")
    if len(text) > settings.max_message_chars:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, f"text is longer than {settings.max_message_chars} characters")
    try:
        result = chat.handle(patient.id, body.conversation_id, text, body.procedure or patient.procedure)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from None
    return result.as_contract()
