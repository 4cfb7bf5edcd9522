"""lstmbook.forecasting: the LSTM recipe for real series, end to end."""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb


@pytest.fixture(scope="module")
def airline():
    return lb.load_airline()


def test_real_data_recipe_beats_seasonal_naive(airline):
    """The book's airline recipe, rolling origin over the last 3 folds: the
    LSTM must beat the seasonal naive forecast by a clear margin."""
    recipe = lb.LSTMForecaster(horizon=12, n_steps_in=24, log=True,
                               season_diff=12, epochs=100)
    forecasters = {
        "lstm": recipe,
        "seasonal naive": lambda h: lb.seasonal_naive_forecast(h, 12, 12),
    }
    results = lb.backtest(airline, forecasters, horizon=12, n_origins=3,
                          season=12)
    scores = lb.summarize(results)["MASE"]
    assert scores["lstm"] < 0.8 * scores["seasonal naive"], scores


def test_forecast_has_future_dates_and_real_units(airline):
    model = lb.LSTMForecaster(12, 24, log=True, season_diff=12, epochs=30)
    forecast = model.fit(airline).predict()
    assert isinstance(forecast, pd.Series)
    assert list(forecast.index) == list(
        pd.date_range("1961-01-01", periods=12, freq="MS"))
    assert forecast.index.freq == airline.index.freq
    assert forecast.name == airline.name
    # real units: thousands of passengers, near the last year's level
    assert 300 < forecast.mean() < 700
    assert model.n_params > 0


def test_predict_from_a_longer_history_without_refitting(airline):
    model = lb.LSTMForecaster(6, 12, epochs=5).fit(airline[:-6])
    weights = [w.copy() for w in model.models_[0].get_weights()]
    later = model.predict(airline)
    assert later.index[0] == pd.Timestamp("1961-01-01")
    for before, after in zip(weights, model.models_[0].get_weights()):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("strategy", ["mimo", "recursive", "seq2seq"])
def test_the_forecast_depends_only_on_the_history(airline, strategy):
    """No leak, checked in a way that would see one.

    A forecast from ``history`` reads its last window (and, with a
    seasonal difference, the season before it): values after the
    history's end cannot change it, a value inside the last window must,
    and one older than the window and its season does not. Through
    ``lb.backtest``, a forecaster refitted on data changed from some
    origin on forecasts the same at that origin and differently after it.
    """
    n_in, m, t = 12, 12, 100
    settings = dict(horizon=6, n_steps_in=n_in, season_diff=m,
                    strategy=strategy, units=8, epochs=5)
    model = lb.LSTMForecaster(**settings).fit(airline[:t])
    base = model.predict(airline[:t])
    assert base.index[0] == airline.index[t]

    def predict_changed(position, factor):
        changed = airline.copy()
        changed.iloc[position] *= factor
        return model.predict(changed[:t])

    # (a) after the end: the history passed is a slice of a longer series
    # whose later values differ (a read past the slice, e.g. by stride
    # tricks, would see them); and it is the forecast from the end of the
    # training data
    later = airline.copy()
    later.iloc[t:] *= 3
    pd.testing.assert_series_equal(model.predict(later.iloc[:t]), base)
    pd.testing.assert_series_equal(model.predict(), base)
    # (b) inside the last window: the forecast moves, so (a) could fail
    moved = predict_changed(t - 3, 1.5)
    assert (moved - base).abs().max() > 1e-3 * base.abs().mean(), (
        moved, base)
    # ... and before the window and its season, nothing is read
    pd.testing.assert_series_equal(
        predict_changed(t - n_in - m - 1, 1.5), base)

    if strategy == "recursive":
        return  # the backtest below does not depend on the strategy
    # through lb.backtest: origins 126 and 138; the data change from the
    # first origin on, so a fold shown even one value too many would see it
    changed = airline.copy()
    changed.iloc[126:] *= 3
    folds = {}
    for name, series in [("original", airline), ("changed", changed)]:
        results = lb.backtest(series, {"lstm": lb.LSTMForecaster(
            **settings)}, horizon=6, n_origins=2, step=12)
        folds[name] = results.set_index(["origin", "step"])["forecast"]
    origins = folds["original"].index.get_level_values("origin").unique()
    assert list(origins) == list(airline.index[[126, 138]])
    before, after = origins
    # the same history before the change: the same refitted forecast
    pd.testing.assert_series_equal(folds["changed"].loc[before],
                                   folds["original"].loc[before])
    # a history that holds the change: a different one
    assert not np.allclose(folds["changed"].loc[after],
                           folds["original"].loc[after])


