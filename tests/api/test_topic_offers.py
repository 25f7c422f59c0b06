"""Unsure between topics, the bot offers them as buttons; a click answers the chosen topic
(through POST /api/chat on the real stack: API, Rasa, action server)."""
import pytest

pytestmark = pytest.mark.stack

# Vague questions that leave Rasa and the leaflets' words between topics. Which of them gets an offer
# depends on the trained model; at least one must.
VAGUE = [
    ("en daarna?", "ruggenmergstimulatie"),
    ("wat moet ik daarna doen?", "wortelinfiltratie"),
    ("en daarna?", "bloedpatch"),
    ("wat moet ik daarna doen?", "hernia"),
    ("en daarna?", "wortelinfiltratie"),
]


def _offer(api):
    for text, procedure in VAGUE:
        body = api.chat(text, procedure=procedure).json()
        last = body["replies"][-1]
        if last.get("buttons") and "Bedoelt u" in last["text"]:
            return body, procedure
    pytest.fail("none of the vague questions got the topics offered")


def test_an_offer_has_topic_buttons_and_iets_anders(api):
    body, _ = _offer(api)
    buttons = body["replies"][-1]["buttons"]
    assert 3 <= len(buttons) <= 4 and buttons[-1] == {"title": "Iets anders", "payload": "Iets anders"}
    assert all(b["title"] == b["payload"] and not b["payload"].startswith("/") for b in buttons)  # the patient sees words
    assert body["escalation"] is None and body["sources"] == []


def test_a_click_answers_the_chosen_topic_and_its_title_is_the_stored_message(api, stack):
    body, procedure = _offer(api)
    choice = body["replies"][-1]["buttons"][0]
    answer = api.chat(choice["payload"], conversation_id=body["conversation_id"], procedure=procedure).json()
    assert answer["sources"], answer  # a leaflet answer, with its source
    assert answer["escalation"] is None
    transcript = api.http.get(f"/api/conversations/{body['conversation_id']}", headers=api.headers()).json()
    patient_texts = [m["text"] for m in transcript["messages"] if m["sender"] == "patient"]
    assert patient_texts[-1] == choice["title"]


def test_iets_anders_asks_to_rephrase_for_the_patients_own_treatment(api):
    body, procedure = _offer(api)
    reply = api.chat("Iets anders", conversation_id=body["conversation_id"], procedure=procedure).json()
    text = " ".join(r["text"] for r in reply["replies"])
    assert "anders zeggen" in text and "Bijvoorbeeld" in text
    if procedure != "bloedpatch":
        assert "bloedpatch" not in text  # the example fits the patient's treatment

