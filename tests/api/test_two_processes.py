"""Scaled out as in production: one action server, two Rasa servers and two API processes
(API1 -> Rasa1, API2 -> Rasa2) sharing one real PostgreSQL database (Rasa's tracker store and the
API's store) and the real Redis (Rasa's lock store). Started once for this module.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import List

import httpx
import pytest
import redis
import sqlalchemy as sa

from bot.conversation_lock import KEY_PREFIX
from bot.stack import Ports, Stack, free_port
from tests.conftest import TEST_SECRET
from tests.services import fresh_postgres_database, redis_test_url

pytestmark = pytest.mark.stack

# Without a treatment the bot asks which one (Rasa slot pending_topic), then answers for it.
QUESTION = "Mag ik tillen?"
LIFTING = "1 week"  # the blood-patch leaflet's lifting advice
FAIL_SAFE = "Het lukt nu niet"


@dataclass
class Cluster:
    one: Stack
    two: Stack
    database_url: str
    redis_url: str

    def events(self, conversation_id: str) -> List[str]:
        """Rasa's tracker events of a conversation in the shared PostgreSQL, in stored order."""
        engine = sa.create_engine(self.database_url, future=True)
        try:
            with engine.connect() as db:
                rows = db.execute(
                    sa.text("select type_name, action_name from events where sender_id = :id order by id"), {"id": conversation_id}
                ).all()
        finally:
            engine.dispose()
        return [f"{t}:{a}" if a else t for t, a in rows]


@pytest.fixture(scope="module")
def cluster(trained_model, tmp_path_factory):
    with fresh_postgres_database() as database_url:
        redis_url = redis_test_url()
        # Messages to one conversation wait for each other's turn: allow more than a single reply takes.
        env = {"APP_ENV": "test", "PORTAL_JWT_SECRET": TEST_SECRET, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
               "RASA_TIMEOUT_SECONDS": "30", "CONVERSATION_LOCK_WAIT_SECONDS": "120"}
        actions = free_port()
        one = Stack(trained_model, Ports(actions, free_port(), free_port()), tmp_path_factory.mktemp("one"), extra_env=env)
        two = Stack(trained_model, Ports(actions, free_port(), free_port()), tmp_path_factory.mktemp("two"), extra_env=env)
        try:
            one.start()
            two.start(services=("rasa", "api"))  # the second pair uses the first one's action server
            one.wait_ready(timeout=900)
            two.wait_ready(timeout=900)
            yield Cluster(one, two, database_url, redis_url)
        finally:
            two.stop()
            one.stop()


@pytest.fixture(scope="module")
def clients(cluster):
    made = [httpx.Client(base_url=s.api_url, timeout=60) for s in (cluster.one, cluster.two)]
    yield made
    for client in made:
        client.close()


