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
and inverts them in reverse order. A new transform (a deseasonaliser, say)
needs only these two methods.

Chapter: "Transforms that help LSTMs".
"""

from __future__ import annotations

import numpy as np

from ._checks import check_optional_steps

__all__ = ["Log", "SeasonalDifference", "Chain", "target_transforms"]


class Log:
    """``z = log(y)``: a swing that grows with the level becomes constant.

    Needs a positive series; the inverse is ``exp``.
    """

    def forward(self, y: np.ndarray) -> np.ndarray:
        if np.any(y <= 0):
            raise ValueError(
                "log=True needs a positive series, but it has values "
                "<= 0. Use log=False, or shift the data first."
            )
        return np.log(y)

    def inverse(self, z_future: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.exp(z_future)

    def __repr__(self):
        return "Log()"


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


def target_transforms(log: bool, season_diff) -> Chain:
    """The chain a forecaster's ``log`` and ``season_diff`` settings ask for.

    Logs first (a multiplicative season becomes additive), then the seasonal
    difference.
    """
    steps = [Log()] if log else []
    if season_diff:
        steps.append(SeasonalDifference(season_diff))
    return Chain(steps)
