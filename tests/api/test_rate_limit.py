"""Rate limiting per patient: a message over the limit is not sent to Rasa, but stored and triaged (an
alarm still escalates), and answered 200 with a Dutch `notice` and Retry-After (a portal that drops
4xx bodies keeps the contact advice); the limit holds across API processes."""
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.main import create_app
from bot import texts
from bot.settings import Settings
from bot.stack import Ports, Stack, free_port
from tests.conftest import TEST_SECRET
from tests.services import rasa_user_texts

LIMIT = 3


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def app_client(tmp_path, rasa_url, **overrides):
    settings = Settings(**{
        "app_env": "test", "portal_jwt_secret": TEST_SECRET, "database_url": f"sqlite:///{tmp_path / 'app.db'}",
        "rasa_url": rasa_url, "rasa_timeout_seconds": 10, "rate_limit_per_minute": LIMIT, **overrides,
    })
    return TestClient(create_app(settings))


@pytest.mark.stack
def test_over_the_limit_an_alarm_is_stored_and_escalated_but_not_sent_to_rasa(tmp_path, stack, make_token):
    token = make_token("patient-rate-alarm")
    with app_client(tmp_path, stack.rasa_url) as client:
        first = client.post("/api/chat", json={"text": "hallo", "procedure": "bloedpatch"}, headers=auth(token))
        assert first.status_code == 200, first.text
        conv = first.json()["conversation_id"]
        for text in ("mag ik douchen?", "mag ik tillen?"):
            assert client.post("/api/chat", json={"text": text, "conversation_id": conv}, headers=auth(token)).status_code == 200

        alarm = "Ik heb sinds vanochtend 39 graden koorts"
        response = client.post("/api/chat", json={"text": alarm, "conversation_id": conv}, headers=auth(token))
        assert response.status_code == 200, "stored and escalated: never a 4xx a portal may drop"
        retry_after = int(response.headers["retry-after"])
        assert 1 <= retry_after <= 60
        body = response.json()
        assert body["refused"] == "rate_limited" and body["detail"] == f"too many messages: at most {LIMIT} per minute"
        assert body["notice"] == texts.get("rate_limited", seconds=retry_after)
        assert body["conversation_id"] == conv and body["escalation"]["reasons"] == ["fever"]
        assert "direct contact" in body["replies"][0]["text"]
        assert body["replies"][-1]["text"] == texts.get("rate_limited", seconds=retry_after)
        assert "Wacht" in body["replies"][-1]["text"] and "112" in body["replies"][-1]["text"]

        messages = client.get(f"/api/conversations/{conv}", headers=auth(token)).json()["messages"]
        assert [m["text"] for m in messages if m["sender"] == "patient"] == ["hallo", "mag ik douchen?", "mag ik tillen?", alarm]
        assert messages[-1]["escalation"]["reasons"] == ["fever"]
        assert client.app.state.chat.store.flags_for(conv)[0]["categories"] == ["fever"]
        assert rasa_user_texts(stack, conv) == ["hallo", "mag ik douchen?", "mag ik tillen?"]

        # Another patient is not limited.
        other = client.post("/api/chat", json={"text": "hallo"}, headers=auth(make_token("patient-rate-other")))
        assert other.status_code == 200


def test_a_calm_message_over_the_limit_gets_the_dutch_wait_text_and_is_kept(tmp_path, make_token):
    token = make_token("patient-rate-calm")
    with app_client(tmp_path, f"http://127.0.0.1:{free_port()}") as client:
        for _ in range(LIMIT):
            assert client.post("/api/chat", json={"text": "hallo"}, headers=auth(token)).status_code == 200
        response = client.post("/api/chat", json={"text": "nog een vraag"}, headers=auth(token))
        assert response.status_code == 200
        body = response.json()
        assert body["escalation"] is None and body["refused"] == "rate_limited" and body["notice"]
        assert body["replies"] == [{"text": texts.get("rate_limited", seconds=int(response.headers["retry-after"]))}]
        messages = client.get(f"/api/conversations/{body['conversation_id']}", headers=auth(token)).json()["messages"]
        assert [m["text"] for m in messages] == ["nog een vraag", body["replies"][0]["text"]]


