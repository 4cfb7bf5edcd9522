"""Splits, the Scaler, baselines, metrics and backtests (lstmbook.splits,
scaling, baselines, metrics, backtest)."""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb


def test_standard_scaler_values_and_inverse():
    train = np.array([10.0, 20.0, 30.0])
    scaler = lb.Scaler().fit(train)
    assert scaler.center_ == pytest.approx(20.0)
    assert scaler.scale_ == pytest.approx(np.std(train))
    z = scaler.transform([20.0, 40.0])
    np.testing.assert_allclose(z, [0.0, 20.0 / np.std(train)])
    np.testing.assert_allclose(scaler.inverse_transform(z), [20.0, 40.0])


def test_minmax_scaler_maps_training_range_to_unit_interval():
    scaler = lb.Scaler("minmax").fit([5.0, 7.0, 15.0])
    np.testing.assert_allclose(scaler.transform([5.0, 15.0, 25.0]),
                               [0.0, 1.0, 2.0])


def test_statistics_come_from_training_data_only():
    """If later data leaked into the statistics, these numbers would move."""
    series = np.concatenate([np.full(80, 1.0), np.full(20, 100.0)])
    series[:80] += np.linspace(-1, 1, 80)
    train, test = series[:80], series[80:]
    scaler = lb.Scaler().fit(train)
    assert scaler.center_ == pytest.approx(train.mean())
    assert scaler.center_ == pytest.approx(1.0)
    leaky = lb.Scaler().fit(series)
    assert leaky.center_ > 10  # what a leak looks like
    # fitting again on the same training part gives the same result,
    # whatever test data was transformed in between
    scaler.transform(test)
    assert lb.Scaler().fit(train).center_ == scaler.center_


def test_per_column_statistics_apply_to_windows(table):
    scaler = lb.Scaler().fit(table)
    X, y = lb.split_parallel_sequences(table, 3)
    Xs, ys = scaler.transform(X), scaler.transform(y)
    np.testing.assert_allclose(Xs.mean(axis=(0, 1)),
                               (X.mean(axis=(0, 1)) - table.mean(axis=0))
                               / table.std(axis=0))
    np.testing.assert_allclose(scaler.inverse_transform(ys), y)
    # targets of split_sequences are the last column
    X_in, y_out = lb.split_sequences(table, 3)
    ys = scaler.transform(y_out, columns=-1)
    np.testing.assert_allclose(ys, (y_out - table[:, -1].mean())
                               / table[:, -1].std())
    np.testing.assert_allclose(
        scaler.inverse_transform(ys, columns=-1), y_out)
    Xs = scaler.transform(X_in, columns=[0, 1])
    np.testing.assert_allclose(
        scaler.inverse_transform(Xs, columns=[0, 1]), X_in)


def test_constant_column_is_only_shifted():
    scaler = lb.Scaler().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [5.0, 5.0]}))
    np.testing.assert_allclose(scaler.transform([[1.0, 6.0]]), [[-1.0, 1.0]])


def test_scaler_errors():
    with pytest.raises(ValueError, match="method must be one of"):
        lb.Scaler("robust")
    with pytest.raises(ValueError, match="not fitted yet"):
        lb.Scaler().transform([1.0])
    with pytest.raises(ValueError, match="NaN"):
        lb.Scaler().fit([1.0, np.nan])
    with pytest.raises(ValueError, match="non-empty"):
        lb.Scaler().fit([])
    scaler = lb.Scaler().fit(np.ones((4, 3)))
    with pytest.raises(ValueError, match="pass columns="):
        scaler.transform(np.ones((2, 2)))
    with pytest.raises(ValueError, match="out of range"):
        scaler.transform([1.0], columns=5)
    with pytest.raises(ValueError, match="2-D table"):
        lb.Scaler().fit([1.0, 2.0]).transform([1.0], columns=0)
    with pytest.raises(TypeError, match="only numbers"):
        lb.Scaler().fit(["a", "b"])


# --- splits ------------------------------------------------------------------

