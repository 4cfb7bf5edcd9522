"""lstmbook.uncertainty: prediction intervals cover what they claim."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import lstmbook as lb  # noqa: E402


def fake_results(errors, method="m", start="2000-01", freq="MS"):
    """A backtest-like table: ``errors[k, h]`` is fold k's error at step h+1.

    Origins are one period apart; every forecast is 100 and the actual
    value is 100 - error (error = forecast - actual, as lb.backtest has it).
    """
    errors = np.asarray(errors, dtype=float)
    n_folds, horizon = errors.shape
    dates = pd.date_range(start, periods=n_folds + horizon, freq=freq)
    rows = []
    for k in range(n_folds):
        for h in range(horizon):
            rows.append((method, dates[k], h + 1, dates[k + h],
                         100 - errors[k, h], 100.0, errors[k, h], 1.0))
    return pd.DataFrame(rows, columns=["method", "origin", "step", "date",
                                       "actual", "forecast", "error",
                                       "scale"])


# --- coverage -------------------------------------------------------------------

def test_coverage_counts_the_truths_inside_edges_included():
    actual = [1.0, 2.0, 3.0, 4.0]
    lower = [0.0, 2.5, 3.0, 0.0]
    upper = [2.0, 3.0, 3.0, 3.0]
    # 1 inside, 2 below, 3 on both edges (inside), 4 above
    assert lb.coverage(actual, lower, upper) == 0.5
    assert lb.coverage(pd.Series(actual), np.array(lower), upper) == 0.5


@pytest.mark.parametrize("args, error, match", [
    (([1, 2], [0, 1], [2]), ValueError, "same shape"),
    (([1, 2], [3, 3], [2, 2]), ValueError, "lower is above upper"),
    (([1, np.nan], [0, 0], [2, 2]), ValueError, "NaN"),
    (([], [], []), ValueError, "empty"),
    (("abc", [0], [1]), TypeError, "sequence of numbers"),
])
def test_coverage_refuses_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        lb.coverage(*args)


# --- residual quantiles ----------------------------------------------------------

def test_residual_quantiles_take_the_conformal_rank():
    # 19 folds; step 1 errors are -1..-19 (|error| = 1..19), step 2 twice that
    errors = -np.column_stack([np.arange(1, 20), 2 * np.arange(1, 20)])
    q = lb.residual_quantiles(fake_results(errors))
    # 80%: ceil(20 * 0.8) = 16th smallest; 95%: ceil(20 * 0.95) = 19th
    assert list(q.index) == [1, 2]
    assert list(q.columns) == [0.8, 0.95]
    assert q.loc[1].tolist() == [16.0, 19.0]
    assert q.loc[2].tolist() == [32.0, 38.0]


def test_residual_quantiles_relative_divides_by_the_forecast():
    errors = np.arange(1, 20)[:, None] * np.ones((1, 3))
    q = lb.residual_quantiles(fake_results(errors), levels=0.8,
                              relative=True)
    np.testing.assert_allclose(q[0.8], [0.16] * 3)  # 16 / 100


def test_too_few_folds_say_how_many_are_needed():
    errors = np.ones((18, 2))
    with pytest.raises(ValueError, match="at least 19 past folds"):
        lb.residual_quantiles(fake_results(errors))
    # 18 folds are plenty for 80% (it needs 4)
    assert lb.residual_quantiles(fake_results(errors), levels=0.8).shape == \
        (2, 1)


@pytest.mark.parametrize("levels, error, match", [
    (80, ValueError, "0.8, not 80"),
    ((0.8, 1.0), ValueError, "between 0 and 1"),
    (("0.8",), TypeError, "must be a number"),
    ((), ValueError, "empty"),
    (None, TypeError, "levels must be"),
])
def test_bad_levels_are_refused(levels, error, match):
    with pytest.raises(error, match=match):
        lb.residual_quantiles(fake_results(np.ones((30, 2))), levels=levels)


def test_one_method_at_a_time_and_a_backtest_table():
    both = pd.concat([fake_results(np.ones((20, 2)), "a"),
                      fake_results(np.ones((20, 2)), "b")])
    with pytest.raises(ValueError, match="one at a time"):
        lb.residual_quantiles(both)
    with pytest.raises(TypeError, match="lstmbook.backtest"):
        lb.residual_quantiles(pd.DataFrame({"error": [1.0]}))


# --- conformal intervals around a new forecast --------------------------------

def test_conformal_intervals_wrap_a_dated_forecast():
    errors = -np.column_stack([np.arange(1, 20), 2 * np.arange(1, 20)])
    results = fake_results(errors)
    future = pd.date_range("2030-01", periods=2, freq="MS")
    forecast = pd.Series([10.0, 20.0], index=future)
    table = lb.conformal_intervals(forecast, results)
    assert table.index.equals(future)
    assert list(table.columns) == ["forecast", "lower_80", "upper_80",
                                   "lower_95", "upper_95"]
    assert table["lower_80"].tolist() == [10 - 16, 20 - 32]
    assert table["upper_95"].tolist() == [10 + 19, 20 + 38]
    relative = lb.conformal_intervals(forecast, results, levels=0.8,
                                      relative=True)
    np.testing.assert_allclose(relative["upper_80"], [10 * 1.16, 20 * 1.32])


def test_conformal_intervals_need_one_value_per_step():
    results = fake_results(np.ones((20, 3)))
    with pytest.raises(ValueError, match="3 steps"):
        lb.conformal_intervals([1.0, 2.0], results)
    plain = lb.conformal_intervals(np.array([1.0, 2.0, 3.0]), results)
    assert list(plain.index) == [1, 2, 3]


# --- rolling (out-of-sample) calibration -----------------------------------------

def test_rolling_intervals_use_only_folds_finished_before_the_origin():
    # horizon 2: fold j is finished before origin k when j + 1 < k.
    # The first 19 folds err by 1, the later ones by 100.
    errors = np.vstack([np.ones((19, 2)), 100 * np.ones((11, 2))])
    table = lb.rolling_intervals(fake_results(errors))
    origins = sorted(table["origin"].unique())
    # fold 20 (index 20) is the first with 19 finished folds (0..18)
    first = table[table["origin"] == origins[0]]
    assert origins[0] == pd.Timestamp("2000-01-01") + pd.DateOffset(months=20)
    assert first["n_calibration"].iloc[0] == 19
    assert (first["upper_95"] - first["forecast"]).tolist() == [1.0, 1.0]
    # its own large error (and later ones) did not widen its interval
    assert lb.coverage(first["actual"], first["lower_95"],
                       first["upper_95"]) == 0.0
    # later folds learned from the finished large errors
    last = table[table["origin"] == origins[-1]]
    assert last["n_calibration"].iloc[0] == 28
    assert (last["upper_80"] - last["forecast"]).tolist() == [100.0, 100.0]


def test_rolling_window_keeps_the_most_recent_folds():
    errors = np.vstack([100 * np.ones((19, 2)), np.ones((22, 2))])
    table = lb.rolling_intervals(fake_results(errors), window=19)
    last = table[table["origin"] == table["origin"].max()]
    assert last["n_calibration"].iloc[0] == 19
    assert (last["upper_95"] - last["forecast"]).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="at least 19"):
        lb.rolling_intervals(fake_results(errors), window=10)


def test_rolling_intervals_need_enough_folds():
    with pytest.raises(ValueError, match="more origins"):
        lb.rolling_intervals(fake_results(np.ones((15, 2))))


def test_conformal_coverage_holds_on_exchangeable_errors():
    """The guarantee: with i.i.d. errors, coverage is at least nominal and,
    with many folds, close to it."""
    rng = np.random.default_rng(0)
    errors = rng.normal(size=(600, 3)) * np.array([1.0, 2.0, 3.0])
    table = lb.rolling_intervals(fake_results(errors))  # computed once
    scores = lb.interval_scores(table)
    for level in (0.8, 0.95):
        covered = scores.loc[("m", level), "coverage"]
        assert abs(covered - level) < 0.03, (level, covered)
    # widths follow the error spread: step 3 about 3x step 1
    width = (table["upper_80"] - table["lower_80"]).groupby(
        table["step"]).mean()
    assert 2.6 < width[3] / width[1] < 3.4


def test_interval_scores_by_hand():
    table = pd.DataFrame({
        "method": ["a"] * 4, "origin": [1, 1, 2, 2],
        "actual": [1.0, 2.0, 3.0, 4.0],
        "lower_80": [0.0, 2.5, 2.0, 0.0], "upper_80": [2.0, 3.0, 4.0, 2.0],
    })
    scores = lb.interval_scores(table)
    row = scores.loc[("a", 0.8)]
    assert row["coverage"] == 0.5 and row["gap"] == pytest.approx(-0.3)
    assert row["mean width"] == pytest.approx((2 + 0.5 + 2 + 2) / 4)
    assert row["folds"] == 2
    with pytest.raises(TypeError, match="lower_XX"):
        lb.interval_scores(table.drop(columns="upper_80"))
    with pytest.raises(TypeError, match="actual"):
        lb.interval_scores([1, 2])


# --- Monte-Carlo dropout -------------------------------------------------------

@pytest.fixture(scope="module")
def airline():
    return lb.load_airline()


@pytest.fixture(scope="module")
def dropout_model(airline):
    return lb.LSTMForecaster(6, 12, log=True, epochs=5, dropout=0.3,
                             units=8).fit(airline)


def test_sample_paths_are_dated_repeatable_and_spread(dropout_model,
                                                      airline):
    paths = dropout_model.sample_paths(50, seed=3)
    assert paths.shape == (6, 50)
    assert paths.index.equals(lb.future_index(airline, 6))
    assert paths.equals(dropout_model.sample_paths(50, seed=3))
    assert not paths.equals(dropout_model.sample_paths(50, seed=4))
    assert (paths.std(axis=1) > 0).all()
    # dropout off, the same model gives one path: predict's forecast
    point = dropout_model.predict()
    assert paths.mean(axis=1).sub(point).abs().max() < 0.2 * point.mean()


def test_sample_paths_recursive_and_pooled_seeds(airline):
    model = lb.LSTMForecaster(4, 12, strategy="recursive", epochs=3,
                              dropout=0.2, units=8, seeds=(0, 1))
    model.fit(airline)
    paths = model.sample_paths(10, history=airline[:-12])
    assert paths.shape == (4, 20)  # 10 paths per seed, pooled
    assert paths.index[0] == airline.index[-12]


def test_mc_dropout_forecast_orders_its_bands(dropout_model, airline):
    table = lb.mc_dropout_forecast(dropout_model, n_samples=100)
    assert list(table.columns) == ["forecast", "lower_80", "upper_80",
                                   "lower_95", "upper_95"]
    assert table.index.equals(lb.future_index(airline, 6))
    assert (table["lower_95"] <= table["lower_80"]).all()
    assert (table["lower_80"] < table["upper_80"]).all()
    assert (table["upper_80"] <= table["upper_95"]).all()
    assert ((table["lower_80"] <= table["forecast"])
            & (table["forecast"] <= table["upper_80"])).all()
    # the order above holds for any quantiles; these are the right ones:
    # of the same seeded paths, 10% (2.5%) lie below the 80% (95%) band and
    # as many above it (up to ties and one path of interpolation), and the
    # forecast is their mean
    paths = dropout_model.sample_paths(100, seed=0)
    np.testing.assert_allclose(table["forecast"], paths.mean(axis=1))
    slack = 1 / paths.shape[1]
    for level in (80, 95):
        tail = (1 - level / 100) / 2
        lower, upper = table[f"lower_{level}"], table[f"upper_{level}"]
        for outside, outside_or_on in [
                (paths.lt(lower, axis=0), paths.le(lower, axis=0)),
                (paths.gt(upper, axis=0), paths.ge(upper, axis=0))]:
            assert (outside.mean(axis=1) <= tail + slack).all(), level
            assert (outside_or_on.mean(axis=1) >= tail - slack).all(), level


def test_mc_dropout_needs_dropout_and_a_forecaster(airline):
    plain = lb.LSTMForecaster(3, 12, epochs=2, units=4).fit(airline)
    with pytest.raises(ValueError, match="dropout=0.2"):
        lb.mc_dropout_forecast(plain)
    with pytest.raises(TypeError, match="LSTMForecaster"):
        lb.mc_dropout_forecast(lambda h: h)
    with pytest.raises(ValueError, match="not fitted"):
        lb.LSTMForecaster(3, 12, dropout=0.2).sample_paths()


# --- on a real series, through lb.backtest ----------------------------------

def test_conformal_intervals_of_a_baseline_on_real_data():
    """Seasonal naive on CO2 (monthly, 1980-2001): conformal intervals
    calibrated on earlier folds cover within 10 points of nominal, and the
    95% interval is wider than the 80% one."""
    co2 = lb.load_co2()["1975":]
    results = lb.backtest(
        co2, {"snaive": lambda h: lb.seasonal_naive_forecast(h, 6, 12)},
        horizon=6, n_origins=200, step=1, season=12)
    scores = lb.interval_scores(lb.rolling_intervals(results))
    for level in (0.8, 0.95):
        assert abs(scores.loc[("snaive", level), "coverage"] - level) < 0.1
    assert scores.loc[("snaive", 0.95), "mean width"] > scores.loc[
        ("snaive", 0.8), "mean width"]


# --- the fan chart -----------------------------------------------------------

def test_plot_fan_draws_dated_bands_widest_palest(airline):
    errors = np.abs(np.random.default_rng(0).normal(size=(25, 3)))
    forecast = pd.Series([400.0, 410.0, 420.0],
                         index=lb.future_index(airline, 3))
    table = lb.conformal_intervals(forecast, fake_results(errors))
    ax = lb.plot_fan(airline, table, actual=[401, 405, 430], last=24)
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["history", "95% interval", "80% interval", "forecast",
                      "truth"]
    bands = ax.collections[:2]
    assert bands[0].get_alpha() < bands[1].get_alpha()  # 95% paler
    assert ax.get_xlabel() == "date" and ax.get_title()
    history_line = ax.get_lines()[0]
    assert len(history_line.get_xdata()) == 24
    plt.close("all")


def test_plot_fan_point_forecast_and_time_steps():
    ax = lb.plot_fan(np.arange(10.0), [10.0, 11.0])
    assert ax.get_xlabel() == "time step"
    assert ax.get_legend_handles_labels()[1] == ["history", "forecast"]
    forecast_line = ax.get_lines()[1]
    assert list(forecast_line.get_xdata()) == [9, 10, 11]
    plt.close("all")


def test_plot_fan_refuses_bad_input():
    with pytest.raises(TypeError, match="'forecast' column"):
        lb.plot_fan([1.0, 2.0], pd.DataFrame({"lower_80": [1.0]}))
    with pytest.raises(ValueError, match="actual has 1"):
        lb.plot_fan([1.0, 2.0], [3.0, 4.0], actual=[3.0])
    plt.close("all")
