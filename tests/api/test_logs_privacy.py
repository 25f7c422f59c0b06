"""No message text, no patient id and no token in any log of the running stack (API, Rasa, action
server) at their default level: a distinctive message from a distinctive patient goes through every
path (answer, alarm, refusals, malformed requests, transcript) and is then looked for in the logs."""
import time
import uuid

import httpx
import pytest

pytestmark = pytest.mark.stack


def test_no_message_text_patient_id_or_token_in_the_logs(stack, make_token):
    words = f"Zwiebelkuchen{uuid.uuid4().hex[:8]}"
    patient = f"pt-{uuid.uuid4().hex[:12]}"
    token = make_token(patient)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=stack.api_url, timeout=30) as http:
        first = http.post("/api/chat", json={"text": f"Mag ik na de bloedpatch {words} eten?", "procedure": "bloedpatch"}, headers=headers)
        assert first.status_code == 200, first.text
        conv = first.json()["conversation_id"]
        sent = [
            ({"text": f"{words}: ik heb sinds vannacht 39 graden koorts", "conversation_id": conv}, 200),
            ({"text": f"mijn been is slap {words}", "conversation_id": conv}, 200),
            ({"text": f"{words} " * 400, "conversation_id": conv}, 200),  # too long: stored, not answered (notice)
            ({"text": f"{words}\x00\x1b", "conversation_id": conv}, 200),  # control characters: the same
            ({"text": words, "conversation_id": conv, "unknown": words}, 422),  # unknown field
            ({"text": [words], "conversation_id": conv}, 422),  # wrong type
        ]
        for body, status in sent:
            assert http.post("/api/chat", json=body, headers=headers).status_code == status
        malformed = f'{{"text": "{words}", '.encode()
        assert http.post("/api/chat", content=malformed, headers={**headers, "Content-Type": "application/json"}).status_code == 422
        assert http.post("/api/chat", content=f"text={words}".encode(), headers={**headers, "Content-Type": "text/plain"}).status_code == 415
        assert http.post("/api/chat", json={"text": words}, headers={"Authorization": f"Bearer {token}x"}).status_code == 401
        assert http.post("/api/chat", json={"text": words}, headers={"Authorization": f"Bearer {make_token(patient, expires_in=-300)}"}).status_code == 401
        transcript = http.get(f"/api/conversations/{conv}", headers=headers).json()["messages"]
        assert sum(words in m["text"] for m in transcript) >= 4  # it really was stored and read back
    _nurse_searches(stack, patient, conv)

    time.sleep(1.0)  # let the processes write out what they log
    logs = {path.name: path.read_text(errors="replace") for path in stack.run_dir.glob("*.log")}
    assert {"api.log", "rasa.log", "actions.log"} <= set(logs)
    # The access log is on and was written after the last request (it names the conversation, not the patient).
    assert f"GET /api/conversations/{conv}" in logs["api.log"]
    assert "GET /nurse/?…" in logs["api.log"] and "category=" not in logs["api.log"]  # the searches, without their query
    for name, text in logs.items():
        assert words not in text, f"message text in {name}"
        assert patient not in text, f"patient id in {name}"
        assert token.split(".")[1] not in text, f"token in {name}"


def _nurse_searches(stack, patient, conv):
    """A nurse logs in and searches the queue and the audit log by this patient and a category."""
    import re

    import sqlalchemy as sa

    from bot.nurses import Accounts

    password, name = "zes woorden vormen een wachtwoord", f"nurse-{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(stack.settings().database_url, future=True)
    try:
        Accounts(engine).create(name, password)
    finally:
        engine.dispose()
    with httpx.Client(base_url=stack.api_url, timeout=30, follow_redirects=False) as http:
        page = http.get("/nurse/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert http.post("/nurse/login", data={"username": name, "password": password, "csrf_token": csrf}).status_code == 303
        assert http.get("/nurse/", params={"patient_id": patient, "category": "fever", "status": "all"}).status_code == 200
        assert http.get(f"/nurse/conversations/{conv}").status_code == 200
