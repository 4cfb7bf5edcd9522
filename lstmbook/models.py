"""Model builders: one function per LSTM architecture.

Every builder takes the shape of one input sample (``input_shape``, without
the batch axis) and the shape of one target (``output_shape``), and returns a
compiled ``keras.Sequential`` model: ``build(X.shape[1:], y.shape[1:])``
fits any windows from :mod:`lstmbook.windows` (``y.shape[1:] == ()``, a
single value per sample, counts as 1). Because the output head adapts to
``output_shape``, every architecture works for every framing of the book:

=====================  ==================  ===============================
framing                ``output_shape``    head
=====================  ==================  ===============================
one step, one series   ``1``               ``Dense(1)``
one step, k series     ``k``               ``Dense(k)``
m steps, one series    ``m``               ``Dense(m)`` (vector output)
m steps, k series      ``(m, k)``          ``Dense(m * k)`` + ``Reshape``
=====================  ==================  ===============================

The encoder-decoder builder instead emits one step at a time with
``RepeatVector`` and a decoder LSTM.

The default ``activation`` is ``"tanh"``, Keras's default and the one the
fast cuDNN kernel needs on a GPU; pass ``activation="relu"`` to reproduce the
original tutorials (chapter "Vanilla LSTM" compares the two).
"""

from __future__ import annotations

import math
import numbers

import keras
from keras import layers

from ._checks import check_choice, check_fraction, check_steps, check_text

__all__ = [
    "vanilla_lstm",
    "stacked_lstm",
    "bidirectional_lstm",
    "cnn_lstm",
    "conv_lstm",
    "vector_output_lstm",
    "encoder_decoder_lstm",
]

_RESHAPE_HINTS = {
    2: "an LSTM reads (n_steps_in, n_features); for one series reshape X "
       "with X.reshape((*X.shape, 1)) and pass X.shape[1:]",
    3: "a CNN-LSTM reads (n_seq, n_steps, n_features); make X with "
       "lstmbook.to_subsequences(X, n_seq) and pass X.shape[1:]",
    4: "a ConvLSTM reads (n_seq, rows, n_steps, n_features); make X with "
       "lstmbook.to_convlstm_input(X, n_seq) and pass X.shape[1:]",
}


