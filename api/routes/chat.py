from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from api.deps import ChatDep, PatientDep, SettingsDep
from api.schemas import ERRORS, ChatRequest, ChatResponse, ErrorResponse, InvalidOrRefused, RefusedResponse
from bot import intake, rate_limit
from bot.chat import ConversationNotFound

router = APIRouter(prefix="/api", tags=["chat"])

# A refused message is stored and triaged all the same; the API only chooses the status code.
REFUSAL_STATUS = {"too_long": 422, "control_characters": 422, "rate_limited": 429}


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        **ERRORS,
        400: {"model": ErrorResponse, "description": "request body is not valid JSON in UTF-8"},
        413: {"model": ErrorResponse, "description": "request body over MAX_REQUEST_BYTES (not read, not stored)"},
        415: {"model": ErrorResponse, "description": "Content-Type is not application/json"},
        422: {"model": InvalidOrRefused, "description": "invalid input; a text over the length limit or with control characters is still stored and triaged (body: detail plus the chat contract's fields)"},
        429: {"model": RefusedResponse, "description": "more than RATE_LIMIT_PER_MINUTE messages a minute; stored and triaged, not answered (Retry-After header)"},
    },
)
def chat(body: ChatRequest, patient: PatientDep, chat: ChatDep, settings: SettingsDep):
    """One patient message; the reply, the escalation (if any) and the leaflet sources."""
    text, refusal = intake.check(body.text, settings.max_message_chars)
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "text is empty")
    refusal = rate_limit.check(chat.store, patient.id, settings.rate_limit_per_minute) or refusal
    procedure = body.procedure or patient.procedure
    try:
        if refusal:
            # Not answered, but stored and triaged first: an alarm in it still escalates, and the
            # body carries the contract's fields so the widget can show it.
            result = chat.handle_refused(patient.id, body.conversation_id, text, procedure, refusal.notice)
            headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None
            return JSONResponse({"detail": refusal.detail, **result.as_contract()}, status_code=REFUSAL_STATUS[refusal.reason], headers=headers)
        result = chat.handle(patient.id, body.conversation_id, text, procedure)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from None
    return result.as_contract()
