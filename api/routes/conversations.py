from fastapi import APIRouter, HTTPException, Path, status

from api.deps import ChatDep, PatientDep
from api.schemas import ERRORS, Transcript
from bot.chat import ConversationNotFound

router = APIRouter(prefix="/api", tags=["conversations"])


@router.get("/conversations/{conversation_id}", response_model=Transcript, responses=ERRORS)
def transcript(
    patient: PatientDep, chat: ChatDep, conversation_id: str = Path(..., max_length=64, regex=r"^[A-Za-z0-9_-]+$")
) -> dict:
    """The patient's own transcript; another patient's conversation is 404."""
    try:
        return {"conversation_id": conversation_id, "messages": chat.transcript(patient.id, conversation_id)}
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "conversation not found") from None
