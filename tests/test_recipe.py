"""The single-series recipe (lb.RobustForecaster) and the seasonal
adjustment of LSTMForecaster: choices, weights, safeguard, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from lstmbook.recipe import inverse_error_weights, lstm_settings

FAST = dict(epochs=3, windows=(4,), n_origins=2)


def seasonal_series(n=72, noise=0.3, seed=0, trend=0.05):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 10 + trend * t + 2 * np.sin(2 * np.pi * t / 4) \
        + noise * rng.standard_normal(n)
    return pd.Series(values, index=pd.date_range("2000-01-01", periods=n,
                                                 freq="QS"), name="sales")


@pytest.fixture(scope="module")
def fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lb.RecipeWarning)
        # a steep trend, which repeating last season misses
        return lb.RobustForecaster(4, season=4, **FAST).fit(
            seasonal_series(trend=0.3))


# --- the pieces ------------------------------------------------------------------

def test_inverse_error_weights():
    w = inverse_error_weights({"a": 0.5, "b": 1.0})
    assert w.to_dict() == pytest.approx({"a": 2 / 3, "b": 1 / 3})
    with pytest.raises(ValueError, match="finite"):
        inverse_error_weights({"a": np.nan, "b": 0.5})


def test_lstm_settings_adapt_to_the_series():
    y = seasonal_series().to_numpy()
    settings = lstm_settings(y, horizon=4, season=4)
    assert list(settings) == [
        "hybrid, window 4", "seasonal difference, window 4",
        "hybrid, window 8", "seasonal difference, window 8"]
    assert settings["hybrid, window 4"] == dict(
        n_steps_in=4, log=True, normalize="last", deseasonalize=4)
    # negative values: no log, no adjustment; no season: horizon windows
    negative = lstm_settings(y - 100, horizon=6, season=1)
    assert negative["hybrid, window 6"] == dict(
        n_steps_in=6, log=False, normalize="last", deseasonalize=None)
    assert "seasonal difference, window 12" in negative


# --- what fit chooses -------------------------------------------------------------

def test_the_forecast_is_the_weighted_mean_of_its_components(fitted):
    forecast = fitted.predict()
    assert forecast.name == "sales"
    assert list(forecast.index) == list(pd.date_range("2018-01-01",
                                                      periods=4, freq="QS"))
    weights = fitted.weights_
    assert weights.sum() == pytest.approx(1.0) and (weights > 0).all()
    expected = (fitted.components_[weights.index] * weights).sum(axis=1)
    np.testing.assert_allclose(forecast, expected)
    assert set(fitted.components_) <= {"LSTM", "AutoETS", "AutoTheta",
                                       "seasonal naive"}
    assert np.isfinite(fitted.components_.to_numpy()).all()


def test_the_report_says_what_was_chosen_and_why(fitted):
    report = fitted.report_
    settings = ["hybrid, window 4", "seasonal difference, window 4"]
    assert list(report.index[:2]) == settings
    assert (report.loc[settings, "kind"] == "LSTM setting").all()
    assert len(fitted.validation_) == 2  # n_origins folds
    val = fitted.validation_.mean()
    for name in settings + ["AutoETS", "AutoTheta", "seasonal naive"]:
        assert report.loc[name, "validation MASE"] == pytest.approx(val[name])
    assert fitted.chosen_ == list(val[settings].sort_values().index[:2])
    assert report.loc["seasonal naive", "kind"] == "reference"
    assert "seasonal naive" not in fitted.weights_
    for name, weight in fitted.weights_.items():
        assert report.loc[name, "weight"] == pytest.approx(weight)
    inverse = 1 / report.loc[fitted.weights_.index, "validation MASE"]
    np.testing.assert_allclose(fitted.weights_, inverse / inverse.sum())
    # the LSTM is in because it beat seasonal naive on validation
    assert "LSTM" in fitted.weights_
    assert report.loc["LSTM", "validation MASE"] < \
        report.loc["seasonal naive", "validation MASE"]
    # the LSTM is the average of its chosen settings
    np.testing.assert_allclose(fitted.components_["LSTM"],
                               fitted.lstm_members_.mean(axis=1))


def test_the_safeguard_leaves_out_an_lstm_that_loses_to_seasonal_naive():
    """A series that repeats its season exactly, up to tiny noise: a
    3-epoch LSTM cannot beat seasonal naive, so it gets no weight, with a
    warning; with no classical model either, seasonal naive is the
    forecast, with a second warning."""
    y = seasonal_series(noise=0.001, trend=0.0)
    model = lb.RobustForecaster(4, season=4, classical=(), **FAST)
    with pytest.warns(lb.RecipeWarning) as caught:
        forecast = model.fit(y).predict()
    messages = [str(w.message) for w in caught]
    assert any("leaves it out" in m for m in messages)
    assert any("joins the combination" in m for m in messages)
    np.testing.assert_allclose(
        forecast, lb.seasonal_naive_forecast(y, 4, 4).to_numpy())
    assert model.report_.loc["LSTM", "weight"] == 0
    assert "left out" in model.report_.loc["LSTM", "note"]
    assert model.report_.loc["seasonal naive", "weight"] == 1
    assert "LSTM" in model.components_  # shown, though not used


def test_a_series_too_short_for_an_lstm_gets_the_classical_models():
    """14 values, horizon 4: two validation folds train on 8 and 10
    values, too few for any LSTM window (4 inputs + 4 targets + 1)."""
    model = lb.RobustForecaster(4, season=4, n_origins=4, epochs=3,
                                windows=(4,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lb.RecipeWarning)
        model.fit(seasonal_series(n=14, trend=0.3))
    assert len(model.validation_) == 2
    assert model.chosen_ == [] and "LSTM" not in model.components_
    notes = model.report_["note"]
    assert notes["hybrid, window 4"].startswith("not validated: the series")
    assert set(model.weights_.index) <= {"AutoETS", "AutoTheta",
                                         "seasonal naive"}


def test_one_validation_fold_is_too_few_to_choose_weights():
    model = lb.RobustForecaster(4, season=4, epochs=3, windows=(4,))
    model.fit(seasonal_series(n=12, trend=0.3))
    assert len(model.validation_) == 1
    assert model.weights_.to_dict() == {"AutoETS": 0.5, "AutoTheta": 0.5}
    assert model.report_.loc["AutoETS", "note"].startswith("too few")


def test_it_runs_in_a_backtest_and_on_undated_arrays():
    y = seasonal_series(n=48, trend=0.3)
    model = lb.RobustForecaster(4, season=4, classical=("AutoETS",), **FAST)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lb.RecipeWarning)
        results = lb.backtest(y, {"recipe": model}, 4, n_origins=1,
                              season=4, progress=False)
    assert len(results) == 4 and np.isfinite(results["forecast"]).all()
    np.testing.assert_allclose(results["forecast"], model.predict())
    short = lb.RobustForecaster(4, season=4, windows=(4,))  # no LSTM: fast
    undated = short.fit(y.to_numpy()[:12]).predict()
    assert list(undated.index) == [1, 2, 3, 4]


# --- clear errors -----------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, match", [
    (dict(horizon=0), ValueError, "horizon"),
    (dict(horizon=4, season="4"), TypeError, "season"),
    (dict(horizon=4, classical="AutoETS"), TypeError, "list of model"),
    (dict(horizon=4, classical=("ETS",)), ValueError, "AutoETS"),
    (dict(horizon=4, top_k=0), ValueError, "top_k"),
    (dict(horizon=4, windows=(0,)), ValueError, "windows"),
    (dict(horizon=4, epochs=-1), ValueError, "epochs"),
])
def test_bad_settings_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        lb.RobustForecaster(**kwargs)


def test_bad_series_are_refused():
    model = lb.RobustForecaster(4, season=4)
    with pytest.raises(ValueError, match="call fit"):
        model.predict()
    with pytest.raises(ValueError, match="at least 6"):
        model.fit(seasonal_series(n=5))
    flat = np.tile([1.0, 2.0, 3.0, 4.0], 10)
    with pytest.raises(ValueError, match="seasonal naive error is 0"):
        model.fit(flat)
    gap = seasonal_series().to_numpy()
    gap[5] = np.nan
    with pytest.raises(ValueError, match="NaN|missing|finite"):
        model.fit(gap)


# --- the seasonal adjustment of LSTMForecaster ---------------------------------------

def test_lstm_forecaster_deseasonalizes_and_saves_the_whole_history(tmp_path):
    y = seasonal_series()
    model = lb.LSTMForecaster(4, n_steps_in=4, deseasonalize=4, log=True,
                              epochs=3).fit(y)
    assert "deseasonalize=4" in repr(model)
    assert "deseasonalize" not in repr(lb.LSTMForecaster(4, 4))
    adjusted = model.transforms_.forward(y.to_numpy())
    indices = lb.transforms.seasonal_indices(y.to_numpy(), 4)
    np.testing.assert_allclose(
        adjusted, np.log(y.to_numpy() / np.tile(indices, 18)))
    path = tmp_path / "model"
    model.save(path)
    again = lb.LSTMForecaster.load(path)
    pd.testing.assert_series_equal(again.predict(), model.predict())
    negative = y - 20
    with pytest.raises(ValueError, match="negative"):
        lb.LSTMForecaster(4, 4, deseasonalize=4, epochs=1).fit(negative)
