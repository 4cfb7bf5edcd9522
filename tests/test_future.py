"""Forecasting past the end of the data: dates, lengths, units, strategies.

The chapter "Forecasting the future" relies on these: a forecast continues
the data's own calendar (monthly, yearly, weekly, daily), has ``horizon``
values in the data's units, and the recursive and direct strategies give
forecasts of the same shape.
"""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb

TINY = dict(epochs=2, units=4)


def weekly():
    """The CO2 weekly record (Saturdays) with its gaps filled."""
    return lb.load_co2(freq="W-SAT").interpolate()


SERIES = {
    # name: (loader, horizon, n_steps_in, first future date)
    "monthly": (lb.load_airline, 12, 12, "1961-01-01"),
    "yearly": (lb.load_sunspots, 10, 11, "2009-01-01"),
    "weekly": (weekly, 4, 8, "2002-01-05"),
    "daily": (lambda: lb.load_seattle_weather()["temp_max"], 7, 14,
              "2016-01-01"),
}


@pytest.mark.parametrize("name", SERIES)
def test_future_index_continues_the_calendar(name):
    load, horizon, _, first = SERIES[name]
    series = load()
    future = lb.future_index(series, horizon)
    expected = pd.date_range(first, periods=horizon, freq=series.index.freq)
    assert future.equals(expected)
    assert future.freq == series.index.freq
    assert future[0] > series.index[-1]
    if name == "weekly":
        assert set(future.day_name()) == {"Saturday"}
    if name == "yearly":
        assert list(future.year) == list(range(2009, 2019))


@pytest.mark.parametrize("name", SERIES)
def test_lstm_forecast_has_future_dates_and_the_right_length(name):
    load, horizon, n_steps_in, first = SERIES[name]
    series = load()[-200:]
    forecast = lb.LSTMForecaster(horizon, n_steps_in, **TINY).fit(
        series).predict()
    assert isinstance(forecast, pd.Series)
    assert len(forecast) == horizon and forecast.notna().all()
    assert forecast.index.equals(lb.future_index(series, horizon))
    assert forecast.index[0] == pd.Timestamp(first)
    assert forecast.name == series.name


@pytest.mark.parametrize("name", SERIES)
@pytest.mark.parametrize("baseline", ["naive", "seasonal naive", "drift",
                                      "mean"])
def test_baseline_forecasts_have_future_dates(name, baseline):
    load, horizon, _, first = SERIES[name]
    series = load()
    forecast = {
        "naive": lambda: lb.naive_forecast(series, horizon),
        "seasonal naive": lambda: lb.seasonal_naive_forecast(series,
                                                             horizon, 3),
        "drift": lambda: lb.drift_forecast(series, horizon),
        "mean": lambda: lb.mean_forecast(series, horizon),
    }[baseline]()
    assert forecast.index.equals(lb.future_index(series, horizon))
    assert forecast.index[0] == pd.Timestamp(first)
    assert len(forecast) == horizon


def test_baselines_by_hand_on_dated_data():
    series = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 7.0],
                       index=pd.date_range("2020-01", periods=6, freq="MS"))
    assert lb.naive_forecast(series, 2).tolist() == [7.0, 7.0]
    assert lb.seasonal_naive_forecast(series, 4, 3).tolist() == [4, 5, 7, 4]
    assert lb.drift_forecast(series, 2).tolist() == [8.2, 9.4]
    assert lb.seasonal_naive_forecast(series, 1, 3).index[0] == \
        pd.Timestamp("2020-07-01")


def test_dates_without_freq_are_inferred_and_irregular_ones_refused():
    dates = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01",
                            "2024-04-01"])
    series = pd.Series([1.0, 2.0, 3.0, 4.0], index=dates)
    assert series.index.freq is None
    assert list(lb.future_index(series, 2)) == list(
        pd.to_datetime(["2024-05-01", "2024-06-01"]))
    irregular = series.copy()
    irregular.index = pd.to_datetime(["2024-01-01", "2024-01-02",
                                      "2024-01-05", "2024-01-06"])
    with pytest.raises(ValueError, match="regularize"):
        lb.future_index(irregular, 2)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        lb.future_index(pd.Series([1.0, 2.0, 3.0]), 2)


