"""What every forecaster of the book shares: settings, windows, ensemble.

:class:`BaseForecaster` holds the rules for the settings both
:class:`~lstmbook.forecasting.LSTMForecaster` and
:class:`~lstmbook.panel.GlobalLSTMForecaster` take (checked once, here),
the per-window normalisation, the seed ensemble with warm starts, the
per-member forecast, and saving and loading
(:mod:`lstmbook.persistence`). A subclass adds how it turns its data into
windows and windows back into a forecast.

Chapter: "From toy to real" (the recipe's settings); "Your own data"
(saving and loading).
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd

from ._checks import (check_choice, check_flag, check_fraction,
                      check_optional_steps, check_positive, check_steps)
from .dates import future_index
from .ensemble import SeedEnsemble
from . import persistence

__all__ = ["BaseForecaster"]

NORMALIZE = (None, "last")


class BaseForecaster:
    """Settings, normalisation, ensemble and persistence for forecasters.

    Settings are checked when a forecaster is made: a wrong type or an
    impossible value raises ``TypeError``/``ValueError`` at once, with the
    same rules and words for every forecaster.

    Parameters
    ----------
    units : int
        LSTM units (per layer).
    epochs, batch_size, learning_rate : int, int or None, float
        Training settings for :func:`~lstmbook.training.fit` with the Adam
        optimiser (``batch_size=None``: all windows in one batch;
        ``learning_rate`` a positive number).
    normalize : ``"last"`` or None
        Subtract each window's last input value from its inputs and
        targets, so the model sees shapes, not levels.
    seeds : int or sequence of int
        One model per seed; the forecast is their average
        (:meth:`predict_members` gives each model's own).
    dropout : float
        Dropout after each LSTM layer, in ``[0, 1)``.
    warm_start : bool
        On a later ``fit`` (e.g. the next backtest fold), continue training
        the previous models for ``warm_epochs`` (default: a quarter of
        ``epochs``) instead of starting from new weights.
    """

    def _set_common(self, horizon, n_steps_in, units, epochs, batch_size,
                    learning_rate, normalize, seeds, dropout, warm_start,
                    warm_epochs):
        """Check and store the settings every forecaster takes."""
        self.horizon = check_steps(horizon, "horizon")
        self.n_steps_in = check_steps(n_steps_in, "n_steps_in")
        self.units = check_steps(units, "units")
        self.epochs = check_steps(epochs, "epochs")
        self.batch_size = check_optional_steps(batch_size, "batch_size")
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.normalize = check_choice(normalize, NORMALIZE, "normalize")
        self.ensemble_ = SeedEnsemble(seeds)
        self.seeds = self.ensemble_.seeds
        self.dropout = check_fraction(dropout, "dropout")
        self.warm_start = check_flag(warm_start, "warm_start")
        self.warm_epochs = (max(1, self.epochs // 4) if warm_epochs is None
                            else check_steps(warm_epochs, "warm_epochs"))

    # -- settings ---------------------------------------------------------------

    def get_params(self) -> dict:
        """The constructor's settings, by name (what :meth:`save` stores)."""
        names = inspect.signature(type(self)).parameters
        return {name: getattr(self, name) for name in names}

    #: The settings ``repr`` shows (subclasses name their main ones).
    _SHOWN = ("horizon", "n_steps_in", "units", "epochs", "seeds")
    #: Settings ``repr`` shows only when they are set (not None).
    _SHOWN_IF_SET = ()

    def __repr__(self):
        keys = list(self._SHOWN) + [k for k in self._SHOWN_IF_SET
                                    if getattr(self, k) is not None]
        shown = ", ".join(
            f"{k}={getattr(getattr(self, k), '__name__', getattr(self, k))!r}"
            for k in keys)
        return f"{type(self).__name__}({shown})"

    # -- the parts subclasses share -------------------------------------------

    def _normalized(self, X, y=None):
        """Subtract each window's last input value (``normalize='last'``).

        ``X`` is ``(windows, steps)`` or ``(windows, steps, columns)``; the
        target is the first column. Returns ``(X, y, last)`` with ``last``
        the target's offsets ``(windows, 1)`` to add back to a forecast.
        """
        if self.normalize != "last":
            return X, y, np.zeros((len(X), 1))
        last = X[:, -1:]
        target_last = last if X.ndim == 2 else last[:, :, 0]
        return X - last, None if y is None else y - target_last, target_last

    def _train(self, build, X, y):
        """Train the ensemble, warm if asked and possible."""
        warm = self.warm_epochs if self.warm_start else None
        return self.ensemble_.fit(build, X, y, self.epochs, self.batch_size,
                                  warm_epochs=warm)

    def _check_fitted(self):
        if not self.ensemble_.fitted:
            raise ValueError(
                f"this {type(self).__name__} is not fitted yet; call "
                ".fit(...) first."
            )

    @staticmethod
    def _future_rows(index, horizon):
        """The forecast's row labels: future dates, or steps 1..horizon."""
        if isinstance(index, pd.DatetimeIndex):
            return future_index(index, horizon)
        return pd.RangeIndex(1, horizon + 1, name="step")

    # -- public ---------------------------------------------------------------

    @property
    def models_(self):
        """The trained Keras models, one per seed (``None`` before fit)."""
        return self.ensemble_.models

    @property
    def histories_(self):
        """The Keras training histories, one per seed."""
        return self.ensemble_.histories

    @property
    def n_params(self) -> int:
        """Trainable parameters of one of the models."""
        self._check_fitted()
        return self.ensemble_.n_params

    def predict_members(self, history=None, **inputs) -> dict:
        """Each seed's model alone: ``{seed: forecast}``.

        The forecast of ``predict``, from one member of the ensemble at a
        time; their spread shows how much a forecast depends on the
        random start. ``history`` and ``inputs`` are as in ``predict``.

        Chapter: "From toy to real".
        """
        self._check_fitted()
        inputs = _route(self, inputs)[1]
        return {seed: self._forecast(history, self.ensemble_.members(seed),
                                     **inputs) for seed in self.seeds}

    def __call__(self, history, **inputs):
        """Fit on ``history`` and forecast: the backtest interface
        (``inputs``, e.g. ``future=``, go to ``fit`` and ``predict``)."""
        to_fit, to_predict = _route(self, inputs)
        return self.fit(history, **to_fit).predict(**to_predict)

    def save(self, path):
        """Save the fitted forecaster in the folder ``path``, atomically.

        The folder gets ``forecaster.json`` (the settings, the statistics
        and the end of the history a forecast starts from) and a
        subfolder of Keras files, one per seed model. Saving over an
        earlier save replaces it in one step: an interrupted save leaves
        the earlier forecaster intact (see :mod:`lstmbook.persistence`).
        Returns the folder as a ``pathlib.Path``.

        Chapter: "Your own data".
        """
        self._check_fitted()
        return persistence.save(self, path)

    @classmethod
    def load(cls, path):
        """Load a forecaster saved with :meth:`save` from the folder ``path``.

        Its ``predict()`` gives the same forecast as the saved one did, to
        the last bit; ``fit`` trains it anew.

        Chapter: "Your own data".
        """
        return persistence.load(cls, path)


def _route(forecaster, inputs):
    """``(to fit, to predict)``: the ``inputs`` (not None) each method has
    a parameter for; an input neither takes is refused."""
    given = {k: v for k, v in inputs.items() if v is not None}
    routes = [{k: v for k, v in given.items()
               if k in inspect.signature(method).parameters}
              for method in (forecaster.fit, forecaster.predict)]
    unknown = [k for k in given if not any(k in r for r in routes)]
    if unknown:
        raise TypeError(f"{type(forecaster).__name__} takes no input "
                        f"{unknown}.")
    return routes
