"""Sliding windows: turning series into supervised ``(X, y)`` samples.

Taught in chapter "Framing a series as supervised learning"
(``chapters/01-foundations/02-framing.ipynb``). All three ``split_*``
functions are thin wrappers around :func:`make_windows`, which cuts every
window at once with ``numpy.lib.stride_tricks.sliding_window_view``: no
Python loop over samples, and ``X`` is a read-only *view* of your data (no
copy) unless you ask for ``copy=True``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import (
    as_numeric_array,
    check_finite,
    check_flag,
    check_float_range,
    check_lag,
    check_length,
    check_seed,
    check_steps,
    series_1d,
    table_2d,
)

__all__ = [
    "make_windows",
    "split_sequence",
    "split_sequences",
    "split_parallel_sequences",
    "to_subsequences",
    "to_convlstm_input",
    "window_dataset",
]


def _window_view(array: np.ndarray, length: int, start: int, count: int):
    """``count`` windows of ``length`` steps, the first starting at ``start``.

    Returns shape ``(count, length)`` for a 1-D array and
    ``(count, length, columns)`` for a 2-D one, as a view of ``array``.
    """
    view = sliding_window_view(array, length, axis=0)[start : start + count]
    if array.ndim == 2:  # (count, columns, length) -> (count, length, columns)
        view = np.moveaxis(view, -1, 1)
    return view


def _checked_pairs(inputs, targets, n_steps_in, n_steps_out, lag):
    """Validate :func:`make_windows`'s arguments; count the samples."""
    n_steps_in = check_steps(n_steps_in, "n_steps_in")
    n_steps_out = check_steps(n_steps_out, "n_steps_out")
    lag = check_lag(lag)
    inputs = as_numeric_array(inputs, "inputs")
    targets = as_numeric_array(targets, "targets")
    for array, name in ((inputs, "inputs"), (targets, "targets")):
        if array.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be 1-D (one series) or 2-D (time steps x "
                f"columns), got shape {array.shape}."
            )
        check_finite(array, name)
    if len(inputs) != len(targets):
        raise ValueError(
            f"inputs has {len(inputs)} time steps but targets has "
            f"{len(targets)}; they must be aligned step for step."
        )
    span = n_steps_in - 1 + lag + n_steps_out
    check_length(
        len(inputs), span, "the series",
        f"{n_steps_in} in + {n_steps_out} out"
        + (f", target lag {lag}" if lag != 1 else ""),
    )
    return inputs, targets, n_steps_in, n_steps_out, len(inputs) - span + 1


def make_windows(inputs, targets, n_steps_in, n_steps_out=1, lag=1,
                 copy=False):
    """Cut aligned ``inputs`` and ``targets`` into ``(X, y)`` samples.

    Sample ``i`` is::

        X[i] = inputs[i : i + n_steps_in]
        y[i] = targets[t : t + n_steps_out],  t = i + n_steps_in - 1 + lag

    so ``lag=1`` makes the target start one step after the window ends
    (forecast the next value) and ``lag=0`` makes it start at the window's
    last step (predict the output series at the same time as the last input).

    Chapter: "Framing a series as supervised learning".

    Parameters
    ----------
    inputs : array-like, shape ``(T,)`` or ``(T, n_features)``
    targets : array-like, shape ``(T,)`` or ``(T, n_targets)``
        Must have the same number of time steps ``T`` as ``inputs``.
    n_steps_in, n_steps_out : int
        Window lengths (at least 1).
    lag : int
        Steps from the last input step to the first target step (>= 0).
    copy : bool
        ``False`` (default) returns read-only views of the data, which cost
        no memory; ``True`` returns ordinary writable arrays.

    Returns
    -------
    X : ndarray, ``(samples, n_steps_in[, n_features])``
    y : ndarray, ``(samples[, n_steps_out][, n_targets])``; the
        ``n_steps_out`` axis is dropped when ``n_steps_out == 1``.
    """
    copy = check_flag(copy, "copy")
    inputs, targets, n_steps_in, n_steps_out, count = _checked_pairs(
        inputs, targets, n_steps_in, n_steps_out, lag)
    X = _window_view(inputs, n_steps_in, 0, count)
    start = n_steps_in - 1 + lag
    if n_steps_out == 1:
        y = targets[start : start + count]
    else:
        y = _window_view(targets, n_steps_out, start, count)
    if copy:
        return np.array(X), np.array(y)
    return X, y


def split_sequence(sequence, n_steps_in, n_steps_out=1, copy=False):
    """Univariate framing: windows of one series and the values after them.

    ``X`` is ``(samples, n_steps_in)``; ``y`` is ``(samples,)`` when
    ``n_steps_out == 1``, otherwise ``(samples, n_steps_out)``. Add the
    feature axis for an LSTM with ``X.reshape((*X.shape, 1))``.

    >>> X, y = split_sequence([10, 20, 30, 40, 50], 3)
    >>> X.tolist(), y.tolist()
    ([[10, 20, 30], [20, 30, 40]], [40, 50])

    Chapter: "Framing a series as supervised learning" (univariate and
    univariate multi-step sections).
    """
    series = series_1d(sequence, "sequence")
    return make_windows(series, series, n_steps_in, n_steps_out, lag=1,
                        copy=copy)


