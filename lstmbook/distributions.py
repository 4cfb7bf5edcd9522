"""Forecasts as distributions: networks that output quantiles or a density.

A point LSTM ends in one output per forecast step and is trained on the
squared error, so it learns the mean and says nothing about the spread. A
*distribution head* ends in several outputs per step and is trained on a
loss that scores a whole forecast distribution:

* ``"quantile"``: one output per quantile level (by default 2.5, 10, 50,
  90 and 97.5%, the median and the bounds of the 80% and 95% intervals),
  trained on the pinball loss, the loss whose minimum is the quantile.
  The quantiles cannot cross: the network outputs the median and, for each
  neighbour outwards, a gap made positive by ``softplus``; the quantiles
  are the median plus or minus the running sums of the gaps.
* ``"normal"``: a location and a scale per step (the scale through
  ``softplus``, so it is positive), trained on the Gaussian negative
  log-likelihood.
* ``"student_t"``: also the degrees of freedom (above 2, so the variance
  exists), for errors with heavier tails than the normal's.

:class:`~lstmbook.forecasting.LSTMForecaster` takes the head as
``distribution=`` with ``strategy="mimo"`` (every step's distribution at
once) or, for the normal and Student-t heads, ``strategy="recursive"``: a
one-step distribution that is sampled, and the sample fed back as the next
input, so each draw is one possible path, as DeepAR does (Salinas et al.,
2020). :func:`~lstmbook.uncertainty.distribution_forecast` turns either
into a median and intervals. The distribution is learnt for the modelled
series (after the transforms and scaling); sample paths are transformed
back path by path, and the quantile head's quantiles level by level, which
is exact when each step's inverse transform is increasing (the scaling,
the log, a seasonal difference over a horizon no longer than the season).

Chapter: "Forecasts as distributions".
"""

from __future__ import annotations

import numbers

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from ._checks import check_choice
from ._keras import subnetwork

__all__ = ["DISTRIBUTIONS", "QUANTILES", "Head", "DistributionLayer",
           "DistributionLoss"]

#: The heads :class:`~lstmbook.forecasting.LSTMForecaster` can end in.
DISTRIBUTIONS = ("quantile", "normal", "student_t")
#: The quantile head's default levels, the median and the bounds of the
#: 80% and 95% intervals.
QUANTILES = (0.025, 0.1, 0.5, 0.9, 0.975)
_MIN_SCALE = 1e-3  # in scaled units: keeps the likelihood finite


def check_quantiles(quantiles) -> tuple[float, ...]:
    """Quantile levels: increasing fractions in (0, 1) that include 0.5."""
    if isinstance(quantiles, (str, bytes, numbers.Real)):
        raise TypeError(
            "quantiles must be a sequence of levels such as "
            f"(0.1, 0.5, 0.9), got {quantiles!r}."
        )
    try:
        values = tuple(quantiles)
    except TypeError:
        raise TypeError(
            "quantiles must be a sequence of levels such as "
            f"(0.1, 0.5, 0.9), got {quantiles!r}."
        ) from None
    for q in values:
        if isinstance(q, (bool, np.bool_)) or not isinstance(
                q, numbers.Real) or not 0 < q < 1:
            raise ValueError(
                f"each quantile level is a fraction between 0 and 1, got "
                f"{q!r}; for the 90% quantile pass 0.9."
            )
    if list(values) != sorted(set(values)):
        raise ValueError(
            f"quantiles must increase with no repeats, got {values}."
        )
    if 0.5 not in values:
        raise ValueError(
            f"quantiles must include the median, 0.5 (the head forecasts "
            f"it and the gaps around it), got {values}."
        )
    return tuple(float(q) for q in values)


def _n_params(distribution, quantiles) -> int:
    """Outputs per step: one per quantile level, or the distribution's
    parameters (location and scale; a Student-t's degrees of freedom)."""
    if distribution == "quantile":
        return len(quantiles)
    return 2 + (distribution == "student_t")


@keras.saving.register_keras_serializable(package="lstmbook")
class DistributionLayer(layers.Layer):
    """Raw network outputs ``(n, steps * k)`` to parameters ``(n, steps, k)``.

    Quantile head: non-crossing quantiles (median, plus or minus running
    sums of softplus gaps). Normal: location and scale. Student-t:
    location, scale and degrees of freedom.
    """

    def __init__(self, distribution, steps, quantiles=None, **kwargs):
        super().__init__(**kwargs)
        self.distribution, self.steps = distribution, int(steps)
        self.quantiles = None if quantiles is None else list(quantiles)
        self.k = _n_params(distribution, self.quantiles)

    def call(self, raw):
        raw = ops.reshape(raw, (-1, self.steps, self.k))
        if self.distribution == "quantile":
            m = self.quantiles.index(0.5)
            mid = raw[..., m:m + 1]
            parts = [mid]
            if m + 1 < self.k:  # upwards: the median plus running gaps
                parts.append(mid + ops.cumsum(ops.softplus(raw[..., m + 1:]),
                                              axis=-1))
            if m > 0:  # downwards, from the median to the lowest level
                gaps = ops.cumsum(ops.softplus(ops.flip(raw[..., :m], -1)),
                                  axis=-1)
                parts.insert(0, mid - ops.flip(gaps, -1))
            return ops.concatenate(parts, axis=-1)
        scale = ops.softplus(raw[..., 1:2]) + _MIN_SCALE
        parts = [raw[..., :1], scale]
        if self.distribution == "student_t":
            parts.append(2.0 + ops.softplus(raw[..., 2:3]))
        return ops.concatenate(parts, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.steps, self.k)

    def get_config(self):
        return {**super().get_config(), "distribution": self.distribution,
                "steps": self.steps, "quantiles": self.quantiles}


