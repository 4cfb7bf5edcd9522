"""The competition benchmarks (benchmarks/competitions.py): Naive2, the
metrics, and the stored tables, with a slice of them recomputed live. (The
M4-style seasonal adjustment is lstmbook's: tests/test_competition_scale.py.)"""


import numpy as np
import pytest
from benchmark_script import benchmark

import lstmbook as lb



@pytest.fixture(scope="module")
def bench():
    return benchmark("competitions")


def test_naive2_is_naive_without_a_season(bench):
    x = np.linspace(10, 30, 40)
    out, _, fallbacks = bench.forecasts(x, 6, 1)
    assert not fallbacks
    np.testing.assert_array_equal(out["Naive2"], out["Naive"])
    np.testing.assert_array_equal(out["Naive"], np.repeat(30.0, 6))


def test_scores_by_hand(bench):
    train = np.array([1.0, 2, 4, 8])
    test = np.array([10.0, 20])
    forecast = np.array([8.0, 25])
    got = bench.scores(train, test, forecast, 1)
    assert got["sMAPE"] == pytest.approx((200 * 2 / 18 + 200 * 5 / 45) / 2)
    assert got["MAPE"] == pytest.approx((20 + 25) / 2)
    assert got["MASE"] == pytest.approx(3.5 / (7 / 3))  # scale: 1, 2, 4
    seasonal = bench.scores(np.array([1.0, 5, 2, 6, 3, 7]), test, forecast,
                            2)
    assert seasonal["MASE"] == pytest.approx(3.5 / 1.0)


SIZES = {"M3/yearly": 645, "M3/quarterly": 756, "M3/monthly": 1428,
         "Tourism/yearly": 518, "Tourism/quarterly": 427,
         "Tourism/monthly": 366}


def test_every_subset_has_the_competitions_size_and_horizon(bench):
    for subset, size in SIZES.items():
        series = bench.load(subset)
        assert len(series) == size
        horizon = bench.SUBSETS[subset][2]
        assert all(len(test) == horizon for _, _, test in series)


def test_stored_tables_cover_every_series_and_method(bench):
    rows = lb.load_results("competitions_series")
    summary = lb.load_results("competitions").set_index(["subset", "method"])
    counts = rows.groupby(["subset", "method"]).size()
    for subset, size in SIZES.items():
        for method in bench.METHODS:
            assert counts[subset, method] == size
            assert summary.loc[(subset, method), "n_series"] == size
        assert summary.loc[(subset, "Naive2"), "OWA"] == 1
    assert np.isfinite(rows[["sMAPE", "MAPE", "MASE"]].to_numpy()).all()
    means = rows.groupby(["subset", "method"])["sMAPE"].mean()
    np.testing.assert_allclose(
        summary["sMAPE"].sort_index(), means.sort_index(), atol=1e-3)


@pytest.mark.parametrize("subset, k", [("M3/monthly", 0),
                                       ("M3/monthly", 700),
                                       ("Tourism/quarterly", 5),
                                       ("M3/yearly", 100)])
def test_a_slice_of_the_stored_table_recomputes(bench, subset, k):
    name, train, test = bench.load(subset)[k]
    live = {r["method"]: r for r in bench.run_series(
        (subset, name, train, test))}
    rows = lb.load_results("competitions_series")
    stored = rows[(rows["subset"] == subset) & (rows["series"] == name)]
    assert len(stored) == len(bench.METHODS)
    for _, row in stored.iterrows():
        for key in ("sMAPE", "MAPE", "MASE"):
            assert live[row["method"]][key] == pytest.approx(
                row[key], abs=1e-4), (row["method"], key)


def test_a_series_too_short_for_a_model_gets_the_simpler_one(bench):
    tiny = np.array([5.0, 6.1, 6.9, 8.2, 9.0])
    out, _, fallbacks = bench.forecasts(tiny, 4, 1)
    assert "Comb" in fallbacks  # Holt and damped Holt refuse 5 values
    assert all(np.isfinite(f).all() and len(f) == 4 for f in out.values())
    rows = bench.run_series(("Tourism/yearly", "tiny", tiny, tiny[:4]))
    assert [r["fallback"] for r in rows if r["method"] == "Comb"] == [True]
