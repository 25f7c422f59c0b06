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

    time.sleep(1.0)  # let the processes write out what they log
    logs = {path.name: path.read_text(errors="replace") for path in stack.run_dir.glob("*.log")}
    assert {"api.log", "rasa.log", "actions.log"} <= set(logs)
    # The access log is on and was written after the last request (it names the conversation, not the patient).
    assert f"GET /api/conversations/{conv}" in logs["api.log"]
    for name, text in logs.items():
        assert words not in text, f"message text in {name}"
        assert patient not in text, f"patient id in {name}"
        assert token.split(".")[1] not in text, f"token in {name}"
