"""Every use of Keras' and TensorFlow's private API, in one place.

``lstmbook`` leans on four things Keras does not promise to keep: the
symbolic build that creates a model's optimizer and metric variables
(:func:`build_training_state`), the strategy a model was built under
(:func:`is_distributed`), the state of a dropout layer's seed generator
(:func:`seed_dropout`), and TensorFlow's retracing warning
(:func:`quiet_retracing`). ``pyproject.toml`` caps Keras below 4, and
``tests/test_keras_private.py`` checks each of them on the installed
version, so a Keras release that moves them fails a test with a clear name
rather than a chapter with a cryptic one.
"""

from __future__ import annotations

import contextlib
import logging
import weakref

import keras
import tensorflow as tf

#: The Keras versions this module was written for: ``>= 3.3, < 4``.
KERAS_RANGE = ((3, 3), (4, 0))


def keras_version() -> tuple[int, int]:
    """The installed Keras' ``(major, minor)``."""
    major, minor = keras.__version__.split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


class _NoRetracingWarning(logging.Filter):
    """Drop TensorFlow's "N out of the last N calls ... retracing" warning.

    ``lstmbook.fit`` traces one graph per call *on purpose* (a new model,
    new data); TensorFlow counts those traces as if they were accidental.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def quiet_retracing():
    """Silence TensorFlow's retracing warning inside the ``with`` block."""
    quiet = _NoRetracingWarning()
    tf.get_logger().addFilter(quiet)
    try:
        yield
    finally:
        tf.get_logger().removeFilter(quiet)


def build_training_state(model, X, y) -> None:
    """Create the optimizer's and metrics' variables now, eagerly.

    Variables cannot be created inside a traced training loop; ``fit``
    builds them from one sample first, as ``model.fit`` does internally.
    """
    model._symbolic_build(data_batch=(X[:1], y[:1], None))


def is_distributed(model) -> bool:
    """Whether ``model`` was built inside a ``tf.distribute`` scope."""
    return getattr(model, "_distribute_strategy", None) is not None


def seed_dropout(layer, seed: int) -> None:
    """Restart a dropout layer's random draws from ``seed``."""
    layer.seed_generator.state.assign([int(seed), 0])


# model -> {training flag: compiled call}. A forecast calls its models many
# times (a recursive forecast once per step, a backtest once per origin);
# run eagerly, each call costs ~0.1 s of Python overhead, compiled a few ms,
# with the same numbers.
_COMPILED = weakref.WeakKeyDictionary()


def compiled_call(model, x, training: bool = False):
    """``model(x, training=...)`` through a ``tf.function`` cached per model.

    The function holds only a weak reference to the model, so the cache
    entry goes away with the model. Returns a NumPy array.
    """
    calls = _COMPILED.setdefault(model, {})
    if training not in calls:
        ref = weakref.ref(model)
        calls[training] = tf.function(
            lambda inputs: ref()(inputs, training=training))
    try:  # the type the model reads (a loaded model keeps its own)
        dtype = model.inputs[0].dtype
    except (AttributeError, IndexError, ValueError):
        dtype = keras.config.floatx()
    with quiet_retracing():  # one trace per model is not "retracing"
        out = calls[training](tf.constant(x, dtype=dtype))
    return keras.ops.convert_to_numpy(out)


def subnetwork(net, input_shape, name):
    """The layers of model ``net`` as a new ``Sequential`` called ``name``,
    to be used inside a larger model (without ``net``'s optimiser)."""
    return keras.Sequential(
        [keras.Input(input_shape), *(net.layers if isinstance(
            net, keras.Sequential) else [net])], name=name)
