"""Target transforms, each with an exact inverse.

A forecaster models a transformed series ``z`` and turns its forecast of
``z`` back into the data's units. Each transform here is a small object
with two methods:

* ``forward(y)`` maps a 1-D history ``y`` to ``z`` (possibly shorter: a
  seasonal difference loses its first season);
* ``inverse(z_future, y)`` maps forecasts of ``z`` for the steps after
  ``y`` back to forecasts of ``y``. It may read the history ``y`` (a
  seasonal difference adds its forecasts to last season's values).

For every history ``y`` and continuation ``f``,
``inverse(forward(concat(y, f))[-len(f):], y) == f`` up to rounding; the
tests check it with random series. :class:`Chain` applies several in turn
and inverts them in reverse order. A new transform needs only these two
methods; :class:`SeasonalAdjustment` (the deseasonaliser of the M4
competition's benchmarks) is one.

Chapter: "Transforms that help LSTMs"; "Competition scale" (the seasonal
adjustment).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_optional_steps

__all__ = ["Log", "SeasonalDifference", "SeasonalAdjustment", "Chain",
           "target_transforms", "is_seasonal", "seasonal_indices"]


class Log:
    """``z = log(y)``: a swing that grows with the level becomes constant.

    Needs a positive series; the inverse is ``exp``. With
    ``zeros="log1p"``, a series that has zeros (counts, closed seasons)
    is modelled as ``log(1 + y)`` instead, as Hewamalage et al. (2021) do
    for the competition series with zeros; the history tells the inverse
    which of the two it was.
    """

    def __init__(self, zeros: str = "refuse"):
        if zeros not in ("refuse", "log1p"):
            raise ValueError(f"zeros must be 'refuse' or 'log1p', got "
                             f"{zeros!r}.")
        self.zeros = zeros

    def _shifted(self, y) -> bool:
        """Whether ``y`` is logged as ``log(1 + y)``."""
        return self.zeros == "log1p" and np.min(y) == 0

    def forward(self, y: np.ndarray) -> np.ndarray:
        if self.zeros == "refuse" and np.any(y <= 0):
            raise ValueError(
                "log=True needs a positive series, but it has values "
                "<= 0. Use log=False, or shift the data first."
            )
        if np.any(y < 0):
            raise ValueError(
                "log=True needs a series without negative values (a series "
                "with zeros is logged as log(1 + y)). Use log=False, or "
                "shift the data first."
            )
        return np.log1p(y) if self._shifted(y) else np.log(y)

    def inverse(self, z_future: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.expm1(z_future) if self._shifted(y) else np.exp(z_future)

    def __repr__(self):
        return "Log()" if self.zeros == "refuse" else "Log(zeros='log1p')"


class SeasonalDifference:
    """``z[t] = y[t] - y[t - season]``: how this season differs from the last.

    The forward pass drops the first ``season`` values; the inverse adds
    each forecast difference to the value one season earlier (observed, or
    forecast itself when the horizon is longer than a season).
    """

    def __init__(self, season: int):
        self.season = check_optional_steps(season, "season_diff")

    def forward(self, y: np.ndarray) -> np.ndarray:
        m = self.season
        if len(y) <= m:
            raise ValueError(
                f"the series has {len(y)} steps; a seasonal difference of "
                f"{m} needs more than one season."
            )
        return y[m:] - y[:-m]

    def inverse(self, z_future: np.ndarray, y: np.ndarray) -> np.ndarray:
        m = self.season
        if len(y) < m:
            raise ValueError(
                f"the history has {len(y)} steps; undoing a seasonal "
                f"difference of {m} needs at least one season of it."
            )
        extended = list(y)
        for k, dz in enumerate(z_future):
            extended.append(extended[len(y) + k - m] + dz)
        return np.array(extended[len(y):])

    def __repr__(self):
        return f"SeasonalDifference({self.season})"


def _autocorrelations(y: np.ndarray, max_lag: int) -> np.ndarray:
    """Sample autocorrelations of ``y`` at lags ``0..max_lag``."""
    centred = y - y.mean()
    denominator = centred @ centred
    if denominator == 0:  # a constant series has no season
        return np.r_[1.0, np.zeros(max_lag)]
    return np.array([centred[k:] @ centred[:len(y) - k] / denominator
                     for k in range(max_lag + 1)])


def is_seasonal(y: np.ndarray, season: int) -> bool:
    """The M4 benchmarks' 90% test: is the autocorrelation at lag
    ``season`` larger than chance would make it?

    The limit is ``1.645 * sqrt((1 + 2 * sum(acf[1:season] ** 2)) / n)``
    (Bartlett's standard error of an autocorrelation). A series shorter
    than three seasons, or a season of 1, is never seasonal.
    """
    y = np.asarray(y, dtype="float64")
    if season <= 1 or len(y) < 3 * season:
        return False
    r = _autocorrelations(y, season)
    limit = 1.645 * np.sqrt((1 + 2 * np.sum(r[1:season] ** 2)) / len(y))
    return bool(abs(r[season]) > limit)


def seasonal_indices(y: np.ndarray, season: int) -> np.ndarray:
    """The ``season`` multiplicative indices (mean 1) of a classical
    decomposition of ``y``: each position's mean ratio of the series to
    its centred moving average. The first index is the position of
    ``y[0]`` in the season. Needs two seasons; where the moving average
    is 0 (a series of zeros) the indices are not finite.
    """
    y = np.asarray(y, dtype="float64")
    m = season
    if len(y) < 2 * m:
        raise ValueError(f"seasonal indices need two seasons ({2 * m} "
                         f"values); the series has {len(y)}.")
    if m % 2 == 0:  # a 2 x m moving average, centred on a step
        weights = np.r_[0.5, np.ones(m - 1), 0.5] / m
    else:
        weights = np.ones(m) / m
    trend = np.convolve(y, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = y[offset:offset + len(trend)] / trend
    positions = (np.arange(len(trend)) + offset) % m
    indices = np.array([ratios[positions == k].mean() for k in range(m)])
    return indices / indices.mean()


class SeasonalAdjustment:
    """``z = y / s``: the series divided by its seasonal indices, when it
    is seasonal; left alone when it is not.

    The M4 competition's benchmarks (Naive2, Comb) adjust a series this
    way: :func:`is_seasonal` decides, :func:`seasonal_indices` estimates
    the indices on the history, and the inverse multiplies a forecast by
    the indices of the steps after the history. Both passes estimate from
    the history they are given, so the transform keeps no state. A
    seasonal series must have no negative values; one whose indices are
    not all positive (a season with no activity) is left alone.
    """

    def __init__(self, season: int):
        self.season = check_optional_steps(season, "deseasonalize")

    def _indices(self, y):
        """Indices for ``y``'s own steps and a function for later steps."""
        m = self.season
        if not is_seasonal(y, m):  # left as it is
            return np.ones(len(y)), lambda h: np.ones(h)
        if np.any(y < 0):
            raise ValueError(
                "the series is seasonal, and the seasonal adjustment "
                "divides it by multiplicative indices, which needs a series "
                "without negative values. Use deseasonalize=None, or shift "
                "the data first."
            )
        s = seasonal_indices(y, m)
        if not np.all(np.isfinite(s) & (s > 0)):
            # a season with no activity at all: an index of 0 cannot be
            # divided out, so the series is left as it is
            return np.ones(len(y)), lambda h: np.ones(h)
        return s[np.arange(len(y)) % m], \
            lambda h: s[(len(y) + np.arange(h)) % m]

    def forward(self, y: np.ndarray) -> np.ndarray:
        past, _ = self._indices(y)
        return y / past

    def inverse(self, z_future: np.ndarray, y: np.ndarray) -> np.ndarray:
        _, future = self._indices(y)
        return np.asarray(z_future) * future(len(z_future))

    def __repr__(self):
        return f"SeasonalAdjustment({self.season})"


class Chain:
    """Several transforms applied in order and inverted in reverse order."""

    def __init__(self, steps=()):
        self.steps = list(steps)

    def forward(self, y: np.ndarray) -> np.ndarray:
        for step in self.steps:
            y = step.forward(y)
        return y

    def inverse(self, z_future: np.ndarray, y: np.ndarray) -> np.ndarray:
        histories = [y]  # each step's input, to invert it against
        for step in self.steps[:-1]:
            histories.append(step.forward(histories[-1]))
        future = np.asarray(z_future, dtype="float64")
        for step, history in zip(reversed(self.steps), reversed(histories)):
            future = step.inverse(future, history)
        return future

    def __len__(self):
        return len(self.steps)

    def __repr__(self):
        return f"Chain({self.steps!r})"


def target_transforms(log: bool, season_diff, deseasonalize=None) -> Chain:
    """The chain a forecaster's ``log``, ``season_diff`` and
    ``deseasonalize`` settings ask for.

    The seasonal adjustment first (its indices are ratios of the raw
    values), then logs (a multiplicative season becomes additive), then
    the seasonal difference.
    """
    steps = [SeasonalAdjustment(deseasonalize)] if deseasonalize else []
    steps += [Log()] if log else []
    if season_diff:
        steps.append(SeasonalDifference(season_diff))
    return Chain(steps)