@keras.saving.register_keras_serializable(package="lstmbook")
class DistributionLoss(keras.losses.Loss):
    """The head's training loss, per sample and step.

    Quantile head: the pinball loss averaged over the levels. Normal and
    Student-t: the negative log-likelihood of the target. The targets come
    copied to the output's shape ``(n, steps, k)``; the first copy is read.
    """

    def __init__(self, distribution, quantiles=None,
                 name="distribution_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.distribution = distribution
        self.quantiles = None if quantiles is None else list(quantiles)

    def call(self, y_true, y_pred):
        y = ops.cast(y_true[..., :1], y_pred.dtype)
        if self.distribution == "quantile":
            q = ops.cast(ops.convert_to_tensor(self.quantiles), y_pred.dtype)
            error = y - y_pred
            return ops.mean(ops.maximum(q * error, (q - 1.0) * error),
                            axis=-1)
        loc, scale = y_pred[..., 0], y_pred[..., 1]
        z = (y[..., 0] - loc) / scale
        if self.distribution == "normal":
            return ops.log(scale) + 0.5 * z ** 2 + 0.5 * np.log(2 * np.pi)
        dof = y_pred[..., 2]
        return (ops.log(scale) + 0.5 * ops.log(dof * np.pi)
                + tf.math.lgamma(dof / 2) - tf.math.lgamma((dof + 1) / 2)
                + (dof + 1) / 2 * ops.log1p(z ** 2 / dof))

    def get_config(self):
        return {**super().get_config(), "distribution": self.distribution,
                "quantiles": self.quantiles}


class Head:
    """The distribution a forecaster's networks end in, and its checks.

    Built by :class:`~lstmbook.forecasting.LSTMForecaster` from its
    ``distribution`` and ``quantiles`` settings; refuses a strategy,
    architecture or known inputs it cannot work with.
    """

    def __init__(self, distribution, quantiles, strategy, architecture,
                 known):
        self.distribution = check_choice(distribution, DISTRIBUTIONS,
                                         "distribution")
        if quantiles is not None and distribution != "quantile":
            raise ValueError(
                "quantiles= sets the levels of distribution='quantile'; the "
                f"{distribution} head gives any quantile from its samples "
                "(leave quantiles=None)."
            )
        self.quantiles = (check_quantiles(QUANTILES if quantiles is None
                                          else quantiles)
                          if distribution == "quantile" else None)
        refusal = _refusal(distribution, strategy, architecture, known)
        if refusal:
            raise ValueError(refusal)
        self.k = _n_params(self.distribution, self.quantiles)

    @property
    def samples(self) -> bool:
        """Whether forecasts are drawn (normal, Student-t) rather than read
        off as quantiles."""
        return self.distribution != "quantile"

    def wrap(self, net, input_shape, steps, learning_rate):
        """``net`` (``steps * k`` raw outputs) under the head, compiled."""
        inputs = keras.Input(shape=input_shape)
        raw = subnetwork(net, input_shape, "network")(inputs)
        outputs = DistributionLayer(self.distribution, steps,
                                    self.quantiles)(raw)
        model = keras.Model(inputs, outputs, name=f"{self.distribution}_lstm")
        model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                      loss=DistributionLoss(self.distribution,
                                            self.quantiles))
        return model

    def targets(self, y):
        """Targets ``(n, steps)`` copied to the output's shape."""
        return np.repeat(y[..., np.newaxis], self.k, axis=-1)

    def level_index(self, level) -> int:
        """The position of quantile ``level`` among the head's levels."""
        found = np.flatnonzero(np.isclose(self.quantiles, level))
        if not len(found):
            raise ValueError(
                f"this quantile head was trained for the levels "
                f"{self.quantiles}, not {level!r}; refit with quantiles= "
                "including it, or ask for interval levels whose bounds "
                "are among them."
            )
        return int(found[0])

    def values(self, params, draw=None):
        """One value per step from parameters ``(n, steps, k)``.

        ``draw=None``: the location (the quantile head's median); a quantile
        level: that quantile (quantile head); a ``numpy`` random
        generator: a random draw from each step's distribution.
        """
        params = np.asarray(params)
        if draw is None:
            return params[..., self.quantiles.index(0.5) if self.quantiles
                          else 0]
        if not isinstance(draw, np.random.Generator):
            return params[..., self.level_index(draw)]
        loc, scale = params[..., 0], params[..., 1]
        if self.distribution == "normal":
            return loc + scale * draw.standard_normal(loc.shape)
        return loc + scale * draw.standard_t(params[..., 2])


def _refusal(distribution, strategy, architecture, known):
    """Why a head cannot be used this way, and what to do; or ``None``."""
    if known:
        return ("a distribution head reads no inputs known in advance yet; "
                "use known= with a point forecaster and conformal intervals "
                "(lb.conformal_intervals), or leave known=None.")
    if architecture == "encoder_decoder":
        return ("a distribution head needs an architecture with a flat "
                "output, not 'encoder_decoder' (its decoder outputs one value "
                "per step); use 'vanilla', 'stacked' or 'bidirectional'.")
    if strategy.name == "recursive" and distribution == "quantile":
        return ("distribution='quantile' forecasts every step at once "
                "(strategy='mimo'); a recursive forecaster must feed back a "
                "value, so use distribution='normal' or 'student_t', whose "
                "sample paths feed back draws.")
    if strategy.name not in ("mimo", "recursive"):
        return (f"a distribution head works with strategy='mimo' or "
                f"'recursive', not {strategy.name!r}.")
    return None
