"""The review queue and actions on real SQLite, with flags stored the way bot/chat.py stores them."""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot import review
from bot.review import Filters, ReviewError
from bot.store import Store, flags


def flagged(store, patient, text, categories, procedure="hernia"):
    conv = store.create_conversation(patient, procedure)
    message_id = store.add_message(conv.id, "patient", text)
    spans = []
    for category in categories:
        word = {"fever": "koorts", "neuro_deficit": "slap", "bladder_bowel": "plassen", "saddle_anaesthesia": "doof"}[category]
        start = text.index(word)
        spans.append({"category": category, "start": start, "end": start + len(word), "text": word, "layer": "red_flag"})
    store.flag(conv.id, message_id, categories, spans)
    store.add_message(conv.id, "bot", "Neem direct contact op.")
    return conv.id


def test_queue_order_new_first_then_urgency_then_newest(store):
    fever_old = flagged(store, "p1", "ik heb koorts", ["fever"])
    bladder = flagged(store, "p2", "ik kan niet plassen", ["bladder_bowel"])
    fever_new = flagged(store, "p3", "weer koorts", ["fever"])
    two = flagged(store, "p4", "koorts en mijn been is slap", ["fever", "neuro_deficit"])
    taken = flagged(store, "p5", "ik kan niet plassen en mijn billen zijn doof", ["bladder_bowel", "saddle_anaesthesia"])
    review.change_status(store.engine, taken, "take", "anna")
    order = [i.conversation_id for i in review.queue(store.engine, Filters())]
    # New before in progress whatever the urgency; cauda equina before loss of strength before fever; newest first.
    assert order == [bladder, two, fever_new, fever_old, taken]
    item = review.queue(store.engine, Filters(category="neuro_deficit"))[0]
    assert (item.conversation_id, item.categories, item.procedure, item.status, item.patient_id) == (two, ["fever", "neuro_deficit"], "hernia", "new", "p4")


def test_filters_by_status_category_and_date(store):
    a = flagged(store, "p1", "ik heb koorts", ["fever"])
    b = flagged(store, "p2", "mijn been is slap", ["neuro_deficit"])
    review.change_status(store.engine, b, "close", "anna", "gebeld, komt langs")
    assert [i.conversation_id for i in review.queue(store.engine, Filters())] == [a]  # open = not closed
    assert [i.conversation_id for i in review.queue(store.engine, Filters(status="closed"))] == [b]
    assert {i.conversation_id for i in review.queue(store.engine, Filters(status="all"))} == {a, b}
    assert review.queue(store.engine, Filters(status="all", category="bladder_bowel")) == []
    with store.engine.begin() as db:
        db.execute(flags.update().where(flags.c.conversation_id == a).values(created_at=datetime(2025, 3, 1, 12, tzinfo=timezone.utc)))
    assert [i.conversation_id for i in review.queue(store.engine, Filters(status="all", since=date(2025, 3, 1), until=date(2025, 3, 1)))] == [a]
    assert [i.conversation_id for i in review.queue(store.engine, Filters(status="all", since=date(2025, 3, 2)))] == [b]


def test_status_changes_and_a_new_alarm_reopens(store):
    conv = flagged(store, "p1", "ik heb koorts", ["fever"])
    assert review.change_status(store.engine, conv, "take", "anna") == "in_progress"
    assert review.change_status(store.engine, conv, "contacted", "anna") == "contacted"
    with pytest.raises(ReviewError, match="needs a note"):
        review.change_status(store.engine, conv, "close", "anna", "  ")
    with pytest.raises(ReviewError, match="unknown action"):
        review.change_status(store.engine, conv, "delete", "anna")
    assert review.change_status(store.engine, conv, "close", "anna", "Patiënt gebeld; naar SEH") == "closed"
    view = review.conversation(store.engine, conv)
    assert view.status == "closed"
    assert [(e["action"], e["status"], e["note"]) for e in view.events] == [
        ("take", "in_progress", ""), ("contacted", "contacted", ""), ("close", "closed", "Patiënt gebeld; naar SEH")]
    # A new alarm in the same conversation puts it back in the queue as new.
    message_id = store.add_message(conv, "patient", "nu ook slap been")
    store.flag(conv, message_id, ["neuro_deficit"], [])
    assert review.conversation(store.engine, conv).status == "new"
    assert [i.conversation_id for i in review.queue(store.engine, Filters(status="new"))] == [conv]


def test_unknown_conversation_and_unflagged_conversation(store):
    with pytest.raises(ReviewError, match="not found"):
        review.change_status(store.engine, "nope", "take", "anna")
    conv = store.create_conversation("p1", None)
    store.add_message(conv.id, "patient", "hoi")
    with pytest.raises(ReviewError, match="no flag"):
        review.change_status(store.engine, conv.id, "take", "anna")
    assert review.conversation(store.engine, conv.id).status == "unflagged"


def test_transcript_pieces_mark_the_alarm_spans(store):
    conv = flagged(store, "p1", "Ik heb <b>koorts</b> en mijn been is slap.", ["fever", "neuro_deficit"])
    view = review.conversation(store.engine, conv)
    patient, bot = view.messages
    assert patient["pieces"] == [("Ik heb <b>", None), ("koorts", "fever"), ("</b> en mijn been is ", None), ("slap", "neuro_deficit"), (".", None)]
    assert bot["pieces"] == [("Neem direct contact op.", None)]
    assert patient["flag_categories"] == ["fever", "neuro_deficit"]


