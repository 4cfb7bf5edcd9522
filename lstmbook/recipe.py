"""The book's recipe for one series: validated, combined, safeguarded.

One LSTM setting tuned on one series' past is a bet: on a series nobody
tuned it for it can lose to repeating last year. :class:`RobustForecaster`
makes four habits of good forecasters automatic, each on the history it is
given and nothing else:

1. **Validation on several origins.** The last ``n_origins`` forecast
   origins of the history (``step`` apart, the last fold ending at its
   end) score every candidate on data it did not train on.
2. **Several LSTM settings, the best few averaged.** Two forms, each with
   an input window of one and of two seasons: the *hybrid* (the series
   divided by its classical seasonal indices, logged when positive, and
   every window levelled by its last value, as in Smyl's ES-RNN and
   Hewamalage et al. 2021) and the *seasonal difference* (the change from
   a season ago). The ``top_k`` settings with the lowest validation error
   are refitted and their forecasts averaged, rather than betting on one.
3. **A combination with exponential smoothing and Theta.** statsforecast's
   AutoETS and AutoTheta are validated on the same folds; the forecast is
   the average of the components, each weighted by the inverse of its
   validation error (the M competitions' lesson: combinations are hard to
   beat).
4. **A safeguard.** The LSTM enters the combination only if it beats the
   seasonal naive forecast on validation; otherwise it gets no weight and
   a :class:`RecipeWarning` says so. If no component beats seasonal
   naive, seasonal naive joins the combination (weighted like the
   others) and a warning says that too: a forecast that may be far worse
   than repeating last season never comes without one.

``report_`` shows every candidate's validation error, which were chosen,
their weights and why.

Chapter: "A recipe you can trust".
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from ._checks import (check_choice, check_dates, check_steps, history_1d)
from .baselines import seasonal_naive_forecast
from .base import BaseForecaster
from .forecasting import LSTMForecaster
from .metrics import mae, naive_scale
from .splits import rolling_origins

__all__ = ["RobustForecaster", "RecipeWarning", "ValidationFolds",
           "candidates", "lstm_settings", "classical_forecast",
           "inverse_error_weights", "CLASSICAL"]

#: Classical models the recipe can combine with the LSTM (statsforecast).
CLASSICAL = ("AutoETS", "AutoTheta", "AutoARIMA")
BASELINE = "seasonal naive"
LSTM = "LSTM"


class RecipeWarning(UserWarning):
    """The recipe left the LSTM out, or no model beat seasonal naive.

    Chapter: "A recipe you can trust".
    """


def lstm_settings(y, horizon, season, windows=None):
    """The LSTM settings the recipe validates, by name.

    Two forms for each input window (default one and two seasons, or one
    and two horizons when ``season`` is 1): ``hybrid`` (seasonal
    adjustment, log when every value is positive, windows levelled by
    their last value) and ``seasonal difference`` (no log, no levelling).
    The adjustment is skipped for a series with negative values.

    Chapter: "A recipe you can trust".
    """
    if windows is None:
        base = season if season > 1 else max(horizon, 4)
        windows = (base, 2 * base)
    positive = bool(np.all(y > 0))
    settings = {}
    for window in windows:
        settings[f"hybrid, window {window}"] = dict(
            n_steps_in=window, log=positive, normalize="last",
            deseasonalize=season if season > 1 and np.all(y >= 0) else None)
        settings[f"seasonal difference, window {window}"] = dict(
            n_steps_in=window, season_diff=season, normalize=None)
    return settings


def classical_forecast(name, y, horizon, season):
    """statsforecast's ``AutoETS``/``AutoTheta``/``AutoARIMA`` forecast of
    the values ``y``: an array of ``horizon`` values.

    Chapter: "A recipe you can trust".
    """
    try:
        from statsforecast import models
    except ImportError as err:  # pragma: no cover - depends on environment
        raise ImportError(
            "the recipe combines the LSTM with statsforecast's models; "
            "install them with `pip install statsforecast` (or "
            "`pip install 'lstmbook[classical]'`)."
        ) from err
    model = getattr(models, check_choice(name, CLASSICAL, "classical"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = model(season_length=season).forecast(
            y=np.asarray(y, dtype="float64"), h=horizon)
    return np.asarray(out["mean"], dtype="float64")


def candidates(settings, horizon, season, classical, lstm):
    """Every candidate of the recipe: name -> function(history values) ->
    forecast array. Seasonal naive, the ``classical`` models, and an
    ``LSTMForecaster`` per entry of ``settings`` with the keyword
    arguments ``lstm``; its batch size grows with the history (at most 8
    batches an epoch, at least 32 windows a batch).

    Chapter: "A recipe you can trust".
    """
    def lstm_forecast(values, kwargs):
        n_windows = max(1, len(values) - kwargs["n_steps_in"] - horizon)
        model = LSTMForecaster(horizon, batch_size=max(
            32, math.ceil(n_windows / 8)), **kwargs, **lstm)
        return np.asarray(model.fit(values).predict())

    out = {BASELINE: lambda v: np.asarray(
        seasonal_naive_forecast(v, horizon, season), dtype="float64")}
    for name in classical:
        out[name] = lambda v, name=name: classical_forecast(
            name, v, horizon, season)
    for name, kwargs in settings.items():
        out[name] = lambda v, kwargs=kwargs: lstm_forecast(v, kwargs)
    return out


def inverse_error_weights(scores):
    """Weights ``1 / score``, summing to 1, of finite positive scores.

    Chapter: "A recipe you can trust".
    """
    scores = pd.Series(scores, dtype="float64")
    if scores.empty or not np.all(np.isfinite(scores)):
        raise ValueError(f"weights need finite scores, got {dict(scores)}.")
    inverse = 1.0 / scores.clip(lower=1e-12)
    return inverse / inverse.sum()


class ValidationFolds:
    """Every candidate's forecasts from the last origins of one history,
    and their MASE.

    The origins are the last ``n_origins``, ``step`` apart, the last fold
    ending with the history; origins that would leave fewer than two
    seasons (and 8 values) to train on are dropped. A candidate that
    fails on a fold (too short for its window, say) is dropped, with its
    reason in ``failed``. MASE is scaled by the whole history's in-sample
    seasonal naive error, one scale for every fold.

    Chapter: "A recipe you can trust".
    """

    def __init__(self, y, horizon, season, n_origins, step):
        self.horizon = horizon
        self.scale = naive_scale(y, season)
        least = max(2 * season, 8)
        k = n_origins
        while k and (len(y) - horizon - (k - 1) * step) < least:
            k -= 1
        self.origins = (rolling_origins(len(y), horizon, k, step) if k
                        else np.array([], dtype=int))
        self.actuals = [y[t:t + horizon] for t in self.origins]
        self.forecasts, self.failed = {}, {}

    def run(self, y, candidates):
        """Forecast with every candidate (name -> function of a history)
        from every origin. Returns ``self``."""
        self.forecasts = {name: [] for name in candidates}
        for t in self.origins:
            for name, forecast in candidates.items():
                if name in self.failed:
                    continue
                try:
                    f = forecast(y[:t])
                    if f.shape != (self.horizon,) or \
                            not np.all(np.isfinite(f)):
                        raise ValueError("its forecast is not finite")
                except ValueError as err:
                    self.failed[name] = str(err).split(" (")[0]
                    continue
                self.forecasts[name].append(f)
        return self

    def _mase(self, forecast, actual):
        return mae(actual, forecast) / self.scale

    def score(self, forecasts):
        """Mean MASE over the folds of one forecast per fold."""
        return float(np.mean([self._mase(f, a) for f, a in
                              zip(forecasts, self.actuals)]))

    def table(self):
        """Each candidate's MASE per fold: rows origins, columns names."""
        return pd.DataFrame(
            {name: [self._mase(f, a) for f, a in zip(fs, self.actuals)]
             for name, fs in self.forecasts.items()
             if name not in self.failed},
            index=pd.Index(self.origins, name="origin"))


