"""Tests of lstmbook.significance: the Diebold-Mariano test, the bootstrap
over series, and compare() on real backtest tables."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import lstmbook as lb
from lstmbook.significance import fold_overlap


def hln_by_hand(d, h):
    """Harvey, Leybourne and Newbold (1997), written out term by term."""
    n = len(d)
    mean = sum(d) / n
    gamma = []
    for k in range(h):
        gamma.append(sum((d[t] - mean) * (d[t - k] - mean)
                         for t in range(k, n)) / n)
    variance_of_mean = (gamma[0] + 2 * sum(gamma[1:])) / n
    dm = mean / math.sqrt(variance_of_mean)
    return math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n) * dm


def test_with_no_overlap_it_is_the_paired_t_test():
    rng = np.random.default_rng(1)
    a, b = rng.gamma(2, 1, 12), rng.gamma(2, 1, 12)
    got = lb.diebold_mariano(a, b, lag=0)
    want = stats.ttest_rel(a, b)
    assert got["statistic"] == pytest.approx(want.statistic, rel=1e-12)
    assert got["p_value"] == pytest.approx(want.pvalue, rel=1e-10)
    assert got["mean_difference"] == pytest.approx(np.mean(a - b))


@pytest.mark.parametrize("lag", [1, 2, 3])
def test_statistic_matches_the_published_formula(lag):
    rng = np.random.default_rng(lag)
    noise = rng.normal(size=40)
    d = noise[1:] + 0.5 * noise[:-1] + 0.3  # MA(1), a real difference
    got = lb.diebold_mariano(d, np.zeros_like(d), lag=lag)
    want = hln_by_hand(list(d), lag + 1)
    assert got["statistic"] == pytest.approx(want, rel=1e-12)
    assert got["p_value"] == pytest.approx(
        2 * stats.t.sf(abs(want), df=len(d) - 1), rel=1e-10)


def test_interval_excludes_zero_exactly_when_the_test_rejects():
    rng = np.random.default_rng(7)
    for shift in np.linspace(0, 1.2, 25):
        d = rng.normal(shift, 1, 15)
        row = lb.diebold_mariano(d, np.zeros(15), lag=1, level=0.95)
        excludes = row["low"] > 0 or row["high"] < 0
        assert excludes == (row["p_value"] < 0.05)
        assert row["low"] < row["mean_difference"] < row["high"]


def test_size_and_power_on_overlapping_folds():
    """Under no difference it rejects about 5% of the time on 10 folds that
    overlap by one (an MA(1) difference); with a real one it rejects more
    often the larger it is."""
    rng = np.random.default_rng(0)

    def rejection_rate(shift, runs=1500, n=10):
        rejected = 0
        for _ in range(runs):
            e = rng.normal(size=n + 1)
            d = e[1:] + e[:-1] + shift
            rejected += lb.diebold_mariano(d, np.zeros(n), lag=1)[
                "p_value"] < 0.05
        return rejected / runs

    size = rejection_rate(0.0)
    assert 0.02 < size < 0.10, size
    assert rejection_rate(1.0) > size + 0.15
    assert rejection_rate(2.0) > 0.6


def test_series_bootstrap_interval_and_share():
    rng = np.random.default_rng(3)
    a = rng.gamma(2, 0.5, 40)
    b = a + rng.normal(0.2, 0.1, 40)  # b worse on most series
    row = lb.series_bootstrap(a, b, n_boot=4000, seed=0)
    assert row["n"] == 40
    assert row["low"] < row["mean_difference"] < row["high"] < 0
    assert row["share_a_better"] == pytest.approx(np.mean(a < b))
    # the interval is about +-2 standard errors of the mean
    se = np.std(a - b, ddof=1) / np.sqrt(40)
    assert row["high"] - row["low"] == pytest.approx(2 * 1.96 * se, rel=0.15)
    again = lb.series_bootstrap(a, b, n_boot=4000, seed=0)
    pd.testing.assert_series_equal(row, again)


def baselines(h=12, season=12):
    return {"naive": lambda s: lb.naive_forecast(s, h),
            "seasonal naive": lambda s: lb.seasonal_naive_forecast(
                s, h, season),
            "drift": lambda s: lb.drift_forecast(s, h)}


@pytest.mark.parametrize("step, lag", [(6, 1), (12, 0), (4, 2), (24, 0)])
def test_fold_overlap_is_read_from_the_dates(step, lag):
    results = lb.backtest(lb.load_airline(), baselines(), 12, n_origins=5,
                          step=step, season=12)
    assert fold_overlap(results) == lag
    assert lag == max(math.ceil(12 / step) - 1, 0)


def test_compare_one_series_uses_each_folds_mase():
    results = lb.backtest(lb.load_airline(), baselines(), 12, n_origins=10,
                          step=6, season=12)
    row = lb.compare(results, "seasonal naive", "naive")
    folds = lb.mase_by_fold(results)
    assert folds.shape == (10, 3)
    assert row["MASE seasonal naive"] == pytest.approx(
        lb.summarize(results).loc["seasonal naive", "MASE"])
    want = lb.diebold_mariano(folds["seasonal naive"], folds["naive"], lag=1)
    assert row["p_value"] == want["p_value"]
    assert row["difference"] < 0 and row["folds"] == 10 and row["lag"] == 1
    assert "series_low" not in row


def test_compare_a_panel_adds_the_bootstrap_over_series():
    panel = lb.load_us_employment()
    forecasters = {name: lb.per_series(f)
                   for name, f in baselines().items()}
    results = lb.backtest_panel(panel, forecasters, 12, n_origins=4,
                                step=12)
    row = lb.compare(results, "drift", "naive")
    by_series = lb.mase_by_series(results)
    assert row["series"] == panel.shape[1] == len(by_series)
    assert row["share_a_better"] == pytest.approx(
        np.mean(by_series["drift"] < by_series["naive"]))
    assert row["series_low"] < row["difference"] < row["series_high"]
    folds = lb.mase_by_fold(results)
    assert folds.index.names == ["series", "origin"]
    assert len(folds) == 4 * panel.shape[1]


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: lb.diebold_mariano([1, 2, 3], [1, 2]), ValueError,
     "same folds"),
    (lambda: lb.diebold_mariano([1, 2], [2, 1]), ValueError, "too few"),
    (lambda: lb.diebold_mariano([1, np.nan, 3], [1, 2, 3]), ValueError,
     "NaN"),
    (lambda: lb.diebold_mariano([1, 2, 3], [0, 1, 2]), ValueError,
     "same at every fold"),
    (lambda: lb.diebold_mariano([1, 2, 4, 3], [0, 0, 0, 0], lag=3),
     ValueError, "between 0 and 2"),
    (lambda: lb.diebold_mariano([1, 2, 4, 3], [0, 0, 0, 0], lag=1.0),
     TypeError, "whole number"),
    (lambda: lb.diebold_mariano([1, 2, 4, 3], [0, 0, 0, 0], level=95),
     ValueError, "probability"),
    (lambda: lb.diebold_mariano([[1, 2], [3, 4]], [[1, 2], [3, 4]]),
     TypeError, "1-D"),
    (lambda: lb.diebold_mariano("abc", "abd"), TypeError, "1-D"),
    (lambda: lb.diebold_mariano(["a", "b", "c"], [1, 2, 3]), TypeError,
     "numbers"),
    (lambda: lb.series_bootstrap([1, 2, 3], [1, 2, 4], n_boot=0),
     ValueError, "n_boot"),
    (lambda: lb.compare(pd.DataFrame({"x": [1]}), "a", "b"), TypeError,
     "lstmbook.backtest"),
])
def test_bad_input_gets_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


def test_compare_refuses_unknown_or_identical_methods_and_heavy_overlap():
    results = lb.backtest(lb.load_airline(), baselines(), 12, n_origins=6,
                          step=1, season=12)
    with pytest.raises(ValueError, match="not in the results"):
        lb.compare(results, "LSTM", "naive")
    with pytest.raises(ValueError, match="twice"):
        lb.compare(results, "naive", "naive")
    with pytest.raises(ValueError, match="too little independent"):
        lb.compare(results, "drift", "naive")
