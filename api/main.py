"""The FastAPI application: ``uvicorn api.main:create_app --factory``."""
import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api import errors
from api.routes import chat, conversations, health, nurse, widget
from api.staff_deps import StaffPageError
from bot import audit
from bot.chat import ChatService
from bot.conversation_lock import ConversationLocks
from bot.rasa_client import RasaClient
from bot.settings import Settings, get_settings
from bot.store import Store

log = logging.getLogger("api")


def _warm_up() -> None:
    from bot import language
    from bot.triage import detect

    try:
        detect("warm-up: koorts 38,5, fever, Fieber")
        language.warm_up()
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first message pays for it
        log.exception("warm-up failed")


class _PathsOnly(logging.Filter):
    """The access log names the path, never the query string: the nurses' searches put patient ids
    and alarm categories there (health data)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (args[0], args[1], args[2].split("?", 1)[0] + "?…", args[3], args[4])
        return True


def _access_log_without_queries() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _PathsOnly) for f in access.filters):
        access.addFilter(_PathsOnly())


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.app_env is None and settings.uses_dev_secret:
        # Fail closed: a forgotten APP_ENV on a server must not leave it open to tokens anyone can sign.
        raise RuntimeError("APP_ENV is not set and PORTAL_JWT_SECRET is the development secret: set APP_ENV=local "
                           "(a developer's machine; `make run` does) or configure the portal's secret or key")
    _access_log_without_queries()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.uses_dev_secret:
            log.warning("*** Using the DEVELOPMENT portal JWT secret. Never use this outside a developer's machine. ***")
        store = Store(settings.database_url)
        store.create_schema()
        missing = audit.missing_triggers(store.engine)
        if missing and settings.app_env == "production":
            store.dispose()  # an audit log that can be edited is no audit log: refuse to serve
            raise RuntimeError(f"audit_log's append-only trigger(s) {', '.join(missing)} are missing or disabled; "
                               "see `python -m bot verify-audit` and deployment.md")
        if missing:
            log.warning("audit_log's append-only trigger(s) %s are missing", ", ".join(missing))
        url_file = Path(settings.rasa_url_file) if settings.rasa_url_file else None
        rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds, url_file)
        app.state.settings = settings
        locks = ConversationLocks(settings.redis_url, settings.conversation_lock_lease_seconds, settings.conversation_lock_wait_seconds)
        app.state.chat = ChatService(store, rasa, locks, settings.new_conversations_per_hour)
        # The lexicons' regexes and the language models take a second or two to load: do it now,
        # beside the first requests, rather than in the first patient's message.
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
        yield
        rasa.close()
        locks.close()
        store.dispose()

    # /docs with Swagger UI served by the API itself: hospital networks often block CDNs.
    app = FastAPIOffline(title="Spine aftercare chatbot API", version="0.1.0", lifespan=lifespan)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(conversations.router)
    app.include_router(widget.router)
    app.include_router(nurse.router)
    errors.register(app, settings.max_request_bytes)
    # Staff pages show their errors as a Dutch page, not the API's JSON (more specific than HTTPException).
    app.add_exception_handler(StaffPageError, nurse.error_page)
    return app
