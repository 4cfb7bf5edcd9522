"""Compute in a given float type inside a ``with`` block, then put it back.

``keras.config.set_floatx`` alone is not enough once any layer exists in
the process: the first layer Keras builds fixes its global dtype policy
from the float type of that moment, and later layers follow the policy,
not ``floatx``. So a test that wants float64 models after other tests have
built float32 ones must set both; this does, and restores both.
"""

from contextlib import contextmanager

import keras
from keras.src.backend.common import global_state


def keras_float_state():
    """Keras's float type and its (possibly not yet fixed) dtype policy."""
    return (keras.config.floatx(),
            global_state.get_global_attribute("dtype_policy", None))


def restore_keras_float_state(state):
    floatx, policy = state
    keras.config.set_floatx(floatx)
    global_state.set_global_attribute("dtype_policy", policy)


@contextmanager
def keras_float(dtype):
    """Build and train in ``dtype`` ("float32" or "float64") in the block."""
    state = keras_float_state()
    keras.config.set_floatx(dtype)
    keras.config.set_dtype_policy(dtype)
    try:
        yield
    finally:
        restore_keras_float_state(state)
