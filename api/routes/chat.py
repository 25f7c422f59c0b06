from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from api.deps import ChatDep, PatientDep, SettingsDep
from api.schemas import ChatRequest, ChatResponse
from bot.chat import ConversationNotFound

router = APIRouter(prefix="/api", tags=["chat"])


@router.post("/chat", response_model=ChatResponse, responses={422: {"description": "invalid input; a text over the length limit is still stored and triaged (body: detail plus the chat contract's fields)"}})
def chat(body: ChatRequest, patient: PatientDep, chat: ChatDep, settings: SettingsDep):
    """One patient message; the reply, the escalation (if any) and the leaflet sources."""
    text = body.text.strip()
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "text is empty")
    procedure = body.procedure or patient.procedure
    try:
        if len(text) > settings.max_message_chars:
            # Refused (422), but stored and triaged first: an alarm in a long message still escalates,
            # and the body carries the contract's fields so the widget can show it.
            result = chat.handle_too_long(patient.id, body.conversation_id, text, procedure, settings.max_message_chars)
            detail = f"text is longer than {settings.max_message_chars} characters"
            return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, content={"detail": detail, **result.as_contract()})
        result = chat.handle(patient.id, body.conversation_id, text, procedure)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from None
    return result.as_contract()