def test_chronological_split_keeps_time_order_and_types():
    series = lb.load_airline()
    parts = lb.chronological_split(series, test_size=24, val_size=12)
    assert [len(p) for p in parts] == [108, 12, 24]
    assert parts.train.index[-1] < parts.val.index[0]
    assert parts.val.index[-1] < parts.test.index[0]
    assert parts.test.index[-1] == series.index[-1]
    assert all(isinstance(p, pd.Series) for p in parts)
    train, val, test = lb.chronological_split(list(range(10)), 0.2)
    assert val is None
    np.testing.assert_array_equal(test, [8, 9])
    np.testing.assert_array_equal(train, range(8))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"test_size": 0}, ValueError, "at least 1"),
    ({"test_size": 8, "val_size": 2}, ValueError, "not enough"),
    ({"test_size": 1.5}, ValueError, "fraction"),
    ({"test_size": -2}, ValueError, "fraction|negative"),
    ({"test_size": "2"}, TypeError, "fraction"),
])
def test_chronological_split_refuses_bad_sizes(kwargs, error, match):
    with pytest.raises(error, match=match):
        lb.chronological_split(np.arange(10.0), **kwargs)


# --- baselines ---------------------------------------------------------------

def test_baselines_by_hand():
    train = [1.0, 2.0, 3.0, 5.0]
    np.testing.assert_allclose(lb.naive_forecast(train, 3), [5, 5, 5])
    np.testing.assert_allclose(lb.seasonal_naive_forecast(train, 5, 2),
                               [3, 5, 3, 5, 3])
    np.testing.assert_allclose(lb.drift_forecast(train, 2),
                               [5 + 4 / 3, 5 + 8 / 3])
    np.testing.assert_allclose(lb.mean_forecast(train, 2), [2.75, 2.75])


def test_baselines_carry_the_future_dates():
    series = lb.load_airline()
    forecast = lb.seasonal_naive_forecast(series, 14, 12)
    assert isinstance(forecast, pd.Series)
    assert forecast.index[0] == pd.Timestamp("1961-01-01")
    assert forecast.index[-1] == pd.Timestamp("1962-02-01")
    # next January is last January; the 13th step wraps around the season
    assert forecast.iloc[0] == series["1960-01-01"]
    assert forecast.iloc[12] == series["1960-01-01"]


def test_baselines_refuse_bad_input():
    with pytest.raises(ValueError, match="full season"):
        lb.seasonal_naive_forecast([1.0, 2.0], 3, 12)
    with pytest.raises(ValueError, match="empty"):
        lb.naive_forecast([], 3)
    with pytest.raises(ValueError, match="NaN"):
        lb.naive_forecast([1.0, np.nan], 3)
    with pytest.raises(ValueError, match="1-D"):
        lb.mean_forecast(np.ones((4, 2)), 3)
    with pytest.raises(ValueError, match="at least 2"):
        lb.drift_forecast([1.0], 3)
    with pytest.raises(ValueError, match="at least 1"):
        lb.naive_forecast([1.0], 0)


# --- metrics -----------------------------------------------------------------

def test_metrics_against_hand_computed_values():
    y, yhat = [1.0, 2.0, 3.0], [2.0, 2.0, 5.0]
    assert lb.mae(y, yhat) == pytest.approx(1.0)
    assert lb.rmse(y, yhat) == pytest.approx(np.sqrt(5 / 3))
    # sMAPE: 200 * mean(|e| / (|y| + |yhat|)) = 200 * (1/3 + 0 + 2/8) / 3
    assert lb.smape(y, yhat) == pytest.approx(200 * (1 / 3 + 0.25) / 3)
    assert lb.smape([0.0, 1.0], [0.0, 1.0]) == 0.0
    # MASE: training diffs at lag 2 are |3-1|, |2-2|, |4-3| -> scale 1
    train = [1.0, 2.0, 3.0, 2.0, 4.0]
    assert lb.mase(y, yhat, train, season=2) == pytest.approx(1.0)
    # lag 1: |1|, |1|, |-1|, |2| -> scale 1.25
    assert lb.mase(y, yhat, train) == pytest.approx(1.0 / 1.25)


def test_mase_of_a_perfect_naive_forecast_on_a_random_walk_is_about_one():
    rng = np.random.default_rng(0)
    walk = np.cumsum(rng.normal(size=2000))
    train, test = walk[:1000], walk[1000:1001]
    # the naive one-step forecast's in-sample MAE is the scale itself
    errors = [lb.mase(walk[t:t + 1], walk[t - 1:t], walk[:t])
              for t in range(1000, 2000)]
    assert np.mean(errors) == pytest.approx(1.0, abs=0.1)
    assert lb.mase(test, test, train) == 0.0


