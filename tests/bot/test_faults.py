"""bot/evaluation/faults.py, the fault script, on the real stack with PostgreSQL and Redis: under a
bounded load, Rasa, the action server and an API process are killed with SIGKILL one at a time and
restarted by the run command's Supervisor. Every message answered 200 is stored; every alarm is
escalated (by the API's own triage while Rasa is gone)."""
import pytest

from bot.evaluation.faults import run_faults
from tests.services import fresh_postgres_database, redis_test_url

pytestmark = pytest.mark.stack


def test_kill_9_under_load_loses_no_answered_message_and_no_alarm(trained_model, tmp_path):
    with fresh_postgres_database() as database_url:
        report = run_faults(trained_model, tmp_path, {"DATABASE_URL": database_url, "REDIS_URL": redis_test_url()}, patients=6, pause=1.0)
    print("\n".join(report.lines()))
    assert report.kills == ["rasa", "actions", "api (API 2)"]
    assert len(report.sent) >= 60 and len(report.alarms) >= 20, report.lines()  # the load really ran through the faults
    assert sum(m.retried for m in report.sent) >= 1  # API 2 was really gone for a while
    assert report.ok, report.lines() + [f"{m.patient}: {m.text} (status {m.status})" for m in report.not_stored + report.missed_alarms]
