"""lstmbook.training: fit matches model.fit, is faster, and checks input."""

import time

import keras
import numpy as np
import pytest

import lstmbook as lb

from conftest import SEQ

X_TOY, Y_TOY = lb.split_sequence(SEQ, 3)
X_TOY = X_TOY.reshape((*X_TOY.shape, 1))
X_IN = np.array([70, 80, 90], dtype="float32").reshape((1, 3, 1))


def twin_models(build=lambda: lb.vanilla_lstm((3, 1), 1, activation="relu")):
    """Two identical compiled models with the same initial weights."""
    lb.set_seed(1)
    first = build()
    second = build()
    second.set_weights(first.get_weights())
    return first, second


@pytest.fixture(scope="module")
def vanilla_runs():
    """The spec's vanilla LSTM trained for 200 epochs twice, from the same
    initial weights: by ``lb.fit``, then by ``model.fit``, each timed.

    One run serves both the equality and the speed test below (each used
    to train its own pair, the same way: 200 ``model.fit`` epochs are most
    of this module's time).
    """
    ours, theirs = twin_models()
    start = time.perf_counter()
    history = lb.fit(ours, X_TOY, Y_TOY, epochs=200)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    reference = theirs.fit(X_TOY, Y_TOY, epochs=200, verbose=0)
    slow = time.perf_counter() - start
    return ours, theirs, history, reference, fast, slow


def test_fit_equals_keras_fit_on_the_vanilla_example(vanilla_runs):
    """The spec's vanilla LSTM, 200 epochs: same losses, same forecast."""
    ours, theirs, history, reference, _, _ = vanilla_runs
    np.testing.assert_allclose(history.history["loss"],
                               reference.history["loss"], rtol=1e-3)
    np.testing.assert_allclose(lb.predict(ours, X_IN),
                               theirs.predict(X_IN, verbose=0), rtol=1e-4)
    assert history.epoch == list(range(200))
    assert isinstance(history, keras.callbacks.History)
    # and the forecast is the right answer, not just the same one
    assert abs(lb.predict(ours, X_IN)[0, 0] - 100) < 5


