"""Shared fixtures. The trained model and the running stack (action server, Rasa, API) are
session-scoped: trained at most once and started once per test run, not per test."""
import os
import time
from typing import Callable, Iterator, Optional

import httpx
import jwt
import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

TEST_SECRET = "test-portal-secret-0123456789-abcdefghijklmnop"


@pytest.fixture(scope="session")
def settings():
    from bot.settings import Settings

    return Settings(app_env="test", portal_jwt_secret=TEST_SECRET)


@pytest.fixture(scope="session")
def make_token() -> Callable[..., str]:
    def make(sub: str = "patient-1", procedure: Optional[str] = None, expires_in: int = 600, secret: str = TEST_SECRET) -> str:
        claims = {"sub": sub, "exp": int(time.time()) + expires_in}
        if procedure:
            claims["procedure"] = procedure
        return jwt.encode(claims, secret, algorithm="HS256")

    return make


@pytest.fixture(scope="session")
def trained_model(settings):
    from bot.model import ensure_model

    return ensure_model(settings)


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory) -> Iterator["object"]:
    from bot.stack import Ports, Stack, free_port

    run_dir = tmp_path_factory.mktemp("stack")
    s = Stack(
        trained_model,
        Ports(actions=free_port(), rasa=free_port(), api=free_port()),
        run_dir,
        extra_env={"APP_ENV": "test", "PORTAL_JWT_SECRET": TEST_SECRET, "DATABASE_URL": f"sqlite:///{run_dir / 'app.db'}"},
    )
    s.start()
    try:
        s.wait_ready(timeout=420)
        yield s
    finally:
        s.stop()


@pytest.fixture()
def api(stack, make_token):
    """Chat as a patient: ``api.chat("tekst", procedure=..., sub=...)`` returns the httpx response."""

    class Client:
        def __init__(self):
            self.http = httpx.Client(base_url=stack.api_url, timeout=30)

        def chat(self, text, conversation_id=None, procedure=None, sub="patient-1", token=None):
            body = {"text": text}
            if conversation_id:
                body["conversation_id"] = conversation_id
            if procedure:
                body["procedure"] = procedure
            headers = {"Authorization": f"Bearer {token or make_token(sub)}"}
            return self.http.post("/api/chat", json=body, headers=headers)

    client = Client()
    yield client
    client.http.close()
