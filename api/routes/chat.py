from fastapi import APIRouter, HTTPException, Response, status

from api.deps import ChatDep, PatientDep, SettingsDep
from api.schemas import ERRORS, ChatRequest, ChatResponse, ErrorResponse
from bot import intake, rate_limit
from bot.chat import ConversationNotFound

router = APIRouter(prefix="/api", tags=["chat"])


@router.post(
    "/chat",
    response_model=ChatResponse,
    response_model_exclude_unset=True,  # `notice`, `refused`, `detail` only when the message was not answered
    responses={
        **ERRORS,
        400: {"model": ErrorResponse, "description": "request body is not valid JSON in UTF-8"},
        413: {"model": ErrorResponse, "description": "request body over MAX_REQUEST_BYTES (not read, not stored)"},
        429: {"model": ErrorResponse, "description": "a flood: over STORE_LIMIT_PER_MINUTE or STORE_LIMIT_PER_DAY messages (not stored; Retry-After)"},
        415: {"model": ErrorResponse, "description": "Content-Type is not application/json"},
        200: {"description": "the reply. A message that was stored and triaged but not answered (too long, control characters, over RATE_LIMIT_PER_MINUTE, or `busy`: the conversation's previous message was still being answered after CONVERSATION_LOCK_WAIT_SECONDS) gets 200 too, with `notice` (Dutch: why), `refused` and `detail`, so that a portal that drops 4xx bodies cannot drop the contact advice (Retry-After when rate limited)"},
    },
)
def chat(body: ChatRequest, patient: PatientDep, chat: ChatDep, settings: SettingsDep, response: Response):
    """One patient message; the reply, the escalation (if any) and the leaflet sources."""
    text, refusal = intake.check(body.text, settings.max_message_chars)
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "text is empty")
    flood = rate_limit.flood(chat.store, patient.id, int(settings.store_limit_per_minute or 0), int(settings.store_limit_per_day or 0))  # set by Settings
    if flood:  # beyond what any person types: not stored, so a script cannot fill the database or the queue
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, flood.detail, headers={"Retry-After": str(flood.retry_after)})
    refusal = rate_limit.check(chat.store, patient.id, settings.rate_limit_per_minute) or refusal
    procedure = body.procedure or patient.procedure
    try:
        if refusal:
            # Not answered, but stored and triaged first: an alarm in it still escalates. 200 with the
            # contract's fields, so that a portal treating 4xx as failure still shows the contact advice.
            result = chat.handle_refused(patient.id, body.conversation_id, text, procedure, refusal)
        else:
            # "busy" (the conversation's previous message still being answered) comes back the same way
            result = chat.handle(patient.id, body.conversation_id, text, procedure)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from None
    if result.refusal and result.refusal.retry_after:
        response.headers["Retry-After"] = str(result.refusal.retry_after)
    return result.as_contract()