def test_a_flood_beyond_the_storing_limit_gets_429_and_is_not_stored(tmp_path, make_token):
    token = make_token("patient-flood")
    with app_client(tmp_path, f"http://127.0.0.1:{free_port()}", store_limit_per_minute=LIMIT + 2) as client:
        conv = client.post("/api/chat", json={"text": "hallo"}, headers=auth(token)).json()["conversation_id"]
        refused = [client.post("/api/chat", json={"text": f"vraag {i}", "conversation_id": conv}, headers=auth(token)).json().get("refused")
                   for i in range(LIMIT + 1)]
        assert refused == [None] * (LIMIT - 1) + ["rate_limited"] * 2  # stored and triaged, not answered
        flood = client.post("/api/chat", json={"text": "ik heb 39 graden koorts", "conversation_id": conv}, headers=auth(token))
        assert flood.status_code == 429 and flood.json() == {"detail": f"too many messages: more than {LIMIT + 2} per minute are not stored"}
        assert 1 <= int(flood.headers["retry-after"]) <= 60
        new = client.post("/api/chat", json={"text": "hallo"}, headers=auth(token))  # a new conversation does not get round it
        assert new.status_code == 429
        messages = client.get(f"/api/conversations/{conv}", headers=auth(token)).json()["messages"]
        assert len([m for m in messages if m["sender"] == "patient"]) == LIMIT + 2 and not client.app.state.chat.store.flags_for(conv)
        assert client.post("/api/chat", json={"text": "hallo"}, headers=auth(make_token("patient-calm"))).status_code == 200


def test_new_conversations_beyond_the_hourly_limit_go_on_in_the_latest_one(tmp_path, make_token):
    token = make_token("patient-many-conversations")
    with app_client(tmp_path, f"http://127.0.0.1:{free_port()}", rate_limit_per_minute=20, new_conversations_per_hour=2) as client:
        ids = [client.post("/api/chat", json={"text": text}, headers=auth(token)).json()["conversation_id"]
               for text in ("hallo", "goedemorgen", "mijn been is opeens slap")]
        assert ids[0] != ids[1] and ids[2] == ids[1]
        messages = client.get(f"/api/conversations/{ids[1]}", headers=auth(token)).json()["messages"]
        assert [m["text"] for m in messages if m["sender"] == "patient"] == ["goedemorgen", "mijn been is opeens slap"]
        assert messages[-1]["escalation"]["reasons"] == ["neuro_deficit"]  # the alarm in it escalates all the same
        assert client.post("/api/chat", json={"text": "hallo"}, headers=auth(make_token("patient-other"))).json()["conversation_id"] not in ids


@pytest.fixture
def two_api_processes(tmp_path, postgres_url):
    """Two real API processes (uvicorn) on one PostgreSQL database, as in production."""
    env = {"APP_ENV": "test", "PORTAL_JWT_SECRET": TEST_SECRET, "DATABASE_URL": postgres_url, "RATE_LIMIT_PER_MINUTE": str(LIMIT)}
    stacks = [Stack(Path("no-model"), Ports(rasa=free_port(), api=free_port()), tmp_path / f"api{i}", extra_env=env) for i in (1, 2)]
    try:
        for s in stacks:
            s.start(services=["api"])
        for s in stacks:
            s.wait_ready(timeout=60)
        yield [s.api_url for s in stacks]
    finally:
        for s in stacks:
            s.stop()


def test_the_limit_holds_across_two_api_processes(two_api_processes, make_token):
    first, second = two_api_processes
    token = make_token("patient-rate-two-processes")
    statuses = []
    for i in range(LIMIT + 1):
        url = (first, second)[i % 2]
        statuses.append(httpx.post(f"{url}/api/chat", json={"text": f"vraag {i}"}, headers=auth(token), timeout=30).json().get("refused"))
    assert statuses == [None] * LIMIT + ["rate_limited"]
    # And the process that refused is not the only one that knows: the other refuses too.
    again = httpx.post(f"{first}/api/chat", json={"text": "nog eens"}, headers=auth(token), timeout=30)
    assert again.status_code == 200 and again.json()["refused"] == "rate_limited" and again.headers["retry-after"]
