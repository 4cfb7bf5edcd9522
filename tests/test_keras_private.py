"""The private Keras/TensorFlow API lstmbook uses still exists and works.

Everything lstmbook takes from Keras beyond its public API lives in
``lstmbook/_keras.py``; ``pyproject.toml`` caps Keras below 4. These tests
check each private piece on the installed version, so a release that moves
one fails here, by name, before a chapter fails with a cryptic error.
"""

import re
import tomllib
from pathlib import Path

import keras
import numpy as np
import pytest

import lstmbook as lb
from lstmbook import _keras

ROOT = Path(__file__).resolve().parents[1]


def test_installed_keras_is_inside_the_tested_range():
    low, high = _keras.KERAS_RANGE
    assert low <= _keras.keras_version() < high, keras.__version__


def test_pyproject_caps_keras_at_the_same_major():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["dependencies"]
    (spec,) = [d for d in deps if d.startswith("keras")]
    low, high = _keras.KERAS_RANGE
    assert re.search(rf">={low[0]}\.{low[1]}\b", spec), spec
    assert f"<{high[0]}" in spec, spec


def _model():
    model = lb.stacked_lstm((4, 1), 2, units=(3,), dropout=0.5)
    return model


def test_build_training_state_creates_the_optimizer_variables():
    model = _model()
    X, y = np.zeros((5, 4, 1), "float32"), np.zeros((5, 2), "float32")
    assert not model.optimizer.built
    _keras.build_training_state(model, X, y)
    assert model.optimizer.built and model.optimizer.variables


def test_is_distributed_tells_a_strategy_scope():
    import tensorflow as tf

    assert not _keras.is_distributed(_model())
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        inside = _model()
    assert _keras.is_distributed(inside)


def test_seed_dropout_repeats_the_draws():
    model = lb.stacked_lstm((4, 1), 2, units=(16,), dropout=0.5)
    x = np.ones((8, 4, 1), "float32")
    dropout = [layer for layer in model.layers
               if isinstance(layer, keras.layers.Dropout)][0]
    draws = []
    for _ in range(2):
        _keras.seed_dropout(dropout, 7)
        draws.append(_keras.compiled_call(model, x, training=True))
    np.testing.assert_array_equal(draws[0], draws[1])
    _keras.seed_dropout(dropout, 8)
    assert not np.array_equal(draws[0],
                              _keras.compiled_call(model, x, training=True))


def test_compiled_call_matches_the_model_and_is_cached():
    model = _model()
    x = np.random.default_rng(0).normal(size=(3, 4, 1)).astype("float32")
    np.testing.assert_allclose(_keras.compiled_call(model, x),
                               keras.ops.convert_to_numpy(model(x)),
                               rtol=1e-6)
    assert len(_keras._COMPILED[model]) == 1


def test_quiet_retracing_drops_only_the_retracing_warning(caplog):
    import logging

    import tensorflow as tf

    logger = tf.get_logger()
    with _keras.quiet_retracing():
        record = logging.LogRecord("tensorflow", logging.WARNING, "", 0,
                                   "5 out of the last 5 calls triggered "
                                   "tf.function retracing", None, None)
        assert not all(f.filter(record) for f in logger.filters)
        other = logging.LogRecord("tensorflow", logging.WARNING, "", 0,
                                  "something else", None, None)
        assert all(f.filter(other) for f in logger.filters)
    assert not logger.filters


@pytest.mark.parametrize("module", sorted(
    p.stem for p in (ROOT / "lstmbook").glob("*.py")
    if p.stem != "_keras"))
def test_no_other_module_touches_private_keras_api(module):
    source = (ROOT / "lstmbook" / f"{module}.py").read_text()
    private = re.findall(r"\.(_symbolic_build|_distribute_strategy|"
                         r"seed_generator\.state|_COMPILED)\b", source)
    assert not private, f"{module}.py uses {private}; move it to _keras.py"
