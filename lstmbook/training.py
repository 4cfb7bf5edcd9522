"""Training: a fast drop-in for ``model.fit`` and seeding for repeatable runs.

Chapter: "Reproducibility and speed" explains both; every model chapter uses
them from "Vanilla LSTM" on.

Why :func:`fit` is faster
-------------------------
Keras's ``model.fit`` does a lot of Python work *per epoch*: it builds a
``tf.data`` iterator, calls callbacks, converts logs to Python numbers. On
the book's toy problems one epoch is a single step on six samples, so that
bookkeeping is nearly all of the run time. :func:`fit` traces the whole
training run (every epoch, every batch) into one TensorFlow graph and calls
it once. Inside, it calls the model's own ``train_step``, so the loss, the
gradients, the optimizer update and the metrics are exactly those that
``model.fit`` computes.
"""

from __future__ import annotations

import math
import random

import keras
import numpy as np
import tensorflow as tf

from ._checks import (as_numeric_array, check_finite, check_flag,
                      check_float_range, check_seed, check_steps)
from ._keras import build_training_state, is_distributed, quiet_retracing

__all__ = ["fit", "predict", "set_seed"]


def set_seed(seed: int = 0, deterministic: bool = True) -> None:
    """Make a run repeatable: seed Python, NumPy, Keras and TensorFlow.

    With ``deterministic=True`` TensorFlow's op determinism is switched on as
    well, so the same code on the same machine gives the same numbers run
    after run (at a small cost in speed on a GPU). Call it once at the top of
    a notebook, and again before each model you want to reproduce exactly.

    Chapter: "Reproducibility and speed" (used from "Vanilla LSTM" on).
    """
    seed = check_seed(seed)
    deterministic = check_flag(deterministic, "deterministic")
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()


def _as_float_tensor(data, name: str) -> tf.Tensor:
    array = as_numeric_array(data, name)
    if array.ndim == 0:
        raise ValueError(
            f"{name} is a single number; pass an array of samples, "
            f"{name} of shape (n_samples, ...)."
        )
    check_finite(array, name)
    check_float_range(array, name)
    return tf.constant(array, dtype=keras.backend.floatx())


def _model_shapes(model):
    """Per-sample input and output shapes, or ``None`` if not static."""
    try:
        return (tuple(model.inputs[0].shape[1:]),
                tuple(model.outputs[0].shape[1:]))
    except (AttributeError, IndexError, TypeError, ValueError):
        return None  # e.g. a subclassed model: leave the checks to Keras


_AXES = {
    3: "[samples, timesteps, features]",
    4: "[samples, subsequences, steps, features] (CNN-LSTM)",
    5: "[samples, timesteps, rows, columns, features] (ConvLSTM)",
}


def _check_inputs(model, X, name="X") -> None:
    """Refuse samples whose shape does not match the model's input."""
    shapes = _model_shapes(model)
    if shapes is None:
        return
    expected, got = shapes[0], tuple(X.shape[1:])
    if len(expected) == len(got) and all(
            e is None or e == g for e, g in zip(expected, got)):
        return
    shape = tuple(X.shape)
    one_sample = ", ".join(map(str, expected))
    if expected[-1] == 1 and got == expected[:-1]:
        hint = (f"{name}.reshape((*{name}.shape, 1)) adds the missing "
                "features axis.")
    elif math.prod(shape) == math.prod(d or 1 for d in expected) and (
            len(shape) < len(expected) + 1):
        hint = ("It looks like one sample without the batch axis: "
                f"{name}.reshape((1, {one_sample})).")
    elif len(got) == len(expected) == 2 and got == expected[::-1]:
        hint = ("Are the timesteps and features axes swapped? Use "
                f"np.swapaxes({name}, 1, 2), not reshape.")
    elif len(expected) > 2:
        maker = ("lstmbook.to_subsequences" if len(expected) == 3
                 else "lstmbook.to_convlstm_input")
        hint = f"Make the windows with {maker}(X, n_seq)."
    else:
        hint = ""
    raise ValueError(
        f"{name} has shape {shape}: samples of shape {got}, but the model "
        f"expects samples of shape {expected}, i.e. {name} of shape "
        f"(n_samples, {one_sample}). {hint} The axes are "
        f"{_AXES.get(len(expected) + 1, 'unusual for this book')}."
    )


