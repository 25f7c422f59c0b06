"""`python -m bot export-feedback` (issue 7) on real SQLite: nurses' feedback recorded through
bot/review.py becomes pseudonymised candidates in Rasa's NLU YAML, which Rasa's own reader loads;
the export is audited and never goes into data/."""
import getpass
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot import audit, feedback_export, paths, review

FEVER = "Ik ben Jan de Vries, ik heb sinds maandag 39 graden, bel me op 06-12345678"
NEURO = "Mijn been voelt raar en slap sinds 12 maart, groet Anouk Jansen, Kerkstraat 12 in 1234 AB Utrecht"
CALM = "ik heb 37,2 en verder niks, mail anna.jansen@gmail.com"
QUESTION = "Mag ik na 2 weken weer autorijden? Mijn BSN is 123456789"


def conversation(store, patient, *texts):
    conv = store.create_conversation(patient, "bloedpatch")
    ids = []
    for text in texts:
        ids.append(store.add_message(conv.id, "patient", text))
        ids.append(store.add_message(conv.id, "bot", "Een antwoord van de bot."))
    return conv.id, ids


@pytest.fixture
def feedback(store):
    engine = store.engine
    conv, ids = conversation(store, "patient-0612", FEVER, NEURO, CALM, QUESTION)
    review.record_feedback(engine, conv, "missed_alarm", "fever", "anna", ids[0])
    review.flag_by_hand(engine, conv, ids[2], "neuro_deficit", "anna")  # counts as a missed alarm too
    review.record_feedback(engine, conv, "false_alarm", "no_alarm", "bea", ids[4], note="37,2 is geen koorts")
    review.record_feedback(engine, conv, "wrong_answer", "driving", "anna", ids[7])  # on the bot's reply to QUESTION
    review.record_feedback(engine, conv, "missed_alarm", "fever", "bea", ids[0])  # the same message again: one example
    review.record_feedback(engine, conv, "wrong_answer", "lifting", "anna")  # whole conversation: no example
    review.record_feedback(engine, conv, "wrong_answer", "tuinieren", "anna", ids[6])  # no such topic
    return conv


def load_with_rasa(path):
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(path))


def test_export_writes_rasa_nlu_candidates_by_intent_pseudonymised_and_audited(store, feedback, tmp_path):
    out = tmp_path / "candidates.yml"
    report = feedback_export.export(store.engine, out, by="dev-erik")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# candidates — review before adding to data/nlu\n")
    assert 'version: "3.1"' in text

    data = load_with_rasa(out)
    examples = {(m.get("intent"), m.get("text")) for m in data.intent_examples}
    assert examples == {
        ("report_fever", "Ik ben [NAAM], ik heb sinds maandag 39 graden, bel me op [TELEFOON]"),
        ("report_neuro_deficit", "Mijn been voelt raar en slap sinds [DATUM], groet [NAAM], [ADRES] in [POSTCODE] Utrecht"),
        ("ask_driving", "Mag ik na 2 weken weer autorijden? Mijn BSN is [NUMMER]"),
    }
    assert not data.entity_examples  # no placeholder was read as an entity annotation
    # The false alarm and the unknown topic are comments for the developer, not training data.
    assert "#     - ik heb 37,2 en verder niks, mail [EMAIL]" in text and "choose a calm intent" in text
    assert "'tuinieren' is no topic" in text and "(nurse's note: 37,2 is geen koorts)" in text
    for secret in ("Jan", "Vries", "06-12345678", "12345678", "Anouk", "Jansen", "Kerkstraat", "1234 AB", "anna.jansen",
                   "gmail", "123456789", "12 maart", "patient-0612"):
        assert secret not in text, secret
    assert (report.feedback_rows, report.examples, report.to_decide, report.duplicates, report.without_message) == (7, 3, 2, 1, 1)
    assert report.intents == {"report_fever": 1, "report_neuro_deficit": 1, "ask_driving": 1}
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"

    [entry] = audit.entries(store.engine, action="feedback_export")
    assert (entry.actor, entry.role, entry.conversation_id, entry.patient_id) == ("dev-erik", "developer", None, None)
    assert entry.details["examples"] == 3 and entry.details["file"] == "candidates.yml"


