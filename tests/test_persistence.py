"""Saving and loading forecasters (lstmbook.persistence).

A reloaded forecaster forecasts the same to the last bit; a save that is
interrupted at any point leaves the earlier forecaster loadable, never a
mixture; every damaged or missing file is refused with its name.
"""

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
    models_dir = folder / "models-0001"
    assert sorted(p.name for p in folder.iterdir()) == [
        "forecaster.json", models_dir.name]
    assert sorted(p.name for p in models_dir.iterdir()) == [
        "model_0.keras", "model_1.keras"]
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
    assert state["format"] == lb.persistence.FORMAT == 2
    assert state["class"] == "LSTMForecaster"
    assert state["settings"]["horizon"] == 6
    assert state["settings"]["seeds"] == [0, 1]
    assert state["settings"]["season_diff"] == 12
    history = state["state"]["history"]
    assert history["freq"] == "MS"
    # the window and one season before it: what the next forecast needs
    assert len(history["values"]) == 12 + 12
    assert history["dates"][-1] == "1957-04-01T00:00:00"
    np.testing.assert_array_equal(state["state"]["scaler"]["center"],
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
    with pytest.raises(ValueError, match="not a folder"):
        lb.LSTMForecaster.load(tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no forecaster.json"):
        lb.LSTMForecaster.load(tmp_path / "empty")
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


# --- saving over an earlier save ---------------------------------------------

def _forecasters(airline):
    """An earlier save with three seeds and a newer one with two."""
    with keras_float("float64"):
        old = lb.LSTMForecaster(6, 12, units=3, epochs=2, seeds=(0, 1, 2))
        new = lb.LSTMForecaster(6, 12, units=3, epochs=2, seeds=(5, 6),
                                log=True)
        return old.fit(airline.iloc[:90]), new.fit(airline.iloc[:100])


@pytest.fixture(scope="module")
def old_and_new(airline):
    return _forecasters(airline)


def test_saving_over_a_larger_ensemble_leaves_no_stale_models(
        old_and_new, tmp_path):
    old, new = old_and_new
    old.save(tmp_path)
    new.save(tmp_path)
    dirs = [p.name for p in tmp_path.iterdir() if p.is_dir()]
    assert dirs == ["models-0002"]
    assert len(list((tmp_path / "models-0002").iterdir())) == 2
    loaded = lb.LSTMForecaster.load(tmp_path)
    assert loaded.seeds == (5, 6) and loaded.log
    pd.testing.assert_series_equal(loaded.predict(), new.predict(),
                                   check_exact=True)


class Crash(Exception):
    """Stands for the process dying in the middle of a save."""


def _crash_at(monkeypatch, target, name, after):
    """Make ``target.name`` raise Crash on its ``after``-th call."""
    real = getattr(target, name)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == after:
            raise Crash(f"{name} call {after}")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)


# Every write a save makes, in order: the two model files, the rename of
# the models folder into place, the json's temporary file, the rename of
# the json over the old one (the commit), and the clean-up after it.
CRASH_POINTS = [
    ("keras_save", 1), ("keras_save", 2), ("replace", 1), ("open", 1),
    ("replace", 2), ("clean_up", 1)]


@pytest.mark.parametrize("point, after", CRASH_POINTS)
def test_an_interrupted_save_leaves_one_whole_forecaster(
        old_and_new, tmp_path, monkeypatch, point, after):
    import builtins
    import os

    import keras

    old, new = old_and_new
    old.save(tmp_path)
    committed = point == "clean_up"  # the json already names the new models
    with monkeypatch.context() as patch:
        if point == "keras_save":
            _crash_at(patch, keras.Model, "save", after)
        elif point == "replace":
            _crash_at(patch, os, "replace", after)
        elif point == "open":
            real_open = builtins.open

            def failing_open(file, *args, **kwargs):
                if str(file).endswith(".partial"):
                    raise Crash("open")
                return real_open(file, *args, **kwargs)

            patch.setattr(builtins, "open", failing_open)
        else:
            _crash_at(patch, lb.persistence, "_remove_stale", after)
        with pytest.raises(Crash):
            new.save(tmp_path)
    loaded = lb.LSTMForecaster.load(tmp_path)
    expected = new if committed else old
    assert loaded.seeds == expected.seeds
    pd.testing.assert_series_equal(loaded.predict(), expected.predict(),
                                   check_exact=True)
    # the next save cleans up whatever the crash left behind
    new.save(tmp_path)
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_killed_save_process_leaves_the_old_forecaster(old_and_new,
                                                         tmp_path):
    """A real interruption: a child process is killed in the middle of a save.

    The child saves a new forecaster over the old one and is killed with
    SIGKILL while writing the second model file (it pauses there so the kill
    lands mid-save); the folder still loads as the old forecaster.
    """
    import signal
    import subprocess
    import sys
    import textwrap

    old, _ = old_and_new
    old.save(tmp_path / "f")
    child = textwrap.dedent(f"""
        import os, sys, time
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        import keras, lstmbook as lb
        series = lb.load_airline().iloc[:100]
        new = lb.LSTMForecaster(6, 12, units=3, epochs=1, seeds=(7, 8))
        new.fit(series)
        real_save = keras.Model.save
        calls = []
        def slow_save(self, path, *a, **k):
            calls.append(path)
            real_save(self, path, *a, **k)
            if len(calls) == 1:
                print("saving", flush=True)
                time.sleep(60)
        keras.Model.save = slow_save
        new.save({str(tmp_path / "f")!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", child],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "saving"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    loaded = lb.LSTMForecaster.load(tmp_path / "f")
    assert loaded.seeds == old.seeds
    pd.testing.assert_series_equal(loaded.predict(), old.predict(),
                                   check_exact=True)


# --- damaged or foreign folders -------------------------------------------------

def _saved(fitted, tmp_path):
    folder = fitted.save(tmp_path / "saved")
    meta = folder / "forecaster.json"
    return folder, meta, json.loads(meta.read_text())


def test_a_truncated_json_is_named(fitted, tmp_path):
    folder, meta, _ = _saved(fitted, tmp_path)
    meta.write_text(meta.read_text()[:100])
    with pytest.raises(ValueError, match="forecaster.json is damaged"):
        lb.LSTMForecaster.load(folder)


@pytest.mark.parametrize("key", ["settings", "models", "state", "class"])
def test_a_json_missing_a_key_is_named(fitted, tmp_path, key):
    folder, meta, state = _saved(fitted, tmp_path)
    del state[key]
    meta.write_text(json.dumps(state))
    with pytest.raises(ValueError, match=f"lacks.*{key}"):
        lb.LSTMForecaster.load(folder)


def test_a_json_missing_part_of_the_state_is_named(fitted, tmp_path):
    folder, meta, state = _saved(fitted, tmp_path)
    del state["state"]["scaler"]
    meta.write_text(json.dumps(state))
    with pytest.raises(ValueError, match="'state' entry is incomplete"):
        lb.LSTMForecaster.load(folder)


def test_a_truncated_model_file_is_named(fitted, tmp_path):
    folder, _, state = _saved(fitted, tmp_path)
    model = folder / state["models"]["folder"] / "model_1.keras"
    model.write_bytes(model.read_bytes()[:500])
    with pytest.raises(ValueError, match="model_1.keras could not be read"):
        lb.LSTMForecaster.load(folder)


def test_a_missing_model_file_is_named(fitted, tmp_path):
    folder, _, state = _saved(fitted, tmp_path)
    (folder / state["models"]["folder"] / "model_0.keras").unlink()
    with pytest.raises(ValueError, match="model_0.keras is missing"):
        lb.LSTMForecaster.load(folder)


@pytest.mark.parametrize("models", [
    {"folder": "../elsewhere", "files": ["model_0.keras"]},
    {"folder": "models-0001", "files": ["../../etc/passwd"]},
    {"folder": "/tmp", "files": ["model_0.keras"]},
])
def test_model_paths_are_confined_to_the_folder(fitted, tmp_path, models):
    folder, meta, state = _saved(fitted, tmp_path)
    state["models"] = models
    meta.write_text(json.dumps(state))
    with pytest.raises(ValueError, match="outside the forecaster's folder"):
        lb.LSTMForecaster.load(folder)


def test_a_newer_format_or_another_class_is_refused(fitted, tmp_path):
    folder, meta, state = _saved(fitted, tmp_path)
    meta.write_text(json.dumps({**state, "format": 99}))
    with pytest.raises(ValueError, match="format 99.*reads format 2"):
        lb.LSTMForecaster.load(folder)
    meta.write_text(json.dumps(state))
    with pytest.raises(ValueError, match="GlobalLSTMForecaster.load|holds a"):
        lb.GlobalLSTMForecaster.load(folder)
    with pytest.raises(TypeError, match="folder name"):
        lb.LSTMForecaster.load(42)


# --- the many-series forecaster ----------------------------------------------

def test_global_forecaster_round_trips_bit_for_bit(tmp_path):
    panel = lb.load_us_employment().iloc[:80, :4]
    with keras_float("float64"):
        model = lb.GlobalLSTMForecaster(6, 12, units=4, epochs=2,
                                        seeds=(0, 1), dropout=0.1)
        model.fit(panel)
    loaded = lb.GlobalLSTMForecaster.load(model.save(tmp_path / "g"))
    pd.testing.assert_frame_equal(loaded.predict(), model.predict(),
                                  check_exact=True)
    newer = lb.load_us_employment().iloc[:90, :4]
    pd.testing.assert_frame_equal(loaded.predict(newer),
                                  model.predict(newer), check_exact=True)
    assert repr(loaded) == repr(model)
    assert loaded.dropout == 0.1 and loaded.series_ == list(panel.columns)
