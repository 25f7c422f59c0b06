"""Messages in one conversation are answered one at a time (bot/conversation_lock.py). A message
that cannot get its turn in time is stored and triaged all the same, and answered 200 "busy".

A real API app on SQLite and the real Redis; the test itself holds the conversation's lock, as a
second API process in the middle of a turn would. Rasa is not reached in these turns.
"""
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from bot import texts
from bot.conversation_lock import ConversationLocks
from bot.settings import Settings
from bot.stack import free_port
from tests.api.conftest import post
from tests.conftest import TEST_SECRET
from tests.services import redis_test_url


@pytest.fixture
def cluster_member(tmp_path):
    redis_url = redis_test_url()
    settings = Settings(
        app_env="test", portal_jwt_secret=TEST_SECRET, database_url=f"sqlite:///{tmp_path / 'app.db'}",
        rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2, redis_url=redis_url,
        conversation_lock_wait_seconds=0.5,
    )
    other_process = ConversationLocks(redis_url, lease_seconds=30, wait_seconds=1)
    with TestClient(create_app(settings)) as client:
        yield client, other_process
    other_process.close()


def test_a_message_that_waits_too_long_for_its_turn_is_stored_triaged_and_answered_busy(cluster_member, make_token):
    client, other_process = cluster_member
    token = make_token("patient-busy")
    conv = post(client, token, "hallo", procedure="hernia")["conversation_id"]
    with other_process.hold(conv) as held:
        assert held
        calm = post(client, token, "mag ik douchen?", conversation_id=conv)
        alarm = post(client, token, "ik kan mijn been niet meer optillen", conversation_id=conv)
    assert calm["refused"] == "busy" and calm["notice"] == texts.get("busy") and calm["escalation"] is None
    assert calm["replies"] == [{"text": texts.get("busy")}] and "bezig met uw vorige bericht" in calm["notice"]
    # An alarm sent while the conversation is busy escalates at once; the lock only decides about Rasa.
    assert alarm["refused"] == "busy" and alarm["escalation"]["reasons"] == ["neuro_deficit"]
    assert "112" in alarm["replies"][0]["text"] and alarm["replies"][-1]["text"] == texts.get("busy")
    messages = client.get(f"/api/conversations/{conv}", headers={"Authorization": f"Bearer {token}"}).json()["messages"]
    assert [m["text"] for m in messages if m["sender"] == "patient"] == ["hallo", "mag ik douchen?", "ik kan mijn been niet meer optillen"]
    assert client.app.state.chat.store.flags_for(conv)[0]["categories"] == ["neuro_deficit"]
    # Once the other turn is over, the conversation is answered again (here by the fail-safe: Rasa is down).
    after = post(client, token, "mag ik douchen?", conversation_id=conv)
    assert "refused" not in after and after["escalation"]["reasons"] == ["neuro_deficit"]


def test_another_conversation_of_the_same_patient_is_not_held_up(cluster_member, make_token):
    client, other_process = cluster_member
    token = make_token("patient-busy-2")
    first = post(client, token, "hallo", procedure="hernia")["conversation_id"]
    with other_process.hold(first):
        second = post(client, token, "mag ik douchen?", procedure="hernia")
    assert "refused" not in second and second["conversation_id"] != first
