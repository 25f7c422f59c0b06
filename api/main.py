"""The FastAPI application: ``uvicorn api.main:create_app --factory``."""
import logging
from contextlib import asynccontextmanager
from typing import Optional

from fastapi import FastAPI

from api.routes import chat, conversations, health
from bot.chat import ChatService
from bot.rasa_client import RasaClient
from bot.settings import Settings, get_settings
from bot.store import Store

log = logging.getLogger("api")


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.uses_dev_secret:
            log.warning("*** Using the DEVELOPMENT portal JWT secret. Never use this outside a developer's machine. ***")
        store = Store(settings.database_url)
        store.create_schema()
        rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
        app.state.settings = settings
        app.state.chat = ChatService(store, rasa)
        yield
        rasa.close()
        store.dispose()

    app = FastAPI(title="Spine aftercare chatbot API", version="0.1.0", lifespan=lifespan)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(conversations.router)
    return app
