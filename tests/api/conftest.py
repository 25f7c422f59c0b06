"""Fixtures of the API tests."""
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from bot.settings import Settings
from bot.stack import free_port
from tests.conftest import TEST_SECRET


@pytest.fixture
def rasa_down_client(tmp_path):
    """A real API app on a fresh SQLite store, with Rasa really unreachable (nothing listens on its port)."""
    settings = Settings(
        app_env="test", portal_jwt_secret=TEST_SECRET, database_url=f"sqlite:///{tmp_path / 'app.db'}",
        rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2,
    )
    with TestClient(create_app(settings)) as c:
        yield c


def post(client, token, text, conversation_id=None, procedure=None):
    """POST /api/chat as the widget does; the reply's body, after checking it is a 200."""
    body = {"text": text, **({"conversation_id": conversation_id} if conversation_id else {}), **({"procedure": procedure} if procedure else {})}
    response = client.post("/api/chat", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()