def _shape(value, name: str) -> tuple[int, ...]:
    """A shape given as an int or a tuple of positive ints."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (int(value),)
    try:
        if isinstance(value, (str, bytes)):
            raise TypeError
        shape = tuple(value)
    except TypeError:
        raise TypeError(
            f"{name} must be an int or a tuple of ints, got {value!r}."
        ) from None
    if not shape or not all(
        isinstance(d, numbers.Integral) and not isinstance(d, bool) and d > 0
        for d in shape
    ):
        raise ValueError(
            f"{name} must be a non-empty tuple of positive ints, got "
            f"{value!r}. Use the shape of ONE sample, e.g. X.shape[1:]."
        )
    return tuple(int(d) for d in shape)


def _input(input_shape, ndim: int) -> keras.KerasTensor:
    shape = _shape(input_shape, "input_shape")
    if len(shape) != ndim:
        raise ValueError(
            f"input_shape {shape} has {len(shape)} axes but this model needs "
            f"{ndim}: {_RESHAPE_HINTS[ndim]}. (input_shape never includes the "
            "samples axis.)"
        )
    return keras.Input(shape=shape)


def _output_shape(output_shape) -> tuple[int, ...]:
    """The target shape of one sample; ``()`` (a scalar target) means 1."""
    if isinstance(output_shape, tuple) and output_shape == ():
        return (1,)
    return _shape(output_shape, "output_shape")


def _dense_head(output_shape) -> list[layers.Layer]:
    """``Dense(prod(output_shape))``, reshaped when the target is 2-D."""
    shape = _output_shape(output_shape)
    head = [layers.Dense(math.prod(shape))]
    if len(shape) > 1:
        head.append(layers.Reshape(shape))
    return head


def _one_layer_units(units) -> int:
    """``units`` of a one-LSTM model: one positive int."""
    shape = _shape(units, "units")
    if len(shape) != 1:
        raise ValueError(
            f"units must be one int for this model (it has one LSTM layer), "
            f"got {units!r}. For several layers use lstmbook.stacked_lstm("
            f"..., units={shape})."
        )
    return shape[0]


def _activation(activation):
    """Refuse an activation Keras does not know, before building layers."""
    try:
        keras.activations.get(activation)
    except (ValueError, TypeError):
        raise ValueError(
            f"activation {activation!r} is not a Keras activation; use "
            "'tanh' (the default, and what the fast cuDNN kernel needs) or "
            "e.g. 'relu'."
        ) from None
    return activation


def _compiled(stack, name, optimizer, loss) -> keras.Sequential:
    try:
        keras.losses.get(loss)
    except (ValueError, TypeError):
        raise ValueError(
            f"loss {loss!r} is not a Keras loss; use e.g. loss='mse' or "
            "loss='mae', or a keras.losses.Loss object."
        ) from None
    model = keras.Sequential(stack, name=name)
    try:
        model.compile(optimizer=optimizer, loss=loss)
    except ValueError as err:
        raise ValueError(
            f"could not compile the model with optimizer={optimizer!r} "
            f"({err}). Pass an optimizer name such as 'adam' or 'sgd', or a "
            "keras.optimizers object such as keras.optimizers.Adam(1e-3)."
        ) from None
    return model


def vanilla_lstm(input_shape, output_shape=1, units=50, activation="tanh",
                 optimizer="adam", loss="mse"):
    """One LSTM layer and a dense output: the simplest forecaster.

    ``input_shape`` is ``(n_steps_in, n_features)``.

    Chapter: "Vanilla LSTM".
    """
    units = _one_layer_units(units)
    return _compiled(
        [_input(input_shape, 2),
         layers.LSTM(units, activation=_activation(activation))]
        + _dense_head(output_shape),
        "vanilla_lstm", optimizer, loss,
    )


def stacked_lstm(input_shape, output_shape=1, units=(50, 50),
                 activation="tanh", dropout=0.0, recurrent_dropout=0.0,
                 optimizer="adam", loss="mse", name="stacked_lstm"):
    """LSTM layers on top of each other, one per entry of ``units``.

    Every LSTM but the last has ``return_sequences=True`` so the next one
    receives a whole sequence. ``dropout > 0`` adds a ``Dropout`` layer after
    each LSTM (between layers); ``recurrent_dropout`` is passed into every
    LSTM (dropout on the recurrent state, inside the layer).

    Chapter: "Stacked LSTM".
    """
    units = _shape(units, "units")
    check_fraction(dropout, "dropout")
    check_fraction(recurrent_dropout, "recurrent_dropout")
    check_text(name, "name", "the model's name, e.g. 'stacked_lstm'")
    stack = [_input(input_shape, 2)]
    for i, n in enumerate(units):
        stack.append(layers.LSTM(
            n, activation=_activation(activation),
            return_sequences=i < len(units) - 1,
            recurrent_dropout=recurrent_dropout,
        ))
        if dropout:
            stack.append(layers.Dropout(dropout))
    return _compiled(stack + _dense_head(output_shape), name, optimizer,
                     loss)


def bidirectional_lstm(input_shape, output_shape=1, units=50,
                       activation="tanh", merge_mode="concat",
                       optimizer="adam", loss="mse"):
    """An LSTM that reads each window forwards and backwards.

    Only the window (the past) is read in both directions, so nothing from
    after the forecast origin leaks in.

    Chapter: "Bidirectional LSTM".
    """
    units = _one_layer_units(units)
    check_choice(merge_mode, ("concat", "sum", "mul", "ave", None),
                 "merge_mode")
    return _compiled(
        [_input(input_shape, 2),
         layers.Bidirectional(
             layers.LSTM(units, activation=_activation(activation)),
             merge_mode=merge_mode)]
        + _dense_head(output_shape),
        "bidirectional_lstm", optimizer, loss,
    )


def cnn_lstm(input_shape, output_shape=1, filters=64, kernel_size=1,
             pool_size=2, units=50, activation="tanh", optimizer="adam",
             loss="mse"):
    """A Conv1D reads each subsequence, an LSTM reads the readings.

    ``input_shape`` is ``(n_seq, n_steps, n_features)`` (see
    :func:`~lstmbook.windows.to_subsequences`). The convolution, pooling and flatten
    are wrapped in ``TimeDistributed`` so the same filters read every
    subsequence.

    Chapter: "CNN-LSTM".
    """
    inp = _input(input_shape, 3)
    units = _one_layer_units(units)
    check_steps(filters, "filters")
    check_steps(kernel_size, "kernel_size")
    check_steps(pool_size, "pool_size")
    n_steps = inp.shape[2]
    if n_steps - kernel_size + 1 < pool_size:
        raise ValueError(
            f"each subsequence has {n_steps} step(s); a kernel of "
            f"{kernel_size} leaves {n_steps - kernel_size + 1} reading(s), "
            f"fewer than pool_size={pool_size}. Use fewer, longer "
            "subsequences or a smaller kernel_size/pool_size."
        )
    return _compiled(
        [inp,
         layers.TimeDistributed(
             layers.Conv1D(filters, kernel_size, activation="relu")),
         layers.TimeDistributed(layers.MaxPooling1D(pool_size)),
         layers.TimeDistributed(layers.Flatten()),
         layers.LSTM(units, activation=_activation(activation))]
        + _dense_head(output_shape),
        "cnn_lstm", optimizer, loss,
    )


def conv_lstm(input_shape, output_shape=1, filters=64, kernel_size=(1, 2),
              activation="tanh", optimizer="adam", loss="mse"):
    """A ConvLSTM2D: the convolution sits inside the LSTM's gates.

    ``input_shape`` is ``(n_seq, rows, n_steps, n_features)``, for a series
    ``(n_seq, 1, n_steps, n_features)`` (see
    :func:`~lstmbook.windows.to_convlstm_input`).

    With the default ``padding="valid"`` the input convolution shrinks each
    frame (1 x 2 with kernel (1, 2) becomes 1 x 1), while Keras always pads
    the state-to-state convolution to the state's size, so part of the
    recurrent kernel only ever multiplies padding and never trains. The
    chapter shows this; it is harmless here, and a kernel no wider than the
    state avoids it.

    Chapter: "ConvLSTM".
    """
    inp = _input(input_shape, 4)
    check_steps(filters, "filters")
    kernel = _shape(kernel_size, "kernel_size")
    rows, cols = inp.shape[2], inp.shape[3]
    if len(kernel) != 2 or kernel[0] > rows or kernel[1] > cols:
        raise ValueError(
            f"kernel_size {kernel_size!r} must be (rows, columns) no larger "
            f"than one frame, which is ({rows}, {cols}) here. For a series "
            "the frame is 1 row of n_steps columns: input_shape "
            "(n_seq, 1, n_steps, n_features), as "
            "lstmbook.to_convlstm_input(X, n_seq) makes it, and kernel "
            "(1, k) with k <= n_steps."
        )
    return _compiled(
        [inp, layers.ConvLSTM2D(filters, kernel,
                                activation=_activation(activation)),
         layers.Flatten()]
        + _dense_head(output_shape),
        "conv_lstm", optimizer, loss,
    )


def vector_output_lstm(input_shape, output_shape, units=(100, 100),
                       activation="tanh", optimizer="adam", loss="mse"):
    """Multi-step forecasting in one shot: the head emits every step at once.

    A stacked LSTM whose ``Dense`` head has one unit per forecast value
    (``output_shape`` = ``n_steps_out`` or ``(n_steps_out, n_series)``).

    Chapter: "Vector output".
    """
    return stacked_lstm(input_shape, output_shape, units=units,
                        activation=activation, optimizer=optimizer, loss=loss,
                        name="vector_output_lstm")


def encoder_decoder_lstm(input_shape, output_shape, units=100,
                         activation="tanh", optimizer="adam", loss="mse"):
    """Sequence to sequence: an encoder LSTM, then a decoder LSTM.

    The encoder reads the window into one vector; ``RepeatVector`` hands that
    vector to the decoder once per output step; the decoder's sequence goes
    through a ``TimeDistributed(Dense)`` that emits each step's values.
    ``output_shape`` is ``n_steps_out`` (one series: the model outputs
    ``(n_steps_out,)``) or ``(n_steps_out, n_series)``. ``units`` is one int
    for both LSTMs or a pair ``(encoder, decoder)``.

    Chapter: "Encoder-decoder".
    """
    shape = _output_shape(output_shape)
    if len(shape) > 2:
        raise ValueError(
            f"output_shape {shape} has too many axes: use n_steps_out or "
            "(n_steps_out, n_series)."
        )
    units = _shape(units, "units")
    if len(units) == 1:
        units = units * 2
    if len(units) != 2:
        raise ValueError(
            f"units must be one int or (encoder, decoder), got {units}."
        )
    n_out, n_series = shape[0], (shape[1] if len(shape) == 2 else 1)
    stack = [
        _input(input_shape, 2),
        layers.LSTM(units[0], activation=_activation(activation)),
        layers.RepeatVector(n_out),
        layers.LSTM(units[1], activation=activation, return_sequences=True),
        layers.TimeDistributed(layers.Dense(n_series)),
    ]
    if len(shape) == 1:
        stack.append(layers.Reshape(shape))
    return _compiled(stack, "encoder_decoder_lstm", optimizer, loss)
