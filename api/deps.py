"""Dependencies for the routes: settings, services, and the authenticated patient."""
from typing import Annotated, Optional

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.security import InvalidToken, Patient, verify_portal_token
from bot.chat import ChatService
from bot.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_chat(request: Request) -> ChatService:
    return request.app.state.chat


SettingsDep = Annotated[Settings, Depends(get_settings)]
ChatDep = Annotated[ChatService, Depends(get_chat)]


# A security scheme rather than a plain header: /docs gets its "Authorize" button, and the OpenAPI
# schema (fuzzed by tests/api/test_fuzz.py) says how to authenticate. No auto-error: our own 401.
bearer = HTTPBearer(auto_error=False, description="The portal's JWT: claim sub = patient id, exp, optional procedure")


def current_patient(settings: SettingsDep, credentials: Annotated[Optional[HTTPAuthorizationCredentials], Depends(bearer)]) -> Patient:
    unauthorized = {"WWW-Authenticate": "Bearer"}
    if credentials is None or not credentials.credentials.strip():
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", headers=unauthorized)
    try:
        return verify_portal_token(credentials.credentials.strip(), settings)
    except InvalidToken as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), headers=unauthorized) from exc


PatientDep = Annotated[Patient, Depends(current_patient)]