def _strip_trailing_ones(shape) -> tuple:
    shape = tuple(shape)
    while shape and shape[-1] == 1:
        shape = shape[:-1]
    return shape


def _check_pairs(model, X, y, name_x="X", name_y="y") -> None:
    """Refuse ``(X, y)`` pairs that do not match each other or the model."""
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"{name_x} has {X.shape[0]} samples but {name_y} has "
            f"{y.shape[0]}; they must pair up one to one."
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name_x} has no samples; there is nothing to fit.")
    _check_inputs(model, X, name_x)
    shapes = _model_shapes(model)
    if shapes is not None and (
            _strip_trailing_ones(shapes[1])
            != _strip_trailing_ones(y.shape[1:])):
        raise ValueError(
            f"{name_y} has targets of shape {tuple(y.shape[1:])} but the "
            f"model outputs {shapes[1]} per sample. Build the model with "
            f"output_shape={name_y}.shape[1:] (or reshape {name_y}); "
            "otherwise the loss would silently broadcast the two."
        )


def _check_trained(model, records) -> None:
    """Refuse a run that diverged: a NaN loss or NaN/infinite weights."""
    finite = np.isfinite(records).all() and all(
        np.isfinite(keras.ops.convert_to_numpy(w)).all()
        for w in model.weights)
    if not finite:
        raise ValueError(
            "training diverged: the loss or the weights became NaN or "
            "infinite. Lower the learning rate, scale the data (e.g. "
            "lstmbook.Scaler), or check the inputs for extreme values."
        )


def _check_model(model) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model must be a keras.Model, got {type(model).__name__}."
        )


def predict(model, X):
    """Run a trained model on ``X`` and return a NumPy array.

    ``model(X)`` in inference mode, after checking that ``X`` has the shape
    the model reads, ``(n_samples, ...)`` with the batch axis. For the book's
    small inputs this is faster than ``model.predict`` (no ``tf.data``
    pipeline, no per-call tracing) and gives the same numbers.

    Chapter: "Vanilla LSTM" (used by every model chapter).
    """
    _check_model(model)
    X = _as_float_tensor(X, "X")
    if X.shape[0] == 0:
        raise ValueError(
            "X has no samples (shape (0, ...)); pass at least one window."
        )
    _check_inputs(model, X)
    return keras.ops.convert_to_numpy(model(X, training=False))


