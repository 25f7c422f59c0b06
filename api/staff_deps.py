"""Dependencies of the staff pages (/nurse/): the logged-in staff member from the session cookie,
by role. Patients' portal tokens (Authorization: Bearer) are never looked at here, so they open
nothing; the staff cookie in turn is never looked at by the patient API (api/deps.py)."""
from typing import Annotated, Any, Optional

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.engine import Engine

from bot import audit
from bot.nurses import Accounts, Session

SESSION_COOKIE = "nurse_session"
LOGIN_URL = "/nurse/login"
PASSWORD_URL = "/nurse/password"
# After an administrator's reset, only these are open until the staff member chose a password.
_OPEN_WHILE_MUST_CHANGE = (PASSWORD_URL, "/nurse/logout")


def get_engine(request: Request) -> Engine:
    return request.app.state.chat.store.engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_accounts(engine: EngineDep) -> Accounts:
    return Accounts(engine)


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


class StaffPageError(HTTPException):
    """An error on a staff page: shown as a Dutch HTML page (api/routes/nurse.py ``error_page``, the
    text at ``errors.<key>`` in data/staff_texts.yml); ``detail`` keeps the English reason."""

    def __init__(self, status_code: int, key: str, detail: str, **params: Any):
        super().__init__(status_code, detail)
        self.key, self.params = key, params


def current_staff(request: Request, accounts: AccountsDep) -> Session:
    session = accounts.session(request.cookies.get(SESSION_COOKIE))
    if session is None:
        # Browsers follow this to the login form; the body says why for other clients.
        raise HTTPException(status.HTTP_303_SEE_OTHER, "log in as staff first", headers={"Location": LOGIN_URL})
    if session.account.must_change_password and request.url.path not in _OPEN_WHILE_MUST_CHANGE:
        raise HTTPException(status.HTTP_303_SEE_OTHER, "choose a new password first", headers={"Location": PASSWORD_URL})
    return session


StaffDep = Annotated[Session, Depends(current_staff)]


def denied(engine: Engine, request: Request, session: Optional[Session], reason: str, actor: str = "(unknown)") -> None:
    """Write a refused staff request to the audit log (who, which path, why) before it is answered."""
    who, role = (session.account.username, session.account.role) if session else (actor, "-")
    audit.record(engine, who, role, "access_denied", details={"path": request.url.path, "method": request.method, "reason": reason})


def _role(role: str):
    def check(request: Request, session: StaffDep, engine: EngineDep) -> Session:
        if session.account.role != role:
            denied(engine, request, session, "role")
            raise StaffPageError(status.HTTP_403_FORBIDDEN, "forbidden", f"this page is for the role {role}", role=session.account.role)
        return session

    return check


# Nurses see conversations; the privacy officer sees the audit log only (not the conversations).
NurseDep = Annotated[Session, Depends(_role("nurse"))]
PrivacyOfficerDep = Annotated[Session, Depends(_role("privacy_officer"))]
