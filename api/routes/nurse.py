"""The nurses' review pages: server-rendered HTML (Jinja2, autoescaped), plain forms, no JavaScript.

Every form carries a CSRF token (the session's, or for the login form a double-submit cookie) that
is checked on every POST. Every read of a conversation, queue search, export and status change is
written to the audit log (bot/audit.py) before the page is returned.
"""
import secrets
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Request, status
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep
from api.staff_deps import PASSWORD_URL, SESSION_COOKIE, AccountsDep, EngineDep, NurseDep, PrivacyOfficerDep, StaffDep, StaffPageError, denied
from bot import audit, review, staff_texts
from bot.nurses import SESSION_LIFETIME, AccountError, LoginRefused, Session, csrf_ok
from bot.store import hospital_day_start, hospital_time, utc_now

API_DIR = Path(__file__).resolve().parent.parent
LOGIN_CSRF_COOKIE = "nurse_login_csrf"
MAX_FIELD_CHARS = 4000

router = APIRouter(prefix="/nurse", tags=["nurse"], include_in_schema=False)


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    # Autoescape on for every template: patient text with HTML or script is shown as text.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(API_DIR / "templates")), autoescape=True)
    # Every visible text comes from data/staff_texts.yml (Dutch); the templates keep the codes in values.
    env.globals.update(t=staff_texts.get, label=staff_texts.label, labels=staff_texts.labels)
    # Times as the hospital's clock shows them (stored in UTC): {{ m.created_at|local("%H:%M") }}
    env.filters["local"] = lambda value, fmt="%Y-%m-%d %H:%M": hospital_time(value).strftime(fmt)
    return Jinja2Templates(env=env)


def _error_text(key: str, params: Dict[str, Any]) -> str:
    shown = dict(params)
    if "categories" in shown:
        shown["categories"] = staff_texts.labels("categories", shown["categories"])
    if "role" in shown:
        shown["role"] = staff_texts.label("roles", shown["role"])
    return staff_texts.get(f"errors.{key}", **shown)


async def error_page(request: Request, exc: StaffPageError) -> Response:
    """The app's handler for StaffPageError (api/main.py): a Dutch page instead of the API's JSON."""
    return _page(request, "error.html", {"session": None, "error": _error_text(exc.key, exc.params)}, exc.status_code)


def _headers() -> Dict[str, str]:
    return {
        # No script at all on these pages; forms post to this origin only; never framed.
        "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                   "frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",  # patient data: not kept in the browser's cache
    }


def _page(request: Request, name: str, context: Dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return templates().TemplateResponse(request, f"nurse/{name}", context, status_code=status_code, headers=_headers())


def _secure(settings) -> bool:
    return settings.app_env not in ("local", "test")  # plain http only on a developer's machine and in tests


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER, headers=_headers())


async def _form(request: Request) -> Dict[str, str]:
    form = await request.form()
    return {k: v[:MAX_FIELD_CHARS] for k, v in form.items() if isinstance(v, str)}


async def _checked_form(request: Request, session: Session) -> Dict[str, str]:
    form = await _form(request)
    if not csrf_ok(session.csrf_token, form.get("csrf_token")):
        await run_in_threadpool(denied, request.app.state.chat.store.engine, request, session, "csrf")
        raise StaffPageError(status.HTTP_403_FORBIDDEN, "csrf", "CSRF token missing or wrong: reload the page and try again")
    return form


def _day(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _landing(role: str) -> str:
    return "/nurse/audit" if role == "privacy_officer" else "/nurse/"


# login and logout

@router.get("/login")
def login_form(request: Request, settings: SettingsDep, accounts: AccountsDep) -> Response:
    session = accounts.session(request.cookies.get(SESSION_COOKIE))
    if session:
        return _see(_landing(session.account.role))
    return _login_page(request, settings, None, 200)


def _login_page(request: Request, settings, error: Optional[str], status_code: int) -> Response:
    token = secrets.token_urlsafe(32)
    response = _page(request, "login.html", {"csrf_token": token, "error": error}, status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=1800, path="/nurse/login", httponly=True, samesite="strict", secure=_secure(settings))
    return response


@router.post("/login")
async def login(request: Request, settings: SettingsDep, accounts: AccountsDep, engine: EngineDep) -> Response:
    form = await _form(request)
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf_token")):
        await run_in_threadpool(denied, engine, request, None, "csrf_login", form.get("username", "").strip()[:64] or "(empty)")
        return _login_page(request, settings, staff_texts.get("login.form_expired"), status.HTTP_403_FORBIDDEN)
    username = form.get("username", "").strip()[:64]
    client = request.client.host if request.client else "unknown"  # behind a proxy: uvicorn --proxy-headers
    try:
        # Argon2 takes tens of milliseconds of CPU: in a worker thread, never on the event loop
        account = await run_in_threadpool(accounts.authenticate, username, form.get("password", ""), client, form.get("code"),
                                          settings.second_factor_required)
    except LoginRefused as exc:
        await run_in_threadpool(audit.record, engine, username or "(empty)", "-", "login_failed", None, None,
                                {"locked": exc.locked, "why": exc.why})
        # one answer for an unknown name, a wrong password and a waiting account: nobody learns which names exist
        return _login_page(request, settings, staff_texts.get("login.wrong"), status.HTTP_401_UNAUTHORIZED)
    session_id = accounts.start_session(account)  # a new id at every login: no session fixation
    audit.record(engine, account.username, account.role, "login")
    response = _see(PASSWORD_URL if account.must_change_password else _landing(account.role))
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(SESSION_LIFETIME.total_seconds()), path="/nurse",
                        httponly=True, samesite="strict", secure=_secure(settings))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/nurse/login")
    return response


