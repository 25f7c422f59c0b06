"""The API's store on the real PostgreSQL (TEST_POSTGRES_URL), a fresh database per test."""
import threading

import sqlalchemy as sa

from bot.store import Store


def test_conversation_messages_flags_and_transcript_survive_a_restart(postgres_url):
    store = Store(postgres_url)
    store.create_schema()
    conv = store.create_conversation("patient-pg", "hernia")
    first = store.add_message(conv.id, "patient", "mijn been is slap")
    store.flag(conv.id, first, ["neuro_deficit"], [{"category": "neuro_deficit", "start": 12, "end": 16, "text": "slap", "layer": "red_flag"}])
    store.add_message(conv.id, "bot", "Neem direct contact op.", {"escalation": {"reasons": ["neuro_deficit"]}, "sources": []})
    second = store.add_message(conv.id, "patient", "ik heb ook 38,5 koorts")
    store.flag(conv.id, second, ["fever"], [{"category": "fever", "layer": "red_flag"}])
    store.watch(conv.id, ["neuro_deficit"])
    store.dispose()

    restarted = Store(postgres_url)  # a new process: only what PostgreSQL holds
    restarted.create_schema()  # idempotent on an existing schema
    again = restarted.get_conversation(conv.id)
    assert again.patient_id == "patient-pg" and again.procedure == "hernia"
    assert again.escalated and again.reasons == ["neuro_deficit", "fever"]
    assert again.watching == ["neuro_deficit"]
    transcript = restarted.transcript(conv.id)
    assert [(m["sender"], m["text"]) for m in transcript] == [
        ("patient", "mijn been is slap"), ("bot", "Neem direct contact op."), ("patient", "ik heb ook 38,5 koorts"),
    ]
    assert transcript[1]["escalation"] == {"reasons": ["neuro_deficit"]}
    assert [f["categories"] for f in restarted.flags_for(conv.id)] == [["neuro_deficit"], ["fever"]]
    assert restarted.flags_for(conv.id)[0]["spans"][0]["text"] == "slap"
    with restarted.engine.connect() as db:
        assert db.execute(sa.text("select current_database()")).scalar_one() == sa.engine.make_url(postgres_url).database
    restarted.dispose()


def test_an_escalation_is_never_taken_back(postgres_url):
    store = Store(postgres_url)
    store.create_schema()
    conv = store.create_conversation("patient-sticky", None)
    store.flag(conv.id, store.add_message(conv.id, "patient", "38,6 koorts"), ["fever"], [])
    escalated_at = _escalated_at(store, conv.id)
    store.flag(conv.id, store.add_message(conv.id, "patient", "en mijn billen zijn doof"), ["saddle_anaesthesia", "fever"], [])
    store.set_procedure(conv.id, "bloedpatch")
    store.add_message(conv.id, "patient", "sorry, ik bedoelde 36,8")
    now = store.get_conversation(conv.id)
    assert now.escalated and now.reasons == ["fever", "saddle_anaesthesia"]
    assert _escalated_at(store, conv.id) == escalated_at  # the first escalation time stays
    store.dispose()


def test_schema_creation_by_several_processes_at_once(postgres_url):
    """API processes that start together must not collide on CREATE TABLE."""
    errors = []

    def create():
        store = Store(postgres_url)
        try:
            store.create_schema()
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    store = Store(postgres_url)
    assert {"conversations", "messages", "flags"} <= set(sa.inspect(store.engine).get_table_names())
    store.dispose()


def _escalated_at(store: Store, conv_id: str):
    with store.engine.connect() as db:
        return db.execute(sa.text("select escalated_at from conversations where id = :id"), {"id": conv_id}).scalar_one()
