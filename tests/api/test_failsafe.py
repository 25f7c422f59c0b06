"""Rasa down: the API still answers in Dutch and still escalates alarms from bot/'s own triage.

A real API app and a real SQLite store; Rasa is really unreachable (nothing listens on its port).
"""
import pytest

from tests.api.conftest import post


@pytest.fixture
def client(rasa_down_client):
    return rasa_down_client


def test_alarm_is_escalated_without_rasa(client, make_token):
    body = post(client, make_token(), "ik kan sinds vanochtend niet meer plassen", procedure="hernia")
    assert body["escalation"]["reasons"] == ["bladder_bowel"]
    assert "huisarts" in body["replies"][0]["text"] and "112" in body["replies"][0]["text"]


def test_other_messages_get_a_dutch_cannot_answer_reply(client, make_token):
    body = post(client, make_token(), "mag ik tillen na de bloedpatch?")
    assert body["escalation"] is None
    assert "Het lukt nu niet" in body["replies"][0]["text"] and "112" in body["replies"][0]["text"]


def test_unknown_procedure_general_advice_first_then_the_specific_contact(client, make_token):
    token = make_token("patient-flow")
    first = post(client, token, "mijn billen voelen helemaal doof")
    assert first["escalation"]["contact"]["phone"] == ""
    assert "Welke behandeling" in first["replies"][-1]["text"]
    second = post(client, token, "een wortelinfiltratie", conversation_id=first["conversation_id"])
    assert second["escalation"]["contact"]["phone"] == "015 89 22 50"
    assert "015 89 22 50" in second["replies"][0]["text"]


def test_escalation_is_never_taken_back(client, make_token):
    token = make_token("patient-sticky")
    first = post(client, token, "ik heb 38,6 koorts", procedure="bloedpatch")
    conv = first["conversation_id"]
    for text in ("sorry, ik bedoelde 36,8", "ik heb geen koorts hoor", "dank u"):
        later = post(client, token, text, conversation_id=conv)
        assert later["escalation"]["reasons"] == ["fever"]
        assert any("direct contact" in r["text"] for r in later["replies"])


def test_flag_with_categories_and_spans_is_stored(client, make_token):
    body = post(client, make_token("patient-flag"), "geen koorts, maar mijn been is slap", procedure="hernia")
    flags = client.app.state.chat.store.flags_for(body["conversation_id"])
    assert flags and flags[0]["categories"] == ["neuro_deficit"]
    span = flags[0]["spans"][0]
    assert span["layer"] == "red_flag" and "slap" in span["text"]


def test_a_harmless_effect_that_persists_becomes_an_alarm(client, make_token):
    token = make_token("patient-watch")
    first = post(client, token, "mijn been voelt warm en wat krachteloos, de verdoving werkt nog", procedure="wortelinfiltratie")
    assert first["escalation"] is None
    later = post(client, token, "het is de volgende dag nog steeds zo, eerder erger", conversation_id=first["conversation_id"])
    assert later["escalation"]["reasons"] == ["neuro_deficit"]


def test_an_alarm_in_a_message_that_is_too_long_is_still_escalated_and_stored(client, make_token):
    token = make_token("patient-long")
    text = "Ik wil u graag uitgebreid vertellen hoe het gaat. " * 40 + "Sinds vanochtend kan ik niet meer plassen."
    response = client.post("/api/chat", json={"text": text, "procedure": "hernia"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, "stored and escalated: never a 4xx a portal may drop"
    body = response.json()
    assert "longer than 2000" in body["detail"] and body["refused"] == "too_long" and "te lang" in body["notice"]
    assert body["escalation"]["reasons"] == ["bladder_bowel"]
    assert "direct contact" in body["replies"][0]["text"] and "te lang" in body["replies"][-1]["text"]
    assert client.app.state.chat.store.flags_for(body["conversation_id"])[0]["categories"] == ["bladder_bowel"]
    transcript = client.get(f"/api/conversations/{body['conversation_id']}", headers={"Authorization": f"Bearer {token}"}).json()
    assert transcript["messages"][0]["text"] == text.strip()


def test_a_calm_message_that_is_too_long_is_refused_in_dutch_and_kept(client, make_token):
    token = make_token("patient-long-calm")
    first = post(client, token, "hallo", procedure="bloedpatch")
    text = "Het gaat goed met mij en ik heb geen klachten. " * 60
    response = client.post("/api/chat", json={"text": text, "conversation_id": first["conversation_id"]}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert body["refused"] == "too_long"
    assert body["escalation"] is None and body["conversation_id"] == first["conversation_id"]
    assert "te lang" in body["replies"][0]["text"]
    transcript = client.get(f"/api/conversations/{first['conversation_id']}", headers={"Authorization": f"Bearer {token}"}).json()
    assert [m["sender"] for m in transcript["messages"]] == ["patient", "bot", "patient", "bot"]
