"""The five multi-step strategies, under the names the literature uses.

A forecast of ``horizon`` steps can be made in five ways (Taieb et al.,
2012, name the first four; the fifth is the neural networks' own):

===========  ===============================================================
recursive    one one-step model; its forecast is fed back as the newest
             input, ``horizon`` times
direct       one model per horizon step, each trained for its own step
mimo         one model whose output is the whole horizon, a vector
             (multiple input, multiple output)
dirrec       one model per step, as direct; the model for step ``k`` also
             reads steps ``1 .. k-1``: the true values in training, the
             earlier models' forecasts when forecasting
seq2seq      an encoder LSTM reads the window, a decoder LSTM writes the
             horizon one step at a time (see :data:`DECODERS`)
===========  ===============================================================

Strategies that feed values back (dirrec, and seq2seq with an
autoregressive decoder) are trained with *teacher forcing*: the input
window is extended by the first ``horizon - 1`` true target values
(:meth:`Strategy.training_input`), and each output may read only the
values before its own step. A forecast then runs the model ``horizon``
times, writing each new forecast into the extension
(:meth:`Strategy.roll`).

``direct`` and ``dirrec`` are built as one Keras model holding
``horizon`` networks that share no weight: the loss is the mean of the
steps' errors, so each network's gradient comes from its own step alone,
and Adam (which rescales every weight's gradient) trains each as if it
were trained alone, in one ``fit`` instead of ``horizon``.

Chapter: "Forecasting the future" (the five strategies); "Encoder-decoder"
(the decoders and attention).
"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
from keras import layers

from ._checks import check_choice
from ._keras import subnetwork
from .known import KNOWN_STRATEGIES, known_inputs_lstm
from .models import encoder_decoder_lstm

__all__ = ["STRATEGIES", "DECODERS", "Strategy", "check_strategy",
           "seq2seq_lstm", "attention_weights"]

STRATEGIES = ("recursive", "direct", "mimo", "dirrec", "seq2seq")
#: The seq2seq decoders. ``"repeat"`` reads the encoder's summary at every
#: step (``RepeatVector``, no feedback), ``"autoregressive"`` the previous
#: step's value (teacher forcing), ``"attention"`` the previous value and
#: an additive attention over every encoder state.
DECODERS = ("repeat", "autoregressive", "attention")

# names used elsewhere (or by this book before) for the same strategies
_OLD_NAMES = {
    "vector": "mimo", "vector_output": "mimo", "vector-output": "mimo",
    "multi_output": "mimo", "multioutput": "mimo", "multiple_output": "mimo",
    "joint": "mimo", "iterated": "recursive", "iterative": "recursive",
    "dir_rec": "dirrec", "dir-rec": "dirrec",
    "encoder_decoder": "seq2seq", "encoder-decoder": "seq2seq",
    "sequence_to_sequence": "seq2seq", "s2s": "seq2seq",
}
# architectures that read (steps, features), so a network can read a
# window of any length (dirrec's networks read longer and longer ones)
_SEQUENCE_READERS = ("vanilla", "stacked", "bidirectional")


def check_strategy(strategy) -> str:
    """The strategy's name, or a ``ValueError`` that names the right one.

    ``"direct"`` means one model per step, as in the literature; until
    this version the book used it for what is now ``"mimo"``.
    """
    if isinstance(strategy, str) and strategy.lower() in _OLD_NAMES:
        new = _OLD_NAMES[strategy.lower()]
        raise ValueError(
            f"strategy={strategy!r} is called strategy={new!r} in lstmbook "
            f"(the literature's name); the strategies are {STRATEGIES}."
        )
    return check_choice(strategy, STRATEGIES, "strategy")


class Strategy:
    """How one forecaster turns windows into ``horizon`` forecast steps.

    ``decoder`` is for ``"seq2seq"`` only (default ``"autoregressive"``).
    """

    def __init__(self, name, horizon, architecture, decoder=None,
                 dropout=0.0, known=False):
        self.name = check_strategy(name)
        self.known = bool(known)
        if dropout and self.name == "seq2seq":
            raise ValueError(
                "strategy='seq2seq' builds its encoder and decoder without "
                "dropout; use dropout (and Monte-Carlo dropout) with "
                "strategy='mimo', 'recursive' or 'direct', or leave "
                "dropout=0."
            )
        self.horizon = horizon
        if decoder is not None and self.name != "seq2seq":
            raise ValueError(
                f"decoder={decoder!r} is a setting of strategy='seq2seq'; "
                f"strategy={self.name!r} has no decoder (leave decoder=None)."
            )
        self.decoder = (None if self.name != "seq2seq" else check_choice(
            "autoregressive" if decoder is None else decoder, DECODERS,
            "decoder"))
        refusal = (None if self._fits(architecture) else
                   _architecture_advice(self.name, architecture))
        refusal = refusal or (self.known and _known_refusal(
            self.name, self.decoder, architecture))
        if refusal:
            raise ValueError(refusal)

    def _fits(self, architecture) -> bool:
        """Whether this strategy can use ``architecture``."""
        if self.name == "seq2seq":
            return architecture == "vanilla"
        if callable(architecture):
            return True
        if architecture == "encoder_decoder":
            return self.name == "mimo"
        return self.name != "dirrec" or architecture in _SEQUENCE_READERS

    # -- what the training data looks like -----------------------------------

    @property
    def n_out(self) -> int:
        """The number of targets per training window (1 for recursive,
        else ``horizon``)."""
        return 1 if self.name == "recursive" else self.horizon

    @property
    def feeds_back(self) -> bool:
        """Whether forecasts are fed back as inputs (no extra columns)."""
        return self.name in ("recursive", "dirrec") or self.decoder in (
            "autoregressive", "attention")

    @property
    def teacher_forced(self) -> bool:
        """Whether the input window is extended by the true targets."""
        return self.feeds_back and self.name != "recursive"

    def training_input(self, X, y, future=None):
        """The model's input from windows ``X`` and targets ``y``.

        Teacher forcing: ``X`` ``(n, steps, 1)`` followed by ``y``'s first
        ``horizon - 1`` values, ``(n, steps + horizon - 1, 1)``. With known
        inputs, ``future`` holds one row per step ``(n, n_out, cols)`` (see
        :mod:`lstmbook.known`); a teacher-forced model's row ``k`` also
        holds, in the target column, the value before step ``k``.
        """
        if future is None:
            if not self.teacher_forced:
                return X
            return np.concatenate([X, y[:, :-1, np.newaxis]], axis=1)
        rows = future.copy()
        if self.teacher_forced:
            rows[:, :, 0] = np.concatenate([X[:, -1:, 0], y[:, :-1]], axis=1)
        return np.concatenate([X, rows], axis=1)

    # -- the network ----------------------------------------------------------

    def build(self, build_one, input_shape, units, learning_rate):
        """A compiled model for this strategy.

        ``build_one(input_shape, n_out)`` builds the forecaster's
        architecture (used as is by recursive and mimo, once per step by
        direct and dirrec).
        """
        if self.name in ("recursive", "mimo"):
            if self.known:
                return known_inputs_lstm(build_one, input_shape, self.n_out,
                                         learning_rate)
            return build_one(input_shape, self.n_out)
        if self.name == "seq2seq":
            return seq2seq_lstm(input_shape, self.horizon, units,
                                self.decoder, learning_rate, self.known)
        n_in = input_shape[0] - (self.horizon - 1) * self.teacher_forced
        inputs = keras.Input(shape=input_shape)
        steps = []
        for k in range(self.horizon):
            x = inputs
            if self.name == "dirrec":  # the window and steps 1..k-1
                x = layers.Cropping1D((0, self.horizon - 1 - k))(x)
            shape = (n_in + k * (self.name == "dirrec"), *input_shape[1:])
            step = subnetwork(build_one(shape, 1), shape, f"step_{k + 1}")
            steps.append(step(x))
        model = keras.Model(inputs, layers.Concatenate()(steps),
                            name=f"{self.name}_lstm")
        model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                      loss="mse")
        return model

    # -- forecasting ----------------------------------------------------------

    def roll(self, encode, predict, decode, windows, future=None):
        """``horizon`` forecast steps from windows ``(n, steps, cols)`` of
        the modelled series: ``(n, horizon)``.

        ``encode(windows)`` gives the model's input and the offsets to add
        back, ``predict(x)`` runs the model(s), ``decode(out, offsets)``
        undoes the scaling. One pass for direct, mimo and the repeat
        decoder; ``horizon`` passes when forecasts are fed back. The
        recursive strategy re-encodes each shifted window (its newest value
        is a forecast); teacher-forced models write each forecast into the
        extension of the encoded window.

        With known inputs, ``future`` holds the raw rows of the ``horizon``
        steps ``(n, horizon, cols)`` and ``encode(windows, rows)`` appends
        them to the model input.
        """
        if self.name == "recursive":
            steps = []
            for k in range(self.horizon):
                rows = None if future is None else future[:, k:k + 1]
                x, offsets = encode(windows, rows)
                steps.append(decode(predict(x), offsets))
                new = (np.zeros((len(windows), 1, 1)) if rows is None
                       else rows.copy())
                new[:, 0, 0] = steps[-1][:, 0]  # the forecast, as a value
                windows = np.concatenate([windows[:, 1:], new], axis=1)
            return np.hstack(steps)
        x, offsets = encode(windows, future)
        if not self.teacher_forced:
            return decode(predict(x), offsets)
        n_in = windows.shape[1]
        if future is None:  # rows n_in.. will hold steps 1..horizon-1
            x = np.concatenate([x, np.zeros((len(x), self.horizon - 1, 1))],
                               axis=1)
        else:  # row n_in holds the window's last value, then steps 1..
            x[:, n_in, 0] = x[:, n_in - 1, 0]
            n_in += 1
        for k in range(self.horizon):  # output k reads inputs < n_in + k
            out = predict(x).reshape(len(x), -1)
            if k < self.horizon - 1:
                x[:, n_in + k, 0] = out[:, k]
        return decode(out, offsets)


def _architecture_advice(name, architecture) -> str:
    """Why strategy ``name`` cannot use ``architecture``, and what to do."""
    if architecture == "encoder_decoder":
        return ("architecture='encoder_decoder' (the RepeatVector "
                "encoder-decoder) outputs the whole horizon at once: use "
                "it with strategy='mimo', or use strategy='seq2seq' with "
                "decoder='repeat', 'autoregressive' or 'attention'.")
    if name == "seq2seq":
        return ("strategy='seq2seq' builds its own encoder and decoder "
                "LSTMs; leave architecture='vanilla' and choose the "
                "decoder with decoder=.")
    return (f"strategy='dirrec' reads windows that grow by one step per "
            f"horizon step, which only {_SEQUENCE_READERS} can read; "
            f"architecture={architecture!r} works with 'direct' or "
            "'mimo'.")


def _known_refusal(name, decoder, architecture):
    """Why strategy ``name`` cannot read known inputs (``None``: it can)."""
    if name not in KNOWN_STRATEGIES or decoder == "repeat":
        return (f"strategy={name!r}"
                + (" with decoder='repeat'" if decoder else "")
                + " cannot read inputs known in advance; use strategy="
                "'mimo', 'recursive' or 'seq2seq' (decoder 'autoregressive' "
                "or 'attention').")
    if architecture in ("cnn_lstm", "conv_lstm"):
        return (f"architecture={architecture!r} reshapes its window into "
                "subsequences and cannot read known future inputs; use "
                "'vanilla', 'stacked' or 'bidirectional'.")
    return None


def seq2seq_lstm(input_shape, horizon, units=32, decoder="autoregressive",
                 learning_rate=1e-3, known=False):
    """An encoder-decoder that writes ``horizon`` steps, one per decoder step.

    The encoder LSTM reads the window; its final state starts the decoder
    LSTM. What the decoder reads at each step depends on ``decoder``:

    * ``"repeat"``: the encoder's final output, repeated (``RepeatVector``):
      :func:`~lstmbook.models.encoder_decoder_lstm`, the model of
      ``architecture="encoder_decoder"``; the input is the window;
    * ``"autoregressive"``: the previous step's value (the window's last
      value for the first step). The input is the window followed by the
      first ``horizon - 1`` targets (teacher forcing), ``(steps + horizon -
      1, 1)``; the decoder's output at step ``k`` reads no later value;
    * ``"attention"``: as autoregressive, and each decoder step also reads
      a weighted mean of all the encoder's states (``AdditiveAttention``,
      Bahdanau et al. 2015); :func:`attention_weights` shows the weights.

    With ``known=True`` the input is ``(steps + horizon, cols)``: the
    window, then one row per forecast step holding the value before that
    step (the target column) and the step's known inputs
    (:mod:`lstmbook.known`); decoder step ``k`` reads row ``k``.

    Returns a compiled functional ``keras.Model`` (MSE, Adam) whose output
    is ``(horizon,)``.

    Chapter: "Encoder-decoder".
    """
    decoder = check_choice(decoder, DECODERS, "decoder")
    if decoder == "repeat":
        return encoder_decoder_lstm(
            input_shape, horizon, units,
            optimizer=keras.optimizers.Adam(learning_rate))
    inputs = keras.Input(shape=input_shape, name="inputs")
    # the window, then the decoder's inputs from the window's last value on
    window = layers.Cropping1D((0, horizon - 1 + bool(known)),
                               name="window")(inputs)
    fed = layers.Cropping1D((input_shape[0] - horizon, 0),
                            name="decoder_inputs")(inputs)
    encoder = layers.LSTM(units, return_sequences=decoder == "attention",
                          return_state=True, name="encoder")
    states, state_h, state_c = encoder(window)
    decoded = layers.LSTM(units, return_sequences=True, name="decoder")(
        fed, initial_state=[state_h, state_c])
    if decoder == "attention":
        context = layers.AdditiveAttention(name="attention")(
            [decoded, states])
        decoded = layers.Concatenate()([decoded, context])
    out = layers.TimeDistributed(layers.Dense(1), name="output")(decoded)
    model = keras.Model(inputs, layers.Flatten(name="forecast")(out),
                        name=f"seq2seq_{decoder}_lstm")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model


def attention_weights(forecaster, history=None, future=None) -> pd.DataFrame:
    """Where a seq2seq forecaster with attention looked, step by step.

    For the forecast of ``forecaster.predict(history)`` (an
    :class:`~lstmbook.forecasting.LSTMForecaster` with
    ``strategy="seq2seq", decoder="attention"``): one row per forecast
    step, one column per step of the input window (its dates when the
    history has dates), each row the weights that decoder step gave the
    window's steps (they sum to 1; with several seeds, the members' mean).
    ``future`` is as in ``predict``, for a forecaster with known inputs.

    Additive attention scores decoder state ``q_k`` against encoder state
    ``s_j`` as ``sum(w * tanh(q_k + s_j))`` and turns each step's scores
    into weights with a softmax; the context it adds to step ``k`` is
    ``sum_j weight_kj * s_j``.

    Chapter: "Encoder-decoder".
    """
    if getattr(getattr(forecaster, "strategy_", None), "decoder",
               None) != "attention":
        raise ValueError(
            "attention_weights needs an LSTMForecaster built with "
            "strategy='seq2seq', decoder='attention'."
        )
    table, index, z = forecaster._history(history)
    filled = []  # the model input of the last pass: every forecast fed in
    forecaster.strategy_.roll(
        forecaster._model_input,
        lambda x: filled.append(x.copy()) or forecaster.ensemble_.predict(x),
        forecaster._model_output, z[np.newaxis, -forecaster.n_steps_in:],
        forecaster._known_rows(future, index, table.shape[1]))
    weights = np.mean([_weights(m, filled[-1])[0] for m in forecaster.models_],
                      axis=0)
    window = (index[-forecaster.n_steps_in:] if index is not None else
              pd.RangeIndex(1 - forecaster.n_steps_in, 1, name="step"))
    return pd.DataFrame(weights, columns=window,
                        index=forecaster._future_rows(index,
                                                      forecaster.horizon))


def _weights(model, x) -> np.ndarray:
    """The attention layer's weights on model inputs ``x``: ``(n, horizon,
    window)``, recomputed from its queries and keys."""
    layer = model.get_layer("attention")
    decoded, states = layer.input
    q, s = (keras.ops.convert_to_numpy(t).astype("float64") for t in
            keras.Model(model.inputs[0], [decoded, states])(x))
    w = keras.ops.convert_to_numpy(layer.scale) if layer.use_scale else 1.0
    scores = np.sum(w * np.tanh(q[:, :, None, :] + s[:, None, :, :]), -1)
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return scores / scores.sum(axis=-1, keepdims=True)