def test_split_spans_edge_cases():
    text = "mijn been is slap en doof"
    # Rasa's spans have no offsets: found by their text; unknown text and bad offsets are left out.
    assert review.split_spans(text, [{"category": "neuro_deficit", "text": "Slap"}]) == [("mijn been is ", None), ("slap", "neuro_deficit"), (" en doof", None)]
    assert review.split_spans(text, [{"category": "fever", "text": "koorts"}, {"start": 5, "end": 999}]) == [(text, None)]
    # Overlapping spans become one mark.
    assert review.split_spans(text, [{"category": "a", "start": 5, "end": 12, "text": "been is"}, {"category": "b", "start": 10, "end": 17, "text": "is slap"}]) == [
        ("mijn ", None), ("been is slap", "a"), (" en doof", None)]
    assert review.split_spans("", []) == [("", None)]


def test_feedback_is_stored_for_retraining(store):
    conv = flagged(store, "p1", "ik heb koorts", ["fever"])
    patient_message = review.conversation(store.engine, conv).messages[0]["id"]
    review.record_feedback(store.engine, conv, "false_alarm", "", "anna", patient_message, "koorts was gisteren")
    with pytest.raises(ReviewError, match="missed alarm needs its category"):
        review.record_feedback(store.engine, conv, "missed_alarm", "headache", "anna")
    with pytest.raises(ReviewError, match="not part of this conversation"):
        review.record_feedback(store.engine, conv, "wrong_answer", "ask_showering", "anna", 99999)
    rows = review.feedback_rows(store.engine)
    assert [(r["kind"], r["correct_label"], r["text"], r["actor"]) for r in rows] == [("false_alarm", "no_alarm", "ik heb koorts", "anna")]


def test_flag_by_hand_puts_an_unflagged_conversation_in_the_queue(store):
    conv = store.create_conversation("p9", "bloedpatch")
    message_id = store.add_message(conv.id, "patient", "mijn hoofdpijn is heel anders dan eerst")
    bot_id = store.add_message(conv.id, "bot", "Bron: folder")
    assert [i.status for i in review.queue(store.engine, Filters(patient_id="p9"))] == ["unflagged"]
    assert review.queue(store.engine, Filters()) == []
    with pytest.raises(ReviewError, match="only a patient message"):
        review.flag_by_hand(store.engine, conv.id, bot_id, "neuro_deficit", "anna")
    review.flag_by_hand(store.engine, conv.id, message_id, "neuro_deficit", "anna", "uitval?")
    [item] = review.queue(store.engine, Filters())
    assert (item.conversation_id, item.status, item.categories) == (conv.id, "in_progress", ["neuro_deficit"])
    # The patient-facing escalation is not changed by a nurse's flag.
    assert not store.get_conversation(conv.id).escalated
    assert [(r["kind"], r["correct_label"]) for r in review.feedback_rows(store.engine)] == [("missed_alarm", "neuro_deficit")]
    view = review.conversation(store.engine, conv.id)
    assert view.messages[0]["pieces"] == [("mijn hoofdpijn is heel anders dan eerst", "neuro_deficit")]


def test_the_queue_pages_with_its_total(store):
    made = [flagged(store, f"p{i}", "ik heb koorts", ["fever"]) for i in range(7)]
    first = review.queue_page(store.engine, Filters(), page=1, per_page=3)
    assert (first.total, first.page, first.pages) == (7, 1, 3) and len(first.items) == 3
    last = review.queue_page(store.engine, Filters(), page=3, per_page=3)
    assert [i.conversation_id for i in last.items] == [made[0]]  # newest first: the oldest is last
    pages = [review.queue_page(store.engine, Filters(), page=n, per_page=3).items for n in (1, 2, 3)]
    assert sorted(i.conversation_id for page in pages for i in page) == sorted(made)  # every one on exactly one page
    beyond = review.queue_page(store.engine, Filters(), page=99, per_page=3)
    assert beyond.page == 3 and beyond.items == last.items
    empty = review.queue_page(store.engine, Filters(status="closed"), page=1, per_page=3)
    assert (empty.total, empty.page, empty.pages, empty.items) == (0, 1, 1, [])


def test_one_patient_flooding_alarms_cannot_push_other_patients_off_the_first_page(store):
    other = flagged(store, "p-quiet", "ik heb koorts", ["fever"])
    flood = [flagged(store, "p-flood", "ik kan niet plassen en mijn billen zijn doof", ["bladder_bowel", "saddle_anaesthesia"])
             for _ in range(review.PAGE_SIZE + 10)]
    first = review.queue_page(store.engine, Filters())
    ids = [i.conversation_id for i in first.items]
    assert first.total == len(flood) + 1 and other in ids
    # The flooder's most recent few keep their place by urgency; the rest come after the other patient.
    assert ids[:review.PER_PATIENT_AHEAD] == flood[::-1][:review.PER_PATIENT_AHEAD]
    assert ids.index(other) == review.PER_PATIENT_AHEAD
    # Taken conversations still come after every new one, the flooder's too.
    review.change_status(store.engine, other, "take", "anna")
    assert review.queue(store.engine, Filters())[-1].conversation_id == other