def test_fit_equals_keras_fit_with_minibatches_and_validation():
    """Several batches per epoch (no shuffle, so the order is the same)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 4, 2)).astype("float32")
    y = X.sum(axis=(1, 2))
    X_val, y_val = X[:10] + 0.1, y[:10]
    ours, theirs = twin_models(lambda: lb.vanilla_lstm((4, 2), 1, units=8))
    history = lb.fit(ours, X, y, epochs=5, batch_size=16,
                     validation_data=(X_val, y_val), shuffle=False)
    reference = theirs.fit(X, y, epochs=5, batch_size=16, verbose=0,
                           validation_data=(X_val, y_val), shuffle=False)
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(history.history[key],
                                   reference.history[key], rtol=1e-4)
    np.testing.assert_allclose(ours.get_weights()[0],
                               theirs.get_weights()[0], rtol=1e-4, atol=1e-6)
    # the last val_loss is the loss of the final weights on the val data
    assert history.history["val_loss"][-1] == pytest.approx(
        ours.evaluate(X_val, y_val, verbose=0), rel=1e-5)
    assert history.params["steps"] == 4  # 16 + 16 + 16 + 2


def test_compiled_metrics_are_recorded():
    model = lb.vanilla_lstm((3, 1), 1, units=4)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = lb.fit(model, X_TOY, Y_TOY, epochs=3,
                     validation_data=(X_TOY, Y_TOY))
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert all(len(v) == 3 for v in history.history.values())


def test_shuffling_is_seeded():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3, 1)).astype("float32")
    y = X[:, -1, 0]

    def run(seed):
        lb.set_seed(0)
        model = lb.vanilla_lstm((3, 1), 1, units=4)
        return lb.fit(model, X, y, epochs=3, batch_size=8,
                      seed=seed).history["loss"]

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_set_seed_makes_a_run_repeatable():
    def run():
        lb.set_seed(42)
        model = lb.stacked_lstm((3, 1), 1, units=(8, 8), dropout=0.2)
        lb.fit(model, X_TOY, Y_TOY, epochs=20, batch_size=4)
        return lb.predict(model, X_IN)

    np.testing.assert_array_equal(run(), run())


def test_fit_is_much_faster_than_keras_fit(vanilla_runs):
    """A guard against losing the speed-up (benchmarks/ measures ~8x)."""
    *_, fast, slow = vanilla_runs
    assert slow / fast > 2.5, f"lb.fit {fast:.2f}s vs model.fit {slow:.2f}s"


def test_predict_equals_keras_predict_and_checks_shapes():
    model = lb.stacked_lstm((3, 1), 2, units=(4, 4))
    X = np.arange(12, dtype="float32").reshape((4, 3, 1))
    np.testing.assert_allclose(lb.predict(model, X),
                               model.predict(X, verbose=0), rtol=1e-6)
    with pytest.raises(ValueError, match=r"one sample without the batch "
                                         r"axis: X.reshape\(\(1, 3, 1\)\)"):
        lb.predict(model, [70, 80, 90])
    with pytest.raises(ValueError, match=r"one sample without the batch "):
        lb.predict(model, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"adds the missing features axis"):
        lb.predict(model, np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"swapped\? Use np.swapaxes"):
        lb.predict(model, np.ones((5, 1, 3)))
    conv = lb.conv_lstm((2, 1, 2, 1), 1)
    with pytest.raises(ValueError, match=r"to_convlstm_input.*\[samples, "
                                         r"timesteps, rows, columns"):
        lb.predict(conv, np.ones((5, 2, 2, 1)))
    with pytest.raises(ValueError, match="NaN"):
        lb.predict(model, np.full((1, 3, 1), np.nan))


def test_fit_refuses_bad_input():
    model = lb.vanilla_lstm((3, 1), 1)
    with pytest.raises(ValueError, match=r"adds the missing features axis"):
        lb.fit(model, X_TOY[..., 0], Y_TOY, epochs=1)
    with pytest.raises(ValueError, match="6 samples but y has 5"):
        lb.fit(model, X_TOY, Y_TOY[:5], epochs=1)
    with pytest.raises(ValueError, match=r"output_shape=y.shape\[1:\]"):
        lb.fit(model, X_TOY, np.ones((6, 2)), epochs=1)
    with pytest.raises(ValueError, match="NaN"):
        lb.fit(model, X_TOY, np.full(6, np.nan), epochs=1)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        lb.fit(model, X_TOY, Y_TOY, epochs=0)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        lb.fit(model, X_TOY, Y_TOY, epochs=1, batch_size=0)
    with pytest.raises(TypeError, match=r"pair \(X_val, y_val\)"):
        lb.fit(model, X_TOY, Y_TOY, epochs=1, validation_data=X_TOY)
    with pytest.raises(ValueError, match=r"X_val has shape \(6, 3\)"):
        lb.fit(model, X_TOY, Y_TOY, epochs=1,
               validation_data=(X_TOY[..., 0], Y_TOY))
    with pytest.raises(TypeError, match="keras.Model"):
        lb.fit("model", X_TOY, Y_TOY, epochs=1)
    with pytest.raises(ValueError, match="no samples"):
        lb.fit(model, X_TOY[:0], Y_TOY[:0], epochs=1)
    raw = keras.Sequential([keras.Input((3, 1)), keras.layers.LSTM(2),
                            keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        lb.fit(raw, X_TOY, Y_TOY, epochs=1)


def test_fit_points_to_model_fit_for_datasets_and_strategies():
    import tensorflow as tf

    model = lb.vanilla_lstm((3, 1), 1, units=4)
    dataset = lb.window_dataset(np.arange(20.0), np.arange(20.0), 3)
    with pytest.raises(TypeError, match=r"model.fit\(dataset"):
        lb.fit(model, dataset, None, epochs=1)
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        distributed = lb.vanilla_lstm((3, 1), 1, units=4)
    with pytest.raises(ValueError, match="strategy scope"):
        lb.fit(distributed, X_TOY, Y_TOY, epochs=1)
