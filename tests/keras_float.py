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


@contextmanager
def keras_float_restored():
    """Put Keras's float type and dtype policy back as they were.

    The policy is restored as it was, including "not fixed yet" (None), so
    the next test's first layer still follows its own ``floatx``.
    """
    floatx = keras.config.floatx()
    policy = global_state.get_global_attribute("dtype_policy", None)
    try:
        yield
    finally:
        keras.config.set_floatx(floatx)
        global_state.set_global_attribute("dtype_policy", policy)


@contextmanager
def keras_float(dtype):
    """Build and train in ``dtype`` ("float32" or "float64") in the block."""
    with keras_float_restored():
        keras.config.set_floatx(dtype)
        keras.config.set_dtype_policy(dtype)
        yield
