"""Dependencies for the routes: settings, services, and the authenticated patient."""
from typing import Annotated, Optional

from fastapi import Depends, Header, HTTPException, Request, status

from api.security import InvalidToken, Patient, verify_portal_token
from bot.chat import ChatService
from bot.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_chat(request: Request) -> ChatService:
    return request.app.state.chat


SettingsDep = Annotated[Settings, Depends(get_settings)]
ChatDep = Annotated[ChatService, Depends(get_chat)]


def current_patient(settings: SettingsDep, authorization: Annotated[Optional[str], Header()] = None) -> Patient:
    unauthorized = {"WWW-Authenticate": "Bearer"}
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", headers=unauthorized)
    try:
        return verify_portal_token(authorization[7:].strip(), settings)
    except InvalidToken as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers=unauthorized) from exc


PatientDep = Annotated[Patient, Depends(current_patient)]