@pytest.mark.parametrize("func", [lb.mae, lb.rmse, lb.smape])
def test_metrics_refuse_mismatched_or_bad_input(func):
    with pytest.raises(ValueError, match="shape"):
        func([1.0, 2.0], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="empty"):
        func([], [])
    with pytest.raises(ValueError, match="NaN"):
        func([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(TypeError, match="numbers"):
        func(["a", "b"], [1.0, 2.0])


def test_mase_refuses_a_scale_it_cannot_compute():
    with pytest.raises(ValueError, match="more than one season"):
        lb.mase([1.0], [1.0], [1.0, 2.0], season=12)
    with pytest.raises(ValueError, match="scale is 0"):
        lb.mase([1.0], [2.0], [5.0, 5.0, 5.0])


# --- rolling origin ------------------------------------------------------------

def test_rolling_origins_match_the_book_protocol():
    # airline: 10 origins, horizon 12, half a horizon apart, last one ending
    # at the end of the data
    origins = lb.rolling_origins(144, 12)
    np.testing.assert_array_equal(origins, np.arange(78, 133, 6))
    np.testing.assert_array_equal(lb.rolling_origins(20, 3, 4, step=1),
                                  [14, 15, 16, 17])
    with pytest.raises(ValueError, match="more than 30"):
        lb.rolling_origins(30, 12, 10)


def test_backtest_never_shows_a_fold_its_own_future():
    series = lb.load_airline()
    seen = []

    def spy(history):
        seen.append(history.index[-1])
        return lb.naive_forecast(history, 12)

    results = lb.backtest(series, {"spy": spy}, horizon=12, n_origins=10,
                          season=12)
    origins = results.groupby("origin")["date"].min()
    assert len(seen) == len(origins) == 10
    for last_seen, first_scored in zip(seen, origins):
        assert last_seen < first_scored
        assert last_seen + pd.offsets.MonthBegin(1) == first_scored
    assert list(results.columns) == ["method", "origin", "step", "date",
                                     "actual", "forecast", "error", "scale"]
    assert len(results) == 10 * 12
    np.testing.assert_allclose(results["error"],
                               results["forecast"] - results["actual"])


def test_seasonal_naive_backtest_reproduces_the_reference_mase():
    """The figure the book's benchmark is measured against (statsforecast's
    cross-validation protocol): seasonal naive on airline, MASE 1.365."""
    forecasters = {
        "seasonal naive": lambda h: lb.seasonal_naive_forecast(h, 12, 12),
        "naive": lambda h: lb.naive_forecast(h, 12),
    }
    results = lb.backtest(lb.load_airline(), forecasters, horizon=12,
                          season=12)
    table = lb.summarize(results)
    assert table.loc["seasonal naive", "MASE"] == pytest.approx(1.365,
                                                                abs=5e-4)
    assert list(table["rank"]) == [1, 2]
    # MASE is the mean over folds of each fold's MAE / its own scale
    fold = results[(results["method"] == "naive")
                   & (results["origin"] == results["origin"].iloc[0])]
    series = lb.load_airline()
    train = series[series.index < fold["origin"].iloc[0]].to_numpy()
    assert len(train) == 78
    assert fold["scale"].iloc[0] == pytest.approx(
        np.mean(np.abs(train[12:] - train[:-12])))
    by_step = lb.error_by_step(results)
    assert by_step.shape == (12, 2)
    assert by_step.loc[1, "naive"] < by_step.loc[12, "naive"]


def test_backtest_on_a_table_scores_the_target_column():
    weather = lb.load_seattle_weather()

    def yesterday(history):
        assert list(history.columns) == list(weather.columns)
        return np.full(7, history["temp_max"].iloc[-1])

    results = lb.backtest(weather, {"naive": yesterday}, horizon=7,
                          n_origins=3, target="temp_max")
    np.testing.assert_allclose(results["actual"].iloc[-7:],
                               weather["temp_max"].iloc[-7:])
    with pytest.raises(ValueError, match="target="):
        lb.backtest(weather, {"naive": yesterday}, horizon=7)


def test_backtest_refuses_bad_forecasters():
    series = lb.load_airline()
    with pytest.raises(TypeError, match="dict"):
        lb.backtest(series, lambda h: h[-12:], 12)
    with pytest.raises(TypeError, match="not callable"):
        lb.backtest(series, {"x": 3}, 12)
    with pytest.raises(ValueError, match="returned 11 values"):
        lb.backtest(series, {"short": lambda h: np.zeros(11)}, 12)
    with pytest.raises(ValueError, match="NaN"):
        lb.backtest(series, {"nan": lambda h: np.full(12, np.nan)}, 12)
    with pytest.raises(TypeError, match="backtest"):
        lb.summarize(pd.DataFrame({"a": [1]}))
