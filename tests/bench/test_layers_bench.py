"""The layer benchmark's helpers: how many calls a case gets, and how rounds are merged.

Nothing here is timed: the measurement itself is `python -m bench --only layers`.
"""
from bench import layers
from bench.__main__ import keep_best


class CountingStep:
    """A step whose duration comes from a fake clock: each call advances it by `seconds`."""

    def __init__(self, monkeypatch, seconds):
        self.calls = 0
        self.now = 0.0
        self.seconds = seconds
        monkeypatch.setattr(layers.time, "perf_counter", lambda: self.now)

    def __call__(self):
        self.calls += 1
        self.now += self.seconds


def test_time_call_keeps_calling_a_fast_case_until_the_time_floor(monkeypatch):
    step = CountingStep(monkeypatch, seconds=0.01)
    best, median = layers.time_call(step, repeats=3, warmup=2, min_seconds=0.3)
    assert step.calls == 2 + 30  # warmup, then 30 timed calls of 10 ms reach 0.3 s
    assert abs(best - 10.0) < 1e-9 and abs(median - 10.0) < 1e-9


def test_time_call_runs_a_slow_case_only_the_requested_number_of_times(monkeypatch):
    step = CountingStep(monkeypatch, seconds=0.5)
    layers.time_call(step, repeats=3, warmup=1, min_seconds=0.3)
    assert step.calls == 1 + 3


def test_time_call_stops_at_max_calls_however_fast_the_case(monkeypatch):
    step = CountingStep(monkeypatch, seconds=1e-6)
    layers.time_call(step, repeats=3, warmup=0, min_seconds=0.3, max_calls=50)
    assert step.calls == 50


def test_keep_best_keeps_each_cases_fastest_round():
    best = keep_best({}, {"conv": {"best_ms": 6.0, "round": 1}, "pool": {"best_ms": 1.0, "round": 1}})
    keep_best(best, {"conv": {"best_ms": 5.5, "round": 2}, "pool": {"best_ms": 1.4, "round": 2}})
    assert best["conv"]["round"] == 2 and best["pool"]["round"] == 1