class RecipeReport:
    """How :class:`RobustForecaster` explains its choices: ``report_``
    and the :class:`RecipeWarning` s.

    Chapter: "A recipe you can trust".
    """

    def _report(self, val, scores):
        """One row per candidate: validation MASE, weight and why."""
        folds = len(self._folds.origins)
        rows, ranked = [], list(val.reindex(list(self.settings_))
                                .dropna().sort_values().index)
        for name in self.settings_:
            if name in self._folds.failed:
                note = f"not validated: {self._folds.failed[name]}"
            elif name in self.chosen_:
                note = f"one of the best {self.top_k}: averaged into {LSTM}"
            elif folds < 2:
                note = "too few validation folds to choose an LSTM"
            else:
                note = f"rank {ranked.index(name) + 1} of {len(ranked)}"
            rows.append((name, "LSTM setting", val.get(name, np.nan), np.nan,
                         note))
        reference = val.get(BASELINE, np.nan)
        for name in [LSTM, *self.classical]:
            if name == LSTM and not self.chosen_:
                continue
            weight = float(self.weights_.get(name, 0.0))
            score = scores.get(name, np.nan)
            if name in self._folds.failed:
                note = f"not validated: {self._folds.failed[name]}"
            elif folds < 2:
                note = "too few validation folds: equal weights"
            elif weight == 0:
                note = f"does not beat {BASELINE} on validation: left out"
            else:
                note = "weight proportional to 1 / MASE" + (
                    "" if score < reference else
                    f" (does not beat {BASELINE})")
            rows.append((name, "component", score, weight, note))
        hedge = BASELINE in self.weights_ and folds >= 2
        rows.append((BASELINE, "reference", reference,
                     float(self.weights_.get(BASELINE, 0.0)),
                     "no component beats it: it joins the combination"
                     if hedge else f"the reference the {LSTM} must beat"))
        if folds:
            combined = sum(w * np.asarray(self._folds.forecasts[n])
                           for n, w in self.weights_.items())
            rows.append(("combination", "forecast", self._folds.score(combined),
                         1.0, "weights chosen on these folds: the score "
                         "flatters it"))
        return pd.DataFrame(rows, columns=["candidate", "kind",
                                           "validation MASE", "weight",
                                           "note"]).set_index("candidate")

    def _warn(self, scores, val):
        if LSTM in scores and LSTM not in self.weights_:
            warnings.warn(
                f"the LSTM does not beat {BASELINE} on the validation folds "
                f"(MASE {scores[LSTM]:.3f} against {val[BASELINE]:.3f}); "
                "the forecast leaves it out. See report_.",
                RecipeWarning, stacklevel=4)
        if BASELINE in self.weights_ and BASELINE in val.index:
            warnings.warn(
                f"no model beats {BASELINE} on the validation folds of this "
                f"series ({BASELINE} MASE {val[BASELINE]:.3f}), so it joins "
                "the combination; the forecast may be little better than "
                "repeating the last season. See report_.",
                RecipeWarning, stacklevel=4)