def split_sequences(sequences, n_steps_in, n_steps_out=1, copy=False):
    """Multiple input series, one dependent output series.

    ``sequences`` is ``(time steps, columns)``: every column but the last is
    an input, the last column is the output. The first target is the output
    *at the window's last step* (``lag=0``): the inputs at time ``t`` explain
    the output at time ``t``. ``X`` is ``(samples, n_steps_in, n_inputs)``;
    ``y`` is ``(samples,)`` or ``(samples, n_steps_out)``.

    For the other framing (the output one step *after* the window) call
    ``make_windows(inputs, output, n_steps_in, lag=1)``.

    Chapter: "Framing a series as supervised learning" (multiple input
    series section).
    """
    table = table_2d(sequences, "sequences", min_columns=2)
    return make_windows(table[:, :-1], table[:, -1], n_steps_in, n_steps_out,
                        lag=0, copy=copy)


def split_parallel_sequences(sequences, n_steps_in, n_steps_out=1,
                             copy=False):
    """Multiple parallel series: every column is both input and output.

    Targets start one step after the window. ``X`` is
    ``(samples, n_steps_in, n_series)``; ``y`` is ``(samples, n_series)`` when
    ``n_steps_out == 1``, otherwise ``(samples, n_steps_out, n_series)``.

    Chapter: "Framing a series as supervised learning" (multiple parallel
    series section).
    """
    table = table_2d(sequences, "sequences", min_columns=1)
    return make_windows(table, table, n_steps_in, n_steps_out, lag=1,
                        copy=copy)


def _samples_steps_features(X) -> np.ndarray:
    X = as_numeric_array(X, "X")
    if X.ndim == 2:
        X = X[..., np.newaxis]
    if X.ndim != 3:
        raise ValueError(
            "X must be (samples, n_steps_in) or (samples, n_steps_in, "
            f"n_features), got shape {X.shape}."
        )
    check_finite(X, "X")
    return X


def to_subsequences(X, n_seq):
    """Split each window into ``n_seq`` equal subsequences (for CNN-LSTM).

    ``(samples, n_steps_in[, n_features])`` becomes
    ``(samples, n_seq, n_steps_in // n_seq, n_features)``: the CNN reads each
    subsequence, the LSTM reads the sequence of those readings.

    Chapter: "CNN-LSTM".
    """
    X = _samples_steps_features(X)
    n_seq = check_steps(n_seq, "n_seq")
    samples, n_steps_in, n_features = X.shape
    if n_steps_in % n_seq:
        raise ValueError(
            f"a window of {n_steps_in} steps cannot be cut into {n_seq} equal "
            f"subsequences; choose n_steps_in as a multiple of n_seq (e.g. "
            f"{n_seq * max(1, n_steps_in // n_seq)})."
        )
    return X.reshape((samples, n_seq, n_steps_in // n_seq, n_features))


def to_convlstm_input(X, n_seq):
    """Reshape windows for ``ConvLSTM2D``: one row of ``n_steps`` columns.

    ``(samples, n_steps_in[, n_features])`` becomes
    ``(samples, n_seq, 1, n_steps_in // n_seq, n_features)``, i.e.
    ``[samples, timesteps, rows, columns, features]``.

    Chapter: "ConvLSTM".
    """
    sub = to_subsequences(X, n_seq)
    return sub[:, :, np.newaxis, :, :]


def window_dataset(inputs, targets, n_steps_in, n_steps_out=1, lag=1,
                   batch_size=256, shuffle_buffer=None, seed=None):
    """Stream ``(X, y)`` batches from a long series, without building them.

    The same samples as :func:`make_windows`, but as a ``tf.data.Dataset``
    that cuts each batch's windows only when the batch is needed (a gather
    of ``batch_size x n_steps_in`` values). Memory holds the series once,
    never all the windows: a 10,000,000-point series with 60-step windows
    would be 2.4 GB of windows as an array, and is 40 MB as a series.

    Pass it to ``model.fit(dataset, epochs=...)`` (on data this large Keras's
    per-epoch overhead no longer matters, so :func:`~lstmbook.training.fit` is not
    needed). A 1-D ``inputs`` gets its features axis here, so ``X`` batches
    are ``(batch, n_steps_in, n_features)``. ``shuffle_buffer`` shuffles the
    sample order within a buffer of that many samples (memory grows with the
    buffer, not with the series); ``None`` keeps the time order.

    Chapter: "Reproducibility and speed" (scaling past memory).
    """
    import keras
    import tensorflow as tf

    inputs, targets, n_steps_in, n_steps_out, count = _checked_pairs(
        inputs, targets, n_steps_in, n_steps_out, lag)
    batch_size = check_steps(batch_size, "batch_size")
    if shuffle_buffer is not None:
        shuffle_buffer = check_steps(shuffle_buffer, "shuffle_buffer")
    if seed is not None:
        seed = check_seed(seed)
    check_float_range(inputs, "inputs")
    check_float_range(targets, "targets")
    if inputs.ndim == 1:
        inputs = inputs[:, np.newaxis]
    series_in = tf.constant(inputs, dtype=keras.config.floatx())
    series_out = tf.constant(targets, dtype=keras.config.floatx())
    offsets_in = tf.range(n_steps_in, dtype=tf.int64)
    first_target = n_steps_in - 1 + lag
    offsets_out = first_target + tf.range(n_steps_out, dtype=tf.int64)

    def cut(starts):
        X = tf.gather(series_in, starts[:, None] + offsets_in)
        if n_steps_out == 1:
            return X, tf.gather(series_out, starts + first_target)
        return X, tf.gather(series_out, starts[:, None] + offsets_out)

    dataset = tf.data.Dataset.range(count)
    if shuffle_buffer is not None:
        dataset = dataset.shuffle(shuffle_buffer, seed=seed)
    return (dataset.batch(batch_size)
            .map(cut, num_parallel_calls=tf.data.AUTOTUNE)
            .prefetch(tf.data.AUTOTUNE))