def chat(client, token, text, conversation_id=None, procedure=None):
    body = {"text": text, **({"conversation_id": conversation_id} if conversation_id else {}), **({"procedure": procedure} if procedure else {})}
    response = client.post("/api/chat", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    reply = response.json()
    reply["text"] = "\n".join(r["text"] for r in reply["replies"])
    assert reply["text"] and FAIL_SAFE not in reply["text"], reply  # Rasa answered, not the fail-safe
    return reply


def test_both_processes_use_the_shared_stores(cluster):
    for stack in (cluster.one, cluster.two):
        rendered = (stack.run_dir / "endpoints.yml").read_text()
        assert "dialect: postgresql" in rendered and "type: redis" in rendered
        assert (stack.run_dir / "endpoints.yml").stat().st_mode & 0o077 == 0


def test_rasa_dialogue_state_continues_on_the_other_process(cluster, clients, make_token):
    api1, api2 = clients
    token = make_token("patient-scale-1")
    first = chat(api1, token, QUESTION)
    assert "Welke behandeling" in first["text"]
    # Rasa2 never saw this conversation: the pending question comes from the shared tracker store.
    second = chat(api2, token, "bloedpatch", conversation_id=first["conversation_id"])
    assert LIFTING in second["text"] and "Bron: folder Bloedpatch" in second["text"] and "Welke behandeling" not in second["text"]
    assert second["sources"] and second["sources"][0]["leaflet"] == "bloedpatch-na-ruggenprik"
    # Control: without that earlier question, the same answer does not give the lifting advice.
    alone = chat(api2, make_token("patient-scale-1b"), "bloedpatch")
    assert LIFTING not in alone["text"]


def test_escalation_transcript_and_ownership_are_shared(cluster, clients, make_token):
    api1, api2 = clients
    token = make_token("patient-scale-2")
    alarm = chat(api1, token, "ik heb sinds vanmiddag 38,7 koorts", procedure="bloedpatch")
    conv = alarm["conversation_id"]
    assert alarm["escalation"]["reasons"] == ["fever"]
    later = chat(api2, token, "dank u wel", conversation_id=conv)
    assert later["escalation"] is not None and later["escalation"]["reasons"] == ["fever"]
    transcript = api2.get(f"/api/conversations/{conv}", headers={"Authorization": f"Bearer {token}"})
    assert transcript.status_code == 200
    messages = transcript.json()["messages"]
    assert [m["sender"] for m in messages] == ["patient", "bot", "patient", "bot"]
    assert messages[0]["text"] == "ik heb sinds vanmiddag 38,7 koorts" and messages[2]["text"] == "dank u wel"
    assert messages[1]["escalation"]["reasons"] == ["fever"]
    other = {"Authorization": f"Bearer {make_token('patient-scale-other')}"}
    for client in (api1, api2):
        assert client.get(f"/api/conversations/{conv}", headers=other).status_code == 404
        assert client.post("/api/chat", json={"text": "hallo", "conversation_id": conv}, headers=other).status_code == 404


def test_concurrent_messages_to_one_conversation_are_all_stored_and_answered_in_turn(cluster, clients, make_token):
    api1, api2 = clients
    token = make_token("patient-scale-3")
    conv = chat(api1, token, "hallo", procedure="hernia")["conversation_id"]
    texts = ["Mag ik douchen?", "Mag ik autorijden?", "Hoe lang mag ik niet tillen?", "Wanneer mag ik weer werken?", "Mag ik sporten?", "dank u wel"]

    db = int(cluster.redis_url.rsplit("/", 1)[1])
    lock_key, turn_key = f"lock:{conv}", f"{KEY_PREFIX}{conv}"  # Rasa's lock store; the API's turn (bot/conversation_lock.py)
    lock_writes, turn_writes, stop = [], [], threading.Event()
    watcher = redis.Redis.from_url(cluster.redis_url, socket_timeout=1)

    def watch():  # MONITOR sees every command of both Rasa servers, with its client's address
        with watcher.monitor() as monitor:
            while not stop.is_set():
                try:
                    command = monitor.next_command()
                except (redis.TimeoutError, TimeoutError):
                    continue
                if command["db"] == db and command["command"].upper().startswith("SET "):
                    if lock_key in command["command"]:
                        lock_writes.append(command["client_port"])
                    elif turn_key in command["command"]:
                        turn_writes.append(command["client_port"])

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    time.sleep(0.5)
    try:
        with ThreadPoolExecutor(len(texts)) as pool:
            replies = list(pool.map(lambda i: chat((api1, api2)[i % 2], token, texts[i], conversation_id=conv), range(len(texts))))
    finally:
        time.sleep(0.5)
        stop.set()
        thread.join(timeout=10)
        watcher.close()

    assert all(r["conversation_id"] == conv for r in replies)
    assert not any(r.get("refused") for r in replies), replies  # every message got its turn within the wait
    messages = api1.get(f"/api/conversations/{conv}", headers={"Authorization": f"Bearer {token}"}).json()["messages"]
    # One turn at a time: each patient message is followed by its own answer before the next one is stored.
    assert [m["sender"] for m in messages] == ["patient", "bot"] * (len(texts) + 1)
    assert sorted(m["text"] for m in messages if m["sender"] == "patient") == sorted(["hallo", *texts])

    # Rasa handled the messages one at a time: every user turn ends with action_listen before the
    # next one starts, and none is lost or doubled (Rasa 3.6's own RedisLockStore races between
    # two Rasa servers, RasaHQ/rasa#11256 reverted in #11428; the API's turn lock prevents that).
    events = cluster.events(conv)
    users = [i for i, event in enumerate(events) if event == "user"]
    assert len(users) == len(texts) + 1, events
    assert all(events[i - 1] == "action:action_listen" for i in users) and events[-1] == "action:action_listen", events
    # Both API processes took their turns in Redis (one SET NX per message), and both Rasa servers
    # took and released their tickets there: at least two lock writes per message (issue, finish).
    assert len(turn_writes) >= len(texts) and len(set(turn_writes)) >= 2, turn_writes
    assert len(lock_writes) >= 2 * len(texts), lock_writes


def test_a_restarted_rasa_still_has_the_conversation(cluster, clients, make_token):
    api1, _ = clients
    token = make_token("patient-scale-4")
    first = chat(api1, token, QUESTION)
    assert "Welke behandeling" in first["text"]
    assert "user" in cluster.events(first["conversation_id"])

    cluster.one.stop("rasa")
    cluster.one.start(services=("rasa",))
    cluster.one.wait_ready(timeout=900)

    after = chat(api1, token, "een bloedpatch", conversation_id=first["conversation_id"])
    assert LIFTING in after["text"] and "Bron: folder Bloedpatch" in after["text"] and "Welke behandeling" not in after["text"]
