"""bot/evaluation/hostile.py on the test stack: at least 60 hostile requests, no 5xx, and every
alarm inside a body the API reads escalated."""
import pytest

from bot.evaluation import hostile
from tests.conftest import TEST_SECRET

pytestmark = pytest.mark.stack


def test_the_set_is_large_and_varied():
    cases = hostile.cases()
    assert len(cases) >= 60 and sum(c.alarm for c in cases) >= 30
    assert {c.kind for c in cases} == {"long", "command", "control", "html", "json", "types", "unicode"}


def test_hostile_inputs_get_no_5xx_and_every_alarm_inside_escalates(stack):
    report = hostile.run(stack.api_url, TEST_SECRET)
    print("\n".join(report.lines()))
    assert report.ok, report.lines()
    statuses = {o.case.name: o.status for o in report.outcomes}
    assert statuses["70 KB body (over MAX_REQUEST_BYTES)"] == 413 and statuses["json: deeply nested arrays"] == 400
    assert statuses["command '/restart'"] == 200 and statuses["types: text a number"] == 422