def test_forecast_is_in_the_data_units():
    """Multiply the data by 1000 and the forecast follows exactly: the
    scaling is undone on the way out."""
    airline = lb.load_airline()
    settings = dict(horizon=6, n_steps_in=12, season_diff=12, epochs=5,
                    units=8)
    small = lb.LSTMForecaster(**settings).fit(airline).predict()
    large = lb.LSTMForecaster(**settings).fit(airline * 1000).predict()
    np.testing.assert_allclose(large.to_numpy(), 1000 * small.to_numpy(),
                               rtol=1e-6)
    # and it is near the data's level, not in scaled units around 0
    assert 300 < small.mean() < 700


def test_recursive_and_mimo_agree_on_shapes_and_dates():
    airline = lb.load_airline()
    forecasts, models = {}, {}
    for strategy in ("recursive", "mimo"):
        models[strategy] = lb.LSTMForecaster(
            12, 24, log=True, season_diff=12, strategy=strategy, epochs=20,
            units=8).fit(airline)
        forecasts[strategy] = models[strategy].predict()
    rec, direct = forecasts["recursive"], forecasts["mimo"]
    assert rec.shape == direct.shape == (12,)
    assert rec.index.equals(direct.index)
    # a one-step model against a 12-output model
    assert models["recursive"].models_[0].outputs[0].shape[-1] == 1
    assert models["mimo"].models_[0].outputs[0].shape[-1] == 12
    # both near the same level, both with the summer peak
    assert abs(rec.iloc[0] / direct.iloc[0] - 1) < 0.15
    assert rec.idxmax().month in (6, 7, 8) and direct.idxmax().month in (
        6, 7, 8)


def test_encoder_decoder_forecasts_the_future_too():
    airline = lb.load_airline()
    forecast = lb.LSTMForecaster(12, 24, log=True, season_diff=12,
                                 architecture="encoder_decoder",
                                 **TINY).fit(airline).predict()
    assert forecast.index.equals(lb.future_index(airline, 12))


def test_horizon_longer_than_the_season():
    """With a seasonal difference of 12, step 13 builds on the forecast of
    step 1: a 24-month forecast is still defined and dated."""
    airline = lb.load_airline()
    forecast = lb.LSTMForecaster(24, 24, log=True, season_diff=12,
                                 epochs=30, units=8).fit(airline).predict()
    assert len(forecast) == 24
    assert forecast.index[-1] == pd.Timestamp("1962-12-01")
    assert forecast.notna().all() and (forecast > 0).all()
    # the second year is above the first (the trend goes on)
    assert forecast.iloc[12:].sum() > forecast.iloc[:12].sum()


def test_predicting_from_a_longer_history_moves_the_dates():
    airline = lb.load_airline()
    model = lb.LSTMForecaster(3, 12, **TINY).fit(airline[:"1958"])
    assert model.predict().index[0] == pd.Timestamp("1959-01-01")
    assert model.predict(airline).index[0] == pd.Timestamp("1961-01-01")


def test_error_grows_with_the_horizon_on_a_random_walk():
    """The naive forecast of a random walk: error by step grows like the
    square root of the step (the chapter's explanation)."""
    rng = np.random.default_rng(1)
    walk = pd.Series(rng.normal(size=800).cumsum(),
                     index=pd.date_range("2000-01-01", periods=800,
                                         freq="D"))
    results = lb.backtest(walk, {"naive": lambda h: lb.naive_forecast(h, 9)},
                          horizon=9, n_origins=300, step=2)
    rmse = lb.error_by_step(results, "RMSE")["naive"]
    assert rmse.is_monotonic_increasing or rmse.iloc[-1] > 2 * rmse.iloc[0]
    assert 2.4 < rmse.loc[9] / rmse.loc[1] < 3.6  # sqrt(9) = 3