def test_backtest_never_passes_a_value_at_or_after_the_origin():
    """A series whose values are their positions: the largest value a
    forecaster receives is the last position it saw, which must be the
    one just before the origin (all earlier values, nothing later)."""
    n, horizon = 60, 5
    index = pd.date_range("2000-01-01", periods=n, freq="MS")
    positions = pd.Series(np.arange(n, dtype=float), index=index)
    table = pd.DataFrame({"y": positions, "x": positions + 1000.0})
    expected = lb.rolling_origins(n, horizon, n_origins=7)

    def recording(target):
        """A forecaster that checks each history against the next origin."""
        origins = iter(expected)

        def recorder(history):
            origin = next(origins)
            values = history if target is None else history[target]
            assert values.max() < origin, (values.max(), origin)
            np.testing.assert_array_equal(values, np.arange(origin))
            if target is not None:  # the extra column stops there too
                assert history["x"].max() < origin + 1000.0
            recorder.received.append(len(history))
            return np.zeros(horizon)

        recorder.received, recorder.origins = [], origins
        return recorder

    for data, target in [(positions, None), (table, "y")]:
        recorder = recording(target)
        results = lb.backtest(data, {"recorder": recorder}, horizon,
                              n_origins=7, target=target)
        assert recorder.received == list(expected)
        assert next(recorder.origins, None) is None
        assert list(results["origin"].unique()) == list(index[expected])
        # what each fold is scored on starts at its origin
        firsts = results[results["step"] == 1]["actual"].to_numpy()
        np.testing.assert_array_equal(firsts, expected)


@pytest.mark.parametrize("architecture", lb.forecasting.ARCHITECTURES)
def test_every_architecture_forecasts_the_horizon(airline, architecture):
    model = lb.LSTMForecaster(5, 12, architecture=architecture, units=8,
                              epochs=2)
    forecast = model(airline)
    assert forecast.shape == (5,) and forecast.notna().all()


def test_recursive_strategy_feeds_forecasts_back(airline):
    model = lb.LSTMForecaster(4, 12, strategy="recursive", epochs=5)
    model.fit(airline)
    assert model.models_[0].outputs[0].shape[-1] == 1
    forecast = model.predict()
    # step by step by hand: the k-th step is the one-step forecast from the
    # history extended by the k - 1 steps before it
    for k in range(1, 4):
        extended = pd.concat([airline, forecast.iloc[:k]])
        extended.index.freq = "MS"
        np.testing.assert_allclose(model.predict(extended).iloc[0],
                                   forecast.iloc[k], rtol=1e-12)


def test_seeds_average_and_warm_start_continues(airline):
    ensemble = lb.LSTMForecaster(3, 12, epochs=5, seeds=(0, 1)).fit(airline)
    members = [lb.LSTMForecaster(3, 12, epochs=5, seeds=(s,)).fit(airline)
               .predict() for s in (0, 1)]
    np.testing.assert_allclose(ensemble.predict(),
                               np.mean(members, axis=0), rtol=1e-6)
    warm = lb.LSTMForecaster(3, 12, epochs=5, warm_start=True,
                             warm_epochs=2)
    warm.fit(airline[:-12])
    first = warm.models_[0]
    warm.fit(airline)
    assert warm.models_[0] is first
    assert len(warm.histories_[0].history["loss"]) == 2


def test_table_input_uses_extra_columns():
    weather = lb.load_seattle_weather()[-300:]
    model = lb.LSTMForecaster(7, 14, target="temp_max", epochs=3)
    forecast = model(weather)
    assert forecast.name == "temp_max" and len(forecast) == 7
    assert model.models_[0].inputs[0].shape[-1] == 4
    assert forecast.index[0] == pd.Timestamp("2016-01-01")


@pytest.mark.parametrize("kwargs, match", [
    ({"architecture": "transformer"}, "architecture must be"),
    ({"strategy": "both"}, "strategy must be"),
    ({"strategy": "recursive", "architecture": "encoder_decoder"},
     "strategy='mimo'"),
    ({"normalize": "mean"}, "normalize must be"),
    ({"dropout": 1.5}, "dropout"),
    ({"seeds": ()}, "at least one seed"),
    ({"units": 0}, "at least 1"),
])
def test_bad_settings_are_refused(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        lb.LSTMForecaster(3, 12, **kwargs)


def test_bad_data_is_refused(airline):
    with pytest.raises(ValueError, match="not fitted"):
        lb.LSTMForecaster(3, 12).predict()
    with pytest.raises(ValueError, match="needs at least 37"):
        lb.LSTMForecaster(12, 12, season_diff=12).fit(airline[:36])
    with pytest.raises(ValueError, match="positive"):
        lb.LSTMForecaster(3, 12, log=True).fit(airline - 200)
    with pytest.raises(ValueError, match="target="):
        lb.LSTMForecaster(3, 12).fit(lb.load_seattle_weather())
    with pytest.raises(ValueError, match="'mimo', 'direct'"):
        lb.LSTMForecaster(3, 12, strategy="recursive",
                          target="temp_max").fit(lb.load_seattle_weather())
    gappy = airline.copy()
    gappy.iloc[5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        lb.LSTMForecaster(3, 12).fit(gappy)