@router.post("/logout")
async def logout(request: Request, session: StaffDep, accounts: AccountsDep, engine: EngineDep) -> Response:
    await _checked_form(request, session)
    accounts.end_session(request.cookies.get(SESSION_COOKIE, ""))
    audit.record(engine, session.account.username, session.account.role, "logout")
    response = _see("/nurse/login")
    response.delete_cookie(SESSION_COOKIE, path="/nurse")
    return response


# the staff member's own password

@router.get("/password")
def password_form(request: Request, session: StaffDep) -> Response:
    return _page(request, "password.html", {"session": session, "error": None, "done": False})


@router.post("/password")
async def change_password(request: Request, session: StaffDep, accounts: AccountsDep, engine: EngineDep) -> Response:
    form = await _checked_form(request, session)
    try:
        if form.get("new", "") != form.get("repeat", ""):
            raise AccountError("the two new passwords differ", "password_mismatch")
        await run_in_threadpool(accounts.change_password, session.account, form.get("current", ""), form.get("new", ""))
    except AccountError as exc:
        return _page(request, "password.html", {"session": session, "error": _error_text(exc.key, {}), "done": False},
                     status.HTTP_400_BAD_REQUEST)
    audit.record(engine, session.account.username, session.account.role, "password_change")
    if session.account.must_change_password:
        return _see(_landing(session.account.role))
    return _page(request, "password.html", {"session": session, "error": None, "done": True})


# the queue and the conversation page (nurses)

@router.get("/")
def queue(
    request: Request, session: NurseDep, engine: EngineDep, category: Optional[str] = None,
    since: Optional[str] = None, until: Optional[str] = None, patient_id: Optional[str] = None,
) -> Response:
    status_value = request.query_params.get("status") or "open"  # "status" would shadow fastapi.status
    filters = review.Filters(
        status=status_value if status_value in ("open", "all", *review.STATUSES) else "open",
        category=category if category in review.queue_categories() else None,
        since=_day(since), until=_day(until), patient_id=(patient_id or "").strip()[:128] or None,
    )
    asked = request.query_params.get("page", "1")
    result = review.queue_page(engine, filters, int(asked[:12]) if asked.isdigit() else 1)  # past the end: the last page
    audit.record(engine, session.account.username, session.account.role, "queue_search", patient_id=filters.patient_id,
                 details={"filters": filters.as_dict(), "results": result.total, "page": result.page})
    others = {k: v for k, v in request.query_params.items() if k != "page"}
    links = {name: f"/nurse/?{urlencode({**others, 'page': n})}" if 1 <= n <= result.pages and n != result.page else None
             for name, n in (("previous", result.page - 1), ("next", result.page + 1))}
    return _page(request, "queue.html", {
        "session": session, "items": result.items, "result": result, "links": links, "filters": filters,
        "statuses": review.STATUSES, "categories": review.queue_categories(),
    })


def _conversation_page(request: Request, session: Session, engine, conversation_id: str, error: Optional[str] = None,
                       status_code: int = 200) -> Response:
    try:
        view = review.conversation(engine, conversation_id)
    except review.ReviewError:
        raise StaffPageError(status.HTTP_404_NOT_FOUND, "conversation_not_found", "conversation not found") from None
    audit.record(engine, session.account.username, session.account.role, "conversation_read", view.id, view.patient_id)
    return _page(request, "conversation.html", {
        "session": session, "c": view, "error": error, "categories": review.alarm_categories(), "topics": review.answer_topics(),
        "feedback_kinds": review.FEEDBACK_KINDS,
    }, status_code)


@router.get("/conversations/{conversation_id}")
def conversation(request: Request, conversation_id: str, session: NurseDep, engine: EngineDep) -> Response:
    return _conversation_page(request, session, engine, conversation_id[:64])


def _patient(engine, conversation_id: str) -> str:
    try:
        return review.conversation(engine, conversation_id).patient_id
    except review.ReviewError:
        raise StaffPageError(status.HTTP_404_NOT_FOUND, "conversation_not_found", "conversation not found") from None


