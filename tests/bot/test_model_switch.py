"""A newly trained model is switched in while patients chat: no failed or fail-safe replies, and a
conversation in progress continues with its state (bot/model_switch.py)."""
import shutil
import threading
import time

import httpx
import pytest

from bot import model_switch, texts
from tests.conftest import running_stack

pytestmark = pytest.mark.stack

FAIL_SAFE = texts.get("fail_safe")[:30]


@pytest.fixture(scope="module")
def own_stack(trained_model, tmp_path_factory):
    """A stack of its own: the switch replaces its Rasa process."""
    with running_stack(trained_model, tmp_path_factory.mktemp("switch-stack"), timeout=600) as stack:
        yield stack


def _chat(client, make_token, text, patient, conversation_id=None):
    body = {"text": text, **({"conversation_id": conversation_id} if conversation_id else {})}
    return client.post("/api/chat", json=body, headers={"Authorization": f"Bearer {make_token(patient)}"})


def test_switching_models_loses_no_message_and_no_conversation(own_stack, trained_model, tmp_path, make_token):
    client = httpx.Client(base_url=own_stack.api_url, timeout=60)
    first = _chat(client, make_token, "Mag ik tillen?", "patient-switch").json()
    assert "Welke behandeling" in first["replies"][-1]["text"]  # the question now waits for the treatment

    new_model = tmp_path / "newly-trained.tar.gz"  # stands in for a retrained model (training takes minutes)
    shutil.copy(trained_model, new_model)
    old_port, old_process = own_stack.ports.rasa, own_stack.processes["rasa"]

    outcomes, stop = [], threading.Event()

    def patients_keep_chatting():
        with httpx.Client(base_url=own_stack.api_url, timeout=60) as other:
            n = 0
            while not stop.is_set():
                n += 1
                response = _chat(other, make_token, "Hoe lang moet ik plat liggen na de bloedpatch?", f"patient-bg-{n}")
                outcomes.append((time.monotonic(), response.status_code, response.text))
                time.sleep(0.2)

    sender = threading.Thread(target=patients_keep_chatting, daemon=True)
    sender.start()
    switch_started = time.monotonic()
    model_switch.switch(own_stack, new_model, grace_seconds=2.0)
    switch_ended = time.monotonic()
    time.sleep(3.0)  # a few messages on the new Rasa as well
    stop.set()
    sender.join(timeout=90)

    during = [o for o in outcomes if switch_started <= o[0] <= switch_ended]
    after = [o for o in outcomes if o[0] > switch_ended]
    assert len(during) >= 10 and after, (len(during), len(after))
    assert all(code == 200 for _, code, _ in outcomes), [o for o in outcomes if o[1] != 200][:3]
    assert not [o for o in outcomes if FAIL_SAFE in o[2]], "a patient got the fail-safe reply during the switch"
    assert all("4 uur" in text for _, _, text in outcomes)  # answered by Rasa, with the leaflet's answer

    assert own_stack.ports.rasa != old_port and own_stack.model == new_model.resolve()
    assert old_process.poll() is not None, "the old Rasa process still runs"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{old_port}/", timeout=2)

    # The conversation started before the switch goes on where it was: the treatment answers the question.
    second = _chat(client, make_token, "bloedpatch", "patient-switch", first["conversation_id"]).json()
    text = " ".join(r["text"] for r in second["replies"])
    assert "1 week" in text and "Welke behandeling" not in text
    assert second["sources"] == [{"leaflet": "bloedpatch-na-ruggenprik", "section": "Nazorg"}]
    client.close()


def test_a_model_that_fails_to_load_leaves_the_current_one_serving(own_stack, tmp_path, make_token):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a model")
    port, process = own_stack.ports.rasa, own_stack.processes["rasa"]
    with pytest.raises((RuntimeError, TimeoutError)):
        model_switch.switch(own_stack, broken, timeout=300, grace_seconds=0)
    assert own_stack.ports.rasa == port and own_stack.processes["rasa"] is process and process.poll() is None
    assert own_stack.rasa_url_file.read_text() == own_stack.rasa_url
    with httpx.Client(base_url=own_stack.api_url, timeout=60) as client:
        reply = _chat(client, make_token, "Hoe lang moet ik plat liggen na de bloedpatch?", "patient-after-broken").json()
    assert "4 uur" in reply["replies"][0]["text"]


def test_the_run_command_serves_a_switch_request_and_reports_it(own_stack, trained_model, tmp_path):
    copy = tmp_path / "again.tar.gz"
    shutil.copy(trained_model, copy)
    result = {}
    requester = threading.Thread(target=lambda: result.update(model_switch.request(own_stack.run_dir, copy, timeout=600)))
    requester.start()
    deadline = time.monotonic() + 30
    while not (own_stack.run_dir / model_switch.REQUEST).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    model_switch.serve_requests(own_stack)  # what `python -m bot run` does every second
    requester.join(timeout=60)
    assert result.get("ok") is True and result["model"] == str(copy.resolve()) and result["rasa_url"] == own_stack.rasa_url
    assert not (own_stack.run_dir / model_switch.REQUEST).exists()
