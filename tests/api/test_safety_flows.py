"""Other languages, the red-flag question and escalations that hold, through POST /api/chat.

A real API app, a real SQLite store; Rasa is unreachable (nothing listens on its port), so these
are the red-flag layer's own flows: they must work when Rasa is down. The full stack is tested
in tests/api/test_chat.py and by the gate.
"""
import pytest

from bot import review


@pytest.fixture
def client(rasa_down_client):
    return rasa_down_client


@pytest.fixture
def chat(client, make_token):
    token = make_token("patient-safety")

    def send(text, conversation_id=None, procedure=None):
        body = {"text": text, **({"conversation_id": conversation_id} if conversation_id else {}), **({"procedure": procedure} if procedure else {})}
        response = client.post("/api/chat", json=body, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
        return response.json()

    return send


def queue_of(client):
    engine = client.app.state.chat.store.engine
    return {item.conversation_id: item for item in review.queue(engine, review.Filters(status="all"))}


def test_unsure_asks_a_red_flag_question_and_ja_escalates_at_once(client, chat):
    first = chat("mijn been voelt raar sinds vanmiddag", procedure="hernia")
    assert first["escalation"] is None
    question = first["replies"][-1]
    assert "minder kracht" in question["text"]
    assert question["buttons"] == [{"title": "Ja", "payload": "Ja"}, {"title": "Nee", "payload": "Nee"}]
    conv = first["conversation_id"]
    item = queue_of(client)[conv]
    assert item.categories == ["red_flag_question"] and item.status == "new"  # the nurses see it was asked

    yes = chat("Ja", conv)
    assert yes["escalation"]["reasons"] == ["neuro_deficit"]
    assert "minder kracht of gevoel" in yes["replies"][0]["text"]
    later = chat("Oh nee, laat maar, het gaat alweer", conv)
    assert later["escalation"]["reasons"] == ["neuro_deficit"], "an escalation is never taken back"
    transcript = client.app.state.chat.store.transcript(conv)
    assert [m["text"] for m in transcript if m["sender"] == "patient"][1] == "Ja"  # the click is stored as a message
    assert transcript[1]["buttons"] and transcript[1]["red_flag_question"] == "neuro_deficit"
    view = review.conversation(client.app.state.chat.store.engine, conv)
    assert view.messages[1]["question"] == {"category": "neuro_deficit", "answer": "yes"}


def test_nee_is_remembered_and_the_same_question_is_not_asked_again(client, chat):
    first = chat("het plassen gaat wat stroef", procedure="bloedpatch")
    conv = first["conversation_id"]
    no = chat("nee hoor", conv)
    assert no["escalation"] is None and "Dank u voor uw antwoord" in no["replies"][0]["text"]
    assert not any(r.get("buttons") for r in no["replies"])
    again = chat("plassen gaat nog steeds wat moeilijk", conv)
    assert not any(r.get("buttons") for r in again["replies"]), "asked before, answered no: not again"
    other_area = chat("en ik heb het ook een beetje warm", conv)
    assert "38 graden" in other_area["replies"][-1]["text"] and other_area["replies"][-1]["buttons"]
    view = review.conversation(client.app.state.chat.store.engine, conv)
    assert [m["question"] for m in view.messages if m["question"]][0] == {"category": "bladder_bowel", "answer": "no"}


def test_a_real_alarm_after_an_open_question_escalates_and_answers_nothing_wrong(chat):
    first = chat("de wond ziet er anders uit", procedure="hernia")
    assert first["replies"][-1]["buttons"]
    alarm = chat("nu ook 38,9 koorts", first["conversation_id"])
    assert alarm["escalation"]["reasons"] == ["fever"]


def test_an_unsupported_language_gets_a_dutch_and_english_safety_net_and_goes_to_the_nurses(client, chat):
    body = chat("Non sento più le gambe da stamattina, cosa devo fare?", procedure="bloedpatch")
    texts = [r["text"] for r in body["replies"]]
    assert "only read messages in Dutch" in texts[0] and "Ik begrijp alleen berichten in het Nederlands" in texts[1]
    assert all("088 320 31 00" in t and "112" in t for t in texts)
    assert body["escalation"] is None
    chat("grazie", body["conversation_id"])
    item = queue_of(client)[body["conversation_id"]]
    assert item.categories == ["other_language"]
    flags = client.app.state.chat.store.flags_for(body["conversation_id"])
    assert len(flags) == 1, "one notice per conversation, not one per message"


def test_a_polish_alarm_escalates_with_the_advice_in_polish_and_dutch(chat):
    body = chat("Mam gorączkę 39 stopni od rana", procedure="ruggenmergstimulatie")
    assert body["escalation"]["reasons"] == ["fever"]
    texts = [r["text"] for r in body["replies"]]
    assert len(texts) == 2 and "088 320 68 00" in texts[0] and texts[1].startswith("U meldt: koorts")


def test_english_gets_english_safety_texts(chat):
    alarm = chat("I can't feel my legs since this morning and I can't pee", procedure="hernia")
    assert set(alarm["escalation"]["reasons"]) == {"neuro_deficit", "bladder_bowel"}
    assert alarm["replies"][0]["text"].startswith("You report:") and "112" in alarm["replies"][0]["text"]
    calm = chat("when can I drive again?", procedure="hernia")
    assert calm["escalation"] is None and calm["replies"][0]["text"].startswith("I cannot answer your question right now")


def test_an_emergency_and_a_suicidal_message_say_112_and_113(chat):
    emergency = chat("mijn man is flauwgevallen en reageert niet meer", procedure="hernia")
    assert emergency["escalation"]["contact"]["phone"] == "112" and emergency["replies"][0]["text"].startswith("Bel nu direct 112")
    suicidal = chat("ik wil niet meer leven, ik heb mijn pillen al klaargelegd", procedure="bloedpatch")
    assert suicidal["escalation"]["reasons"] == ["suicidal"] and suicidal["escalation"]["contact"]["phone"] == "113"
    assert "113" in suicidal["replies"][0]["text"] and "0800-0113" in suicidal["replies"][0]["text"]


def test_telling_more_after_the_question_is_read_together_with_the_message_before(chat):
    first = chat("Ik heb sinds vanochtend een doof gevoel", procedure="hernia")
    assert first["escalation"] is None and first["replies"][-1]["buttons"], "vague: the bot asks"
    more = chat("Rond mijn billen en aan de binnenkant van mijn dijen", first["conversation_id"])
    assert more["escalation"]["reasons"] == ["saddle_anaesthesia"]


def test_an_alarm_in_an_unsupported_language_gets_the_safety_net_and_escalates(chat):
    body = chat("Ho la febbre a 39 da stamattina", procedure="hernia")
    assert body["escalation"]["reasons"] == ["fever"]
    texts = [r["text"] for r in body["replies"]]
    assert "only read messages in Dutch" in texts[0] and "Ik begrijp alleen berichten in het Nederlands" in texts[1]
    assert any(t.startswith("You report: fever") for t in texts) and any(t.startswith("U meldt: koorts") for t in texts)