@router.post("/conversations/{conversation_id}/status")
async def change_status(request: Request, conversation_id: str, session: NurseDep, engine: EngineDep) -> Response:
    form = await _checked_form(request, session)
    patient_id = _patient(engine, conversation_id)
    action = form.get("action", "")
    try:
        new_status = review.change_status(engine, conversation_id, action, session.account.username, form.get("note"))
    except review.ReviewError as exc:
        return _conversation_page(request, session, engine, conversation_id, _error_text(exc.key, exc.params), status.HTTP_400_BAD_REQUEST)
    audit.record(engine, session.account.username, session.account.role, "status_change", conversation_id, patient_id,
                 {"action": action, "status": new_status})
    return _see(f"/nurse/conversations/{conversation_id}")


@router.post("/conversations/{conversation_id}/feedback")
async def feedback(request: Request, conversation_id: str, session: NurseDep, engine: EngineDep) -> Response:
    form = await _checked_form(request, session)
    patient_id = _patient(engine, conversation_id)
    message_id = int(form["message_id"]) if form.get("message_id", "").isdigit() else None
    try:
        review.record_feedback(engine, conversation_id, form.get("kind", ""), form.get("correct_label", ""),
                               session.account.username, message_id, form.get("note"))
    except review.ReviewError as exc:
        return _conversation_page(request, session, engine, conversation_id, _error_text(exc.key, exc.params), status.HTTP_400_BAD_REQUEST)
    audit.record(engine, session.account.username, session.account.role, "feedback", conversation_id, patient_id,
                 {"kind": form.get("kind"), "correct_label": form.get("correct_label"), "message_id": message_id})
    return _see(f"/nurse/conversations/{conversation_id}")


@router.post("/conversations/{conversation_id}/flag")
async def flag_by_hand(request: Request, conversation_id: str, session: NurseDep, engine: EngineDep) -> Response:
    form = await _checked_form(request, session)
    patient_id = _patient(engine, conversation_id)
    message_id = int(form["message_id"]) if form.get("message_id", "").isdigit() else -1
    try:
        review.flag_by_hand(engine, conversation_id, message_id, form.get("category", ""), session.account.username, form.get("note"))
    except review.ReviewError as exc:
        return _conversation_page(request, session, engine, conversation_id, _error_text(exc.key, exc.params), status.HTTP_400_BAD_REQUEST)
    audit.record(engine, session.account.username, session.account.role, "manual_flag", conversation_id, patient_id,
                 {"category": form.get("category"), "message_id": message_id})
    return _see(f"/nurse/conversations/{conversation_id}")


# the audit log (privacy officer)

def _audit_filters(request: Request) -> Dict[str, Any]:
    q = request.query_params
    since, until = _day(q.get("since")), _day(q.get("until"))
    return {
        "actor": (q.get("actor") or "").strip()[:64] or None,
        "action": q.get("action") if q.get("action") in audit.ACTIONS else None,
        "conversation_id": (q.get("conversation_id") or "").strip()[:64] or None,
        "patient_id": (q.get("patient_id") or "").strip()[:128] or None,
        "since": since, "until": until,
    }


def _query(filters: Dict[str, Any]) -> Dict[str, Any]:
    until = filters["until"]
    return dict(filters,  # days on the hospital's clock
                since=hospital_day_start(filters["since"]) if filters["since"] else None,
                until=hospital_day_start(until + timedelta(days=1)) if until else None)


def _printable(filters: Dict[str, Any]) -> Dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items()}


def _read_audit(request: Request, session, engine, action: str, limit: int):
    """The audit entries the filters select; reading them is itself recorded."""
    filters = _audit_filters(request)
    rows = audit.entries(engine, limit=limit, **_query(filters))
    audit.record(engine, session.account.username, session.account.role, action, filters["conversation_id"],
                 filters["patient_id"], {"filters": _printable(filters), "results": len(rows)})
    return filters, rows


@router.get("/audit")
def audit_page(request: Request, session: PrivacyOfficerDep, engine: EngineDep) -> Response:
    filters, rows = _read_audit(request, session, engine, "audit_read", limit=1000)
    return _page(request, "audit.html", {"session": session, "rows": rows, "filters": _printable(filters), "actions": audit.ACTIONS,
                                         "query": request.url.query})


@router.get("/audit.csv")
def audit_export(request: Request, session: PrivacyOfficerDep, engine: EngineDep) -> Response:
    _, rows = _read_audit(request, session, engine, "audit_export", limit=1_000_000)
    stamp = hospital_time(utc_now()).strftime("%Y%m%d-%H%M%S")
    return Response(audit.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={**_headers(), "Content-Disposition": f'attachment; filename="audit-log-{stamp}.csv"'})


@router.get("/static/nurse.css")
def stylesheet() -> FileResponse:
    return FileResponse(API_DIR / "static" / "nurse" / "nurse.css", media_type="text/css; charset=utf-8", headers=_headers())