def fit(model, X, y, epochs, batch_size=32, validation_data=None,
        shuffle=True, seed=None):
    """Train a compiled Keras model, like ``model.fit`` but much faster.

    Semantics (the same as ``model.fit(X, y, epochs=epochs,
    batch_size=batch_size, validation_data=validation_data,
    shuffle=shuffle, verbose=0)``):

    * each epoch visits every sample once, in batches of ``batch_size``
      (``None`` = all samples in one batch); the last batch may be smaller;
    * with ``shuffle=True`` the samples are put in a new random order every
      epoch (drawn from ``seed``, or from NumPy's global generator, so
      :func:`set_seed` makes it repeatable). When all samples fit in one
      batch the order cannot change the update, so no shuffle is done;
    * the recorded ``loss`` (and any compiled metric) of an epoch is the
      sample-weighted mean over its batches, as Keras reports it;
    * ``validation_data=(X_val, y_val)`` is evaluated after every epoch, in
      inference mode, and recorded as ``val_loss`` etc.

    From the same initial weights the result equals ``model.fit``'s up to
    floating-point rounding. Not supported: callbacks (train again with more
    epochs instead), sample weights, ``validation_split``.

    Returns a ``keras.callbacks.History`` whose ``.history`` dict holds one
    list per metric, exactly like the object ``model.fit`` returns.

    Chapter: "Vanilla LSTM" (first use); "Reproducibility and speed" (how
    and why it works).
    """
    _check_model(model)
    if getattr(model, "optimizer", None) is None:
        raise ValueError(
            "the model is not compiled; call model.compile(optimizer='adam', "
            "loss='mse') first (the lstmbook builders return compiled "
            "models)."
        )
    if is_distributed(model):
        raise ValueError(
            "this model was built inside a tf.distribute strategy scope; "
            "lstmbook.fit runs on one device. Train it with model.fit, "
            "which distributes each step across the strategy's replicas."
        )
    if isinstance(X, tf.data.Dataset):
        raise TypeError(
            "lstmbook.fit takes in-memory arrays; for a tf.data.Dataset "
            "(e.g. from lstmbook.window_dataset) call model.fit(dataset, "
            "epochs=...): on data that large Keras's per-epoch overhead no "
            "longer matters."
        )
    epochs = check_steps(epochs, "epochs")
    X, y = _as_float_tensor(X, "X"), _as_float_tensor(y, "y")
    _check_pairs(model, X, y)
    n = int(X.shape[0])
    batch = n if batch_size is None else min(
        check_steps(batch_size, "batch_size"), n)
    n_batches = math.ceil(n / batch)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(
                validation_data) != 2:
            raise TypeError(
                "validation_data must be a pair (X_val, y_val)."
            )
        X_val = _as_float_tensor(validation_data[0], "X_val")
        y_val = _as_float_tensor(validation_data[1], "y_val")
        _check_pairs(model, X_val, y_val, "X_val", "y_val")
    shuffle = check_flag(shuffle, "shuffle")
    seed = (int(np.random.randint(2**31 - 1)) if seed is None
            else check_seed(seed))
    reorder = shuffle and n_batches > 1
    generator = tf.random.Generator.from_seed(seed) if reorder else None

    # Create the optimizer's and metrics' variables now, eagerly: variables
    # cannot be created inside the training loop's graph.
    build_training_state(model, X, y)
    names = list(model.get_metrics_result())

    def run_epoch():
        for metric in model.metrics:
            metric.reset_state()
        if n_batches == 1:
            model.train_step((X, y))
        else:
            order = tf.argsort(generator.uniform([n])) if reorder else None
            for b in tf.range(n_batches):
                lo, hi = b * batch, tf.minimum((b + 1) * batch, n)
                if reorder:
                    idx = order[lo:hi]
                    model.train_step((tf.gather(X, idx), tf.gather(y, idx)))
                else:
                    model.train_step((X[lo:hi], y[lo:hi]))
        logs = dict(model.get_metrics_result())
        if validation_data is not None:
            for metric in model.metrics:
                metric.reset_state()
            model.test_step((X_val, y_val))
            logs.update({f"val_{k}": v
                         for k, v in model.get_metrics_result().items()})
        return logs

    keys = names + ([f"val_{k}" for k in names] if validation_data else [])

    @tf.function
    def train(n_epochs):
        records = tf.TensorArray(tf.float64, size=n_epochs)
        for epoch in tf.range(n_epochs):
            logs = run_epoch()
            records = records.write(
                epoch, tf.stack([tf.cast(logs[k], tf.float64) for k in keys]))
        return records.stack()

    with quiet_retracing():
        records = train(tf.constant(epochs)).numpy()  # (epochs, len(keys))
    _check_trained(model, records)
    history = keras.callbacks.History()
    history.set_model(model)
    history.params = {"epochs": epochs, "steps": n_batches, "verbose": 0}
    history.epoch = list(range(epochs))
    history.history = {k: records[:, i].tolist() for i, k in enumerate(keys)}
    return history
