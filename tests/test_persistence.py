"""LSTMForecaster.save / load: a reloaded forecaster forecasts the same."""

import json

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from keras_float import keras_float


@pytest.fixture(scope="module")
def airline():
    return lb.load_airline()


@pytest.fixture(scope="module")
def fitted(airline):
    """Two seeds, log and seasonal difference: every part of the state.

    Trained in float64, as the chapters compute, whatever Keras's float
    type is when the module starts; the tests then run in the default
    float32, so loading must keep the saved type rather than the current.
    """
    with keras_float("float64"):
        model = lb.LSTMForecaster(6, 12, units=4, epochs=3, log=True,
                                  season_diff=12, seeds=(0, 1))
        return model.fit(airline.iloc[:100])


def test_reloaded_forecaster_gives_the_identical_forecast(fitted, airline,
                                                          tmp_path):
    folder = fitted.save(tmp_path / "saved")
    assert sorted(p.name for p in folder.iterdir()) == [
        "forecaster.json", "model_0.keras", "model_1.keras"]
    loaded = lb.LSTMForecaster.load(folder)
    pd.testing.assert_series_equal(loaded.predict(), fitted.predict(),
                                   check_exact=True)
    assert loaded.predict().index.freqstr == "MS"
    # from a newer history too, without refitting
    pd.testing.assert_series_equal(loaded.predict(airline),
                                   fitted.predict(airline), check_exact=True)
    assert repr(loaded) == repr(fitted)


def test_the_json_holds_settings_scaler_and_frequency(fitted, tmp_path):
    fitted.save(tmp_path)
    state = json.loads((tmp_path / "forecaster.json").read_text())
    assert state["settings"]["horizon"] == 6
    assert state["settings"]["seeds"] == [0, 1]
    assert state["settings"]["season_diff"] == 12
    assert state["history"]["freq"] == "MS"
    # the window and one season before it: what the next forecast needs
    assert len(state["history"]["values"]) == 12 + 12
    assert state["history"]["dates"][-1] == "1957-04-01T00:00:00"
    np.testing.assert_array_equal(state["scaler"]["center"],
                                  np.atleast_1d(fitted.scaler_.center_))


def test_table_with_extra_inputs_round_trips(tmp_path):
    weather = lb.load_seattle_weather().iloc[:200]
    model = lb.LSTMForecaster(3, 7, units=4, epochs=2, target="temp_max")
    model.fit(weather)
    loaded = lb.LSTMForecaster.load(model.save(tmp_path / "w"))
    pd.testing.assert_series_equal(loaded.predict(), model.predict(),
                                   check_exact=True)
    assert loaded.predict().name == "temp_max"
    newer = lb.load_seattle_weather().iloc[:230]
    pd.testing.assert_series_equal(loaded.predict(newer),
                                   model.predict(newer), check_exact=True)


def test_undated_series_round_trips(tmp_path):
    series = np.sin(np.arange(80) / 4) * 10 + 50
    model = lb.LSTMForecaster(4, 8, units=4, epochs=2).fit(series)
    loaded = lb.LSTMForecaster.load(model.save(tmp_path))
    np.testing.assert_array_equal(loaded.predict(), model.predict())


def test_a_loaded_forecaster_can_be_trained_again(fitted, airline, tmp_path):
    loaded = lb.LSTMForecaster.load(fitted.save(tmp_path))
    forecast = loaded.fit(airline).predict()
    assert forecast.index[0] == pd.Timestamp("1961-01-01")


def test_save_and_load_refuse_what_they_cannot_do(fitted, tmp_path):
    with pytest.raises(ValueError, match="not fitted"):
        lb.LSTMForecaster(3, 6).save(tmp_path)

    def build(input_shape, output_shape):
        model = lb.vanilla_lstm(input_shape, output_shape, units=2)
        return model

    custom = lb.LSTMForecaster(3, 6, architecture=build, epochs=1)
    custom.fit(np.arange(40.0))
    with pytest.raises(ValueError, match="custom architecture"):
        custom.save(tmp_path / "custom")
    with pytest.raises(ValueError, match="forecaster.json"):
        lb.LSTMForecaster.load(tmp_path / "nothing-here")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="not a folder"):
        fitted.save(a_file)


def test_models_keep_their_dtype(fitted, tmp_path):
    folder = fitted.save(tmp_path)
    loaded = lb.LSTMForecaster.load(folder)
    for a, b in zip(fitted.models_, loaded.models_):
        assert a.layers[0].dtype == b.layers[0].dtype == "float64"
        for wa, wb in zip(a.get_weights(), b.get_weights()):
            np.testing.assert_array_equal(wa, wb)
    state = json.loads((folder / "forecaster.json").read_text())
    assert state["floatx"] == "float64"
