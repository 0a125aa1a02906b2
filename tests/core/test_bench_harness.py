"""The bench harness (issue 20 point 5): nearest-rank percentiles, and the median of three runs for every result
within 20 % of its bound."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.harness import Result, percentile_results, percentiles, report, settle


def test_percentiles_are_samples_that_occurred() -> None:
    samples = [float(i) for i in range(1, 101)]  # 1 … 100
    assert percentiles(samples) == {50: 50.0, 95: 95.0, 99: 99.0}
    assert percentiles([3.0, 1.0, 2.0]) == {50: 2.0, 95: 3.0, 99: 3.0}  # few samples: p99 is the largest
    assert percentiles([7.0], (1, 100)) == {1: 7.0, 100: 7.0}
    with pytest.raises(ValueError):
        percentiles([])


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=300))
def test_percentiles_are_ordered_and_count_their_share(samples: list[float]) -> None:
    got = percentiles(samples)
    assert got[50] <= got[95] <= got[99] <= max(samples)
    for p, value in got.items():
        assert value in samples
        assert sum(s <= value for s in samples) >= p / 100 * len(samples)  # at least p % at or below it
        assert sum(s < value for s in samples) < p / 100 * len(samples)  # and it is the smallest such


def test_percentile_rows_carry_their_own_targets() -> None:
    rows = percentile_results("Suche", [0.001 * i for i in range(1, 201)], "ms", targets={50: 5, 99: 16},
                              raw=0.5, raw_label="FTS5", scale=1000)
    assert [r.measure for r in rows] == ["Suche p50", "Suche p95", "Suche p99"]
    assert [round(r.value, 6) for r in rows] == [100.0, 190.0, 198.0]
    assert [r.target for r in rows] == [5, None, 16] and all(r.raw == 0.5 for r in rows)


def _runs(*pairs: tuple[float, float | None]):
    it = iter(pairs)
    calls = []

    def again() -> tuple[float, float | None]:
        calls.append(1)
        return next(it)
    return again, calls


def test_a_ratio_near_its_bound_is_the_median_of_three_runs() -> None:
    again, calls = _runs((1.0, 1.0), (3.0, 2.0))  # ratios 1.0 and 1.5
    r = Result("Brief", 1.3, "ms", raw=1.0, ratio_bound=1.5, remeasure=again)  # 1.3× is within 20 % of 1.5×
    settle([r])
    assert len(calls) == 2 and r.runs == [1.0, 1.3, 3.0]
    assert (r.value, r.raw) == (1.3, 1.0)  # the run with the median ratio, value and raw together
    assert r.met is True


def test_a_value_near_its_target_is_remeasured_and_one_far_from_it_is_not() -> None:
    again, calls = _runs((12.0, None), (9.0, None))
    near = Result("Suche", 18.0, "ms", target=16.0, raw=2.0, remeasure=again)
    far_again, far_calls = _runs()
    far = Result("Start", 0.3, "s", target=1.0, remeasure=far_again)
    settle([near, far])
    assert len(calls) == 2 and near.runs == [9.0, 12.0, 18.0]
    assert near.value == 12.0 and near.raw == 2.0 and near.met is True
    assert far_calls == [] and far.runs == [] and far.value == 0.3


def test_without_a_way_to_measure_again_the_single_run_stays_and_the_table_says_which(tmp_path, capsys) -> None:
    again, _calls = _runs((2.0, 1.0), (2.1, 1.0))
    settled = settle([Result("Serienbrief", 1.9, "s", raw=1.0, ratio_bound=2.0, remeasure=again)])[0]
    single = Result("Einzel", 1.9, "s", raw=1.0, ratio_bound=2.0)
    settle([single])
    report([settled, single, Result("alt", 5.0, "ms", 30.0)], tmp_path / "r.json")  # an old-style row still works
    out = capsys.readouterr().out
    assert "Serienbrief [Median aus 3 Läufen: 1.900, 2.000, 2.100]" in out and "2.00× (≤ 2×)" in out
    assert "Einzel " in out and "Einzel [" not in out
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"]
    assert data[0]["runs"] == [1.9, 2.0, 2.1] and "remeasure" not in data[0]
    assert data[1]["runs"] == [] and data[2]["met"] is True and data[0]["met"] is True  # 2.0× ≤ 2×
