"""The benchmark's arithmetic (bot/benchmark.py): percentiles, ratios and the target verdicts.

Fast, no stack: the figures of `python -m bot bench` are only as good as these helpers.
"""
import math

import pytest

from bot import benchmark
from bot.benchmark import Phase, percentile, ratio, render, verdicts


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]  # unsorted on purpose
    assert percentile(values, 50) == 3.0
    assert percentile(values, 0) == 1.0 and percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)  # rank 3.8: 4 + 0.8 * (5 - 4)
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_ratio_is_nan_without_a_usable_baseline():
    assert ratio(3.0, 2.0) == 1.5
    assert math.isnan(ratio(1.0, 0.0)) and math.isnan(ratio(1.0, math.nan)) and math.isnan(ratio(math.nan, 1.0))


def phase(system, conc, latencies, seconds=10.0, errors=0):
    return Phase(system, conc, seconds, list(latencies), errors)


def test_throughput_counts_answered_messages_per_second():
    assert phase("api", 20, [0.1] * 50, seconds=10.0).throughput == 5.0


def by_name(items):
    return {v.name: v for v in items}


def test_targets_met_at_their_limits_and_missed_just_beyond():
    phases = {
        ("rasa", 1): phase("rasa", 1, [0.2] * 10),
        ("api", 1): phase("api", 1, [0.3] * 10),  # p95 exactly 1.5x: met
        ("rasa", 20): phase("rasa", 20, [1.0] * 100),
        ("api", 20): phase("api", 20, [1.51] * 79),  # p95 1.51x and 0.79x the throughput: both missed
    }
    startup = {"api": {"first_answer_s": 80.0}, "rasa": {"first_answer_s": 85.0}}
    got = by_name(verdicts(phases, startup, training_s=599.0))
    assert got["p95 latency, 1 patient(s)"].ratio == pytest.approx(1.5) and got["p95 latency, 1 patient(s)"].met is True
    assert got["p95 latency, 20 patient(s)"].met is False
    assert got["throughput, 20 patients"].ratio == pytest.approx(0.79) and got["throughput, 20 patients"].met is False
    assert got["errors, 20 patients"].met is True
    assert got["start-up until the first real answer"].met is True
    assert got["full training (2 cores)"].met is True


def test_one_error_or_a_slower_start_or_slow_training_is_missed():
    phases = {("rasa", 20): phase("rasa", 20, [1.0] * 100), ("api", 20): phase("api", 20, [1.0] * 100, errors=1)}
    startup = {"api": {"first_answer_s": 85.5}, "rasa": {"first_answer_s": 85.0}}
    got = by_name(verdicts(phases, startup, training_s=600.0))
    assert got["throughput, 20 patients"].met is True
    assert got["errors, 20 patients"].met is False
    assert got["start-up until the first real answer"].met is False
    assert got["full training (2 cores)"].met is False  # the target is "under 10 minutes"


def test_skipped_training_is_not_measured_rather_than_met():
    got = by_name(verdicts({}, {}, training_s=None))
    assert got["full training (2 cores)"].met is None
    assert benchmark.verdict_word(None) == "not measured"


def test_report_says_missed_clearly():
    phases = {("rasa", 20): phase("rasa", 20, [1.0] * 100), ("api", 20): phase("api", 20, [2.0] * 50)}
    report = {
        "timestamp": "t", "cpus": 2, "load_before": "1 1 1", "load_after": "1 1 1", "model": "m.tar.gz", "seconds": 10.0,
        "phases": [p.summary() for p in phases.values()], "startup": {}, "memory_mb": {}, "training_s": None,
        "verdicts": [v.__dict__ for v in verdicts(phases, {}, None)],
    }
    text = render(report)
    assert "**MISSED: p95 latency, 20 patient(s), throughput, 20 patients**" in text
    assert "| throughput, 20 patients | 5.00 msg/s | 10.0 msg/s | 0.50x | >= 0.8x | **MISSED** |" in text


def test_slices_of_one_phase_merge_into_one():
    a = Phase("api", 20, 10.0, [0.1, 0.2], 1, {"fail_safe": 1})
    b = Phase("api", 20, 20.0, [0.3], 2, {"fail_safe": 1, "http_500": 1})
    m = benchmark.merge(a, b)
    assert (m.seconds, m.latencies, m.errors, m.error_kinds) == (30.0, [0.1, 0.2, 0.3], 3, {"fail_safe": 2, "http_500": 1})
    assert m.throughput == pytest.approx(0.1)
