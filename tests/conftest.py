"""Shared fixtures. The trained model and the running stack (action server, Rasa, API) are
session-scoped: trained at most once and started once per test run, not per test."""
import os
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

import httpx
import pytest

from bot import portal_tokens

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

TEST_SECRET = "test-portal-secret-0123456789-abcdefghijklmnop"


def pytest_collection_modifyitems(items):
    """Time budgets are measured first, on a quiet machine: before the session's stack (Rasa, the
    action server, the API) is started and other tests leave processes and caches behind."""
    items.sort(key=lambda item: item.get_closest_marker("timing") is None)  # stable: the rest keeps its order


@pytest.fixture(scope="session")
def settings():
    from bot.settings import Settings

    return Settings(app_env="test", portal_jwt_secret=TEST_SECRET)


@pytest.fixture(scope="session")
def make_token() -> Callable[..., str]:
    def make(sub: str = "patient-1", procedure: Optional[str] = None, expires_in: int = 600, secret: str = TEST_SECRET) -> str:
        return portal_tokens.mint(sub, secret, lifetime_seconds=expires_in, **({"procedure": procedure} if procedure else {}))

    return make


@pytest.fixture
def store(tmp_path):
    """The API's store on a fresh SQLite file (the schema includes the nurses' and audit tables)."""
    from bot.store import Store

    s = Store(f"sqlite:///{tmp_path / 'app.db'}")
    s.create_schema()
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def trained_model(settings):
    from bot.model import ensure_model

    return ensure_model(settings)


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory) -> Iterator["object"]:
    with running_stack(trained_model, tmp_path_factory.mktemp("stack")) as s:
        yield s


@contextmanager
def running_stack(model, run_dir, timeout: float = 420) -> Iterator["object"]:
    """Action server, Rasa and API on free ports, with SQLite files in ``run_dir``; stopped afterwards."""
    from bot.stack import Ports, Stack, free_port

    s = Stack(
        model,
        Ports(actions=free_port(), rasa=free_port(), api=free_port()),
        run_dir,
        extra_env={"APP_ENV": "test", "PORTAL_JWT_SECRET": TEST_SECRET, "DATABASE_URL": f"sqlite:///{run_dir / 'app.db'}"},
    )
    s.start()
    try:
        s.wait_ready(timeout=timeout)
        yield s
    finally:
        s.stop()


@pytest.fixture()
def api(stack, make_token):
    """Chat as a patient: ``api.chat("tekst", procedure=..., sub=...)`` returns the httpx response."""

    class Client:
        def __init__(self):
            self.http = httpx.Client(base_url=stack.api_url, timeout=30)
            # a patient of this test's own: the API's per-patient rate limit spans the whole run
            self.patient = f"patient-{uuid.uuid4().hex[:8]}"

        def headers(self, sub=None):
            return {"Authorization": f"Bearer {make_token(sub or self.patient)}"}

        def chat(self, text, conversation_id=None, procedure=None, sub=None, token=None):
            sub = sub or self.patient
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


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the real PostgreSQL (tests/services.py), dropped afterwards."""
    from tests.services import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url