def test_since_and_the_training_data_already_there(store, tmp_path):
    conv, ids = conversation(store, "patient-9", "ik heb hoge koorts", "Ik heb nu 40 graden koorts, zuster Els weet ervan")
    review.record_feedback(store.engine, conv, "missed_alarm", "fever", "anna", ids[0])
    review.record_feedback(store.engine, conv, "missed_alarm", "fever", "anna", ids[2])
    old = datetime.now(timezone.utc) - timedelta(days=10)
    with store.engine.begin() as db:  # the first one was given ten days ago
        db.execute(review.review_feedback.update().where(review.review_feedback.c.message_id == ids[0]).values(created_at=old))
    everything = feedback_export.export(store.engine, tmp_path / "all.yml", by="dev")
    # "ik heb hoge koorts" is an example in data/nlu/alarm.yml already.
    assert "- ik heb hoge koorts" in (paths.DATA / "nlu" / "alarm.yml").read_text(encoding="utf-8").lower()
    assert (everything.examples, everything.already_in_training_data) == (1, 1)
    recent = feedback_export.export(store.engine, tmp_path / "recent.yml", by="dev", since=date.today() - timedelta(days=2))
    assert recent.feedback_rows == 1
    assert [m.get("text") for m in load_with_rasa(tmp_path / "recent.yml").intent_examples] == [
        "Ik heb nu 40 graden koorts, zuster [NAAM] weet ervan"]
    assert len(audit.entries(store.engine, action="feedback_export")) == 2


def test_two_intents_for_the_same_words_go_to_the_developer(store, tmp_path):
    conv, ids = conversation(store, "patient-3", "mijn been is doof")
    conv2, ids2 = conversation(store, "patient-4", "Mijn been is  doof")
    review.record_feedback(store.engine, conv, "missed_alarm", "neuro_deficit", "anna", ids[0])
    review.record_feedback(store.engine, conv2, "wrong_answer", "expected_side_effects", "bea", ids2[0])
    report = feedback_export.export(store.engine, tmp_path / "c.yml", by="dev")
    assert (report.examples, report.to_decide) == (0, 2)
    text = (tmp_path / "c.yml").read_text(encoding="utf-8")
    assert "labelled as ask_expected_side_effects, report_neuro_deficit by different nurses" in text
    assert not load_with_rasa(tmp_path / "c.yml").intent_examples  # "nlu: []" loads, with nothing in it


def run_cli(store, *args):
    env = {**os.environ, "DATABASE_URL": str(store.engine.url), "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "bot", "export-feedback", *args], cwd=paths.ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_command_never_writes_into_data_and_audits_the_os_user(store, feedback, tmp_path):
    before = sorted(p.name for p in (paths.DATA / "nlu").iterdir())
    refused = run_cli(store, "--out", str(paths.DATA / "nlu" / "feedback.yml"))
    assert refused.returncode == 2 and "refusing to write into" in refused.stderr
    assert sorted(p.name for p in (paths.DATA / "nlu").iterdir()) == before
    assert run_cli(store, "--since", "12-03-2024").returncode == 2
    done = run_cli(store, "--out", str(tmp_path / "x.yml"), "--since", date.today().isoformat())
    assert done.returncode == 0, done.stderr
    assert "candidate examples: 3 under 3 intent(s)" in done.stdout and "Jan" not in done.stdout + done.stderr
    assert load_with_rasa(tmp_path / "x.yml").intent_examples
    entries = audit.entries(store.engine, action="feedback_export")
    assert [e.actor for e in entries] == [getpass.getuser()]  # the refused runs wrote nothing and logged nothing
    with store.engine.connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(review.review_feedback)).scalar_one() == 7  # read only
