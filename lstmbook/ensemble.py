"""A seed ensemble: one model per seed, trained alike, forecasts averaged.

Two networks that differ only in their random initial weights give
different forecasts (chapter "Reproducibility and speed"); averaging a few
removes much of that noise. :class:`SeedEnsemble` holds the members, trains
them (from new weights, or warm: more epochs on the weights they have), and
runs any subset of them, so a forecaster can give the ensemble's forecast
and each member's own.

Chapter: "From toy to real" (the ``seeds`` of a forecaster).
"""

from __future__ import annotations

import math

import keras
import numpy as np

from ._checks import check_seeds
from ._keras import compiled_call, seed_dropout
from .training import fit, set_seed

__all__ = ["SeedEnsemble"]


class SeedEnsemble:
    """The models of one forecaster, one per seed.

    ``build()`` returns a new compiled model; :meth:`fit` calls it once per
    seed after :func:`~lstmbook.training.set_seed`, so member ``k`` always
    starts from the same weights.
    """

    def __init__(self, seeds):
        self.seeds = check_seeds(seeds)
        self.models = None
        self.histories = None

    @property
    def fitted(self) -> bool:
        return self.models is not None

    def fit(self, build, X, y, epochs, batch_size, warm_epochs=None):
        """Train every member on ``(X, y)``; returns the Keras histories.

        With ``warm_epochs`` and members already trained, each member
        trains that many more epochs from its current weights; otherwise
        each starts anew from ``build()``.
        """
        if warm_epochs is not None and self.fitted:
            self.histories = [
                fit(model, X, y, epochs=warm_epochs, batch_size=batch_size,
                    seed=seed)
                for seed, model in zip(self.seeds, self.models)]
            return self.histories
        self.models, self.histories = [], []
        for seed in self.seeds:
            set_seed(seed)
            model = build()
            self.histories.append(fit(model, X, y, epochs=epochs,
                                      batch_size=batch_size, seed=seed))
            self.models.append(model)
        return self.histories

    def members(self, seed=None) -> list:
        """All members, or the one trained with ``seed``."""
        if seed is None:
            return self.models
        if seed not in self.seeds:
            raise ValueError(
                f"no member was trained with seed {seed!r}; the seeds are "
                f"{self.seeds}."
            )
        return [self.models[self.seeds.index(seed)]]

    def predict(self, x, models=None, training=False) -> np.ndarray:
        """The mean output of ``models`` (default: all) on ``x``."""
        models = self.models if models is None else models
        outputs = [compiled_call(model, x, training=training)
                   for model in models]
        return np.mean(outputs, axis=0)

    def dropout_layers(self) -> list:
        """Each member's dropout layers (for Monte-Carlo dropout), also
        those inside a network nested in the model (direct's steps, the
        LSTM under a head of known inputs)."""
        layers = [[layer for layer in _nested(model)
                   if isinstance(layer, keras.layers.Dropout)]
                  for model in self.models]
        if not all(layers):
            raise ValueError(
                "Monte-Carlo dropout needs dropout layers, and these models "
                "have none. Build the forecaster with dropout, e.g. "
                "LSTMForecaster(..., architecture='vanilla', dropout=0.2)."
            )
        return layers

    def seed_dropout(self, seed: int) -> None:
        """Make member ``k``'s dropout draws start from ``seed + k``."""
        for k, layers in enumerate(self.dropout_layers()):
            for layer in layers:
                seed_dropout(layer, int(seed) + k)

    @property
    def n_params(self) -> int:
        """Trainable parameters of one member."""
        return int(sum(math.prod(w.shape)
                       for w in self.models[0].trainable_weights))

    def dtype(self) -> str:
        """The members' float type, e.g. ``"float64"``."""
        return self.models[0].layers[0].dtype


def _nested(model):
    """Every layer of ``model``, and of the models nested in it."""
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _nested(layer)