class RobustForecaster(RecipeReport):
    """Forecast one series with validated LSTMs combined with AutoETS and
    AutoTheta, the LSTM only where it beats seasonal naive on validation.

    Once fitted it holds ``report_`` (one row per candidate: validation
    MASE, weight, why), ``weights_`` (the components' weights),
    ``validation_`` (each candidate's MASE per fold), ``settings_`` (the
    LSTM settings validated), ``chosen_`` (those averaged),
    ``components_`` and ``lstm_members_`` (their forecasts).

    Parameters
    ----------
    horizon : int
        Steps to forecast.
    season : int
        The season length (12 for monthly data, 4 for quarterly, 1 for
        none): the seasonal naive reference, the seasonal models and the
        LSTM settings use it.
    n_origins, step : int
        Validation folds: the last ``n_origins`` origins of the history,
        ``step`` apart (default half the horizon); see
        :class:`ValidationFolds`.
    top_k : int
        How many of the best LSTM settings are averaged.
    classical : sequence of str
        The statsforecast models validated beside the LSTM (from
        :data:`CLASSICAL`).
    windows : sequence of int, optional
        Input windows of the LSTM settings (default one and two seasons).
    units, epochs, learning_rate, seeds
        As for :class:`~lstmbook.forecasting.LSTMForecaster` (the batch
        size: see :func:`candidates`).

    Chapter: "A recipe you can trust".
    """

    def __init__(self, horizon, season=1, n_origins=4, step=None, top_k=2,
                 classical=("AutoETS", "AutoTheta"), windows=None, units=32,
                 epochs=100, learning_rate=1e-3, seeds=(0,)):
        self.horizon = check_steps(horizon, "horizon")
        self.season = check_steps(season, "season")
        self.n_origins = check_steps(n_origins, "n_origins")
        self.step = (max(1, self.horizon // 2) if step is None
                     else check_steps(step, "step"))
        self.top_k = check_steps(top_k, "top_k")
        if isinstance(classical, str):
            raise TypeError(
                f"classical must be a list of model names, e.g. "
                f"['AutoETS', 'AutoTheta'], got the string {classical!r}."
            )
        self.classical = tuple(check_choice(name, CLASSICAL, "classical")
                               for name in classical)
        self.windows = (None if windows is None else
                        tuple(check_steps(w, "windows") for w in windows))
        self._lstm = dict(units=units, epochs=epochs,
                          learning_rate=learning_rate, seeds=seeds)
        LSTMForecaster(self.horizon, 1, **self._lstm)  # checks the settings
        self.report_ = None

    def __repr__(self):
        return (f"RobustForecaster(horizon={self.horizon}, "
                f"season={self.season}, n_origins={self.n_origins}, "
                f"top_k={self.top_k}, classical={list(self.classical)})")

    # -- fit and predict --------------------------------------------------------

    def fit(self, series):
        """Validate every candidate on the history, choose, and refit the
        chosen ones on all of it. Returns ``self``.

        ``series`` is a Series (dated or not) or a 1-D array of finite
        values, longer than a season. A series too short for two
        validation folds gets the classical models with equal weights
        (``report_`` says so).
        """
        y = history_1d(series, "series")
        index = getattr(series, "index", None)
        check_dates(index, "series")
        least = self.season + 2
        if len(y) < least:
            raise ValueError(
                f"the series has {len(y)} values; the recipe needs at least "
                f"{least} (a season of {self.season} and two more, to "
                "measure how far a season apart values differ)."
            )
        self._folds = ValidationFolds(y, self.horizon, self.season,
                                      self.n_origins, self.step)
        if self._folds.scale == 0:
            raise ValueError(
                "the series repeats its last season exactly (its seasonal "
                "naive error is 0); there is nothing to learn, so forecast "
                "it with lb.seasonal_naive_forecast."
            )
        self.settings_ = lstm_settings(y, self.horizon, self.season,
                                       self.windows)
        self._folds.run(y, self._candidates())
        self.validation_ = self._folds.table()
        self._choose()
        self._refit(y, index, getattr(series, "name", None))
        return self

    def _candidates(self):
        return candidates(self.settings_, self.horizon, self.season,
                          self.classical, self._lstm)

    def _choose(self):
        """Pick the best LSTM settings and weigh the components."""
        folds, failed = len(self._folds.origins), self._folds.failed
        val = self.validation_.mean() if folds else pd.Series(dtype=float)
        lstm_names = [n for n in self.settings_ if n in val.index]
        self.chosen_ = (list(val[lstm_names].sort_values().index[:self.top_k])
                        if folds >= 2 else [])
        scores = {}
        if self.chosen_:
            self._folds.forecasts[LSTM] = list(np.mean(
                [self._folds.forecasts[n] for n in self.chosen_], axis=0))
            scores[LSTM] = self._folds.score(self._folds.forecasts[LSTM])
        classical = [n for n in self.classical if n not in failed]
        scores.update({n: val[n] for n in classical if n in val.index})
        members = list(classical)
        if folds >= 2:
            reference = val[BASELINE]
            if LSTM in scores and scores[LSTM] < reference:
                members.insert(0, LSTM)
            if not any(scores[n] < reference for n in members):
                members.append(BASELINE)  # a hedge, with a warning
            scores[BASELINE] = reference
            weights = inverse_error_weights({n: scores[n] for n in members})
        else:  # too short to validate: equal weights
            members = members or [BASELINE]
            weights = pd.Series(1.0 / len(members), index=members)
        self.weights_ = weights
        self.report_ = self._report(val, scores)
        self._warn(scores, val)

    def _refit(self, y, index, name):
        """Refit the components on the whole history: every component, so
        that ``components_`` shows what each would forecast, weighted or
        not; ``lstm_members_`` holds each chosen LSTM setting's own."""
        forecasts = self._candidates()
        rows = BaseForecaster._future_rows(index, self.horizon)
        members = {n: forecasts[n](y) for n in self.chosen_}
        self.lstm_members_ = pd.DataFrame(members, index=rows)
        columns = {LSTM: self.lstm_members_.mean(axis=1)} if members else {}
        for component in [*self.classical, BASELINE]:
            if component not in self._folds.failed:
                columns[component] = forecasts[component](y)
        self.components_ = pd.DataFrame(columns, index=rows)
        self._name = name

    def predict(self):
        """The forecast: the weighted average of the chosen components,
        a Series indexed by the future dates (or, for a history without
        dates, the steps ``1..horizon``)."""
        if self.report_ is None:
            raise ValueError("call fit(series) before predict().")
        forecast = self.components_[self.weights_.index] @ self.weights_
        if not np.all(np.isfinite(forecast)):
            raise ValueError("the combined forecast is not finite; see "
                             "components_ for the component at fault.")
        return forecast.rename(self._name)

    def __call__(self, history):
        """Fit on ``history`` and forecast (for :func:`lstmbook.backtest`)."""
        return self.fit(history).predict()
