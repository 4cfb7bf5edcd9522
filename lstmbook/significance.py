"""Is a difference in accuracy more than noise?

A backtest scores two methods on the same folds, so their scores are
paired: what matters is the fold-by-fold difference ``d = loss_a - loss_b``
and whether its mean is far from 0 given how much it varies. Two things make
the usual paired t-test wrong for forecasts: rolling-origin folds overlap
(two origins 6 months apart with a 12-month horizon share 6 target months),
so neighbouring differences are correlated; and there are few folds.

- :func:`diebold_mariano` is the Diebold-Mariano test with the small-sample
  correction of Harvey, Leybourne and Newbold (1997): the variance of the
  mean difference counts the autocovariances up to ``lag`` (the overlap),
  the statistic is scaled by their correction factor and compared with a
  Student t with ``n - 1`` degrees of freedom.
  Its interval for the mean difference uses the same t quantiles, so the
  interval excludes 0 exactly when the test rejects at that level.
- :func:`series_bootstrap` asks the other question a panel raises: would the
  difference hold on other series like these? It resamples whole series
  (independent units, each with all its folds) and gives an interval of the
  mean difference over series, and the share of series ``a`` wins.
- :func:`compare` runs them on a backtest table, with the lag read from how
  its folds overlap.

Chapter: "Benchmark"; "Many series".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._checks import check_results, check_steps
from .metrics import mase_by_fold

__all__ = ["diebold_mariano", "series_bootstrap", "compare"]


def _differences(loss_a, loss_b, minimum=3) -> np.ndarray:
    """``loss_a - loss_b`` as a finite 1-D float array of ``minimum`` or more."""
    pair = []
    for name, loss in (("loss_a", loss_a), ("loss_b", loss_b)):
        if isinstance(loss, (str, bytes)) or not np.ndim(loss) == 1:
            raise TypeError(
                f"{name} must be a 1-D sequence of per-fold losses in time "
                f"order (a list, array or Series), got {type(loss).__name__}"
                f" with {np.ndim(loss)} dimensions."
            )
        try:
            values = np.asarray(loss, dtype="float64")
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} must hold numbers (one loss per fold), got "
                f"{list(loss)[:3]!r}..."
            ) from None
        if not np.isfinite(values).all():
            raise ValueError(
                f"{name} holds NaN or infinite values; every fold needs a "
                "finite loss (drop the folds a method could not forecast "
                "from both methods)."
            )
        pair.append(values)
    if len(pair[0]) != len(pair[1]):
        raise ValueError(
            f"loss_a has {len(pair[0])} folds and loss_b {len(pair[1])}; "
            "pass the two methods' losses on the same folds, in the same "
            "order."
        )
    if len(pair[0]) < minimum:
        raise ValueError(
            f"{len(pair[0])} folds are too few to test a difference; it "
            f"needs at least {minimum} (more origins in the backtest)."
        )
    return pair[0] - pair[1]


def _check_lag(lag, n) -> int:
    if isinstance(lag, bool) or not isinstance(lag, (int, np.integer)):
        raise TypeError(
            f"lag must be a whole number of folds, got {lag!r}; use 0 for "
            "folds that do not overlap."
        )
    if not 0 <= lag <= n - 2:
        raise ValueError(
            f"lag must be between 0 and {n - 2} (the number of folds less "
            f"2) for {n} folds, got {lag}."
        )
    return int(lag)


def _long_run_variance(d, lag) -> float:
    """Variance of ``d``'s mean times ``n``: autocovariances up to ``lag``.

    Equal weights, as Diebold and Mariano; when their sum is not positive
    (possible with few folds), Bartlett's decaying weights, which always
    give a positive value for a non-constant ``d``.
    """
    n, centred = len(d), d - d.mean()
    gamma = [centred[k:] @ centred[:n - k] / n for k in range(lag + 1)]
    variance = gamma[0] + 2 * sum(gamma[1:])
    if variance <= 0:
        variance = gamma[0] + 2 * sum((1 - k / (lag + 1)) * gamma[k]
                                      for k in range(1, lag + 1))
    return float(variance)


def _check_level(level) -> float:
    if isinstance(level, bool) or not isinstance(level, (float, int)) \
            or not 0 < level < 1:
        raise ValueError(f"level must be a probability such as 0.95, got "
                         f"{level!r}.")
    return float(level)


def diebold_mariano(loss_a, loss_b, lag=0, level=0.95) -> pd.Series:
    """Diebold-Mariano test, small-sample corrected, of ``mean(a - b) = 0``.

    ``loss_a`` and ``loss_b`` are two methods' losses on the same folds in
    time order (e.g. each fold's MASE). ``lag`` is how many neighbouring
    folds share target values: 0 for folds that do not overlap,
    ``ceil(horizon / step) - 1`` for origins ``step`` apart. Returns
    ``mean_difference`` (negative: ``a`` had the lower loss), its ``level``
    interval ``low`` to ``high``, the ``statistic``, ``p_value`` (two-sided,
    Student t with ``n - 1`` degrees of freedom), ``n`` and ``lag``.

    Chapter: "Benchmark".
    """
    from scipy import stats

    d = _differences(loss_a, loss_b)
    n = len(d)
    lag = _check_lag(lag, n)
    level = _check_level(level)
    if np.ptp(d) == 0:
        raise ValueError(
            "the difference between the two methods is the same at every "
            f"fold ({d[0]:g}), so it has no variance to test against; "
            "check that loss_a and loss_b are two different methods."
        )
    h = lag + 1  # the forecast horizon the correction was derived for
    correction = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    std_error = math.sqrt(_long_run_variance(d, lag) / n) / correction
    statistic = d.mean() / std_error
    half = stats.t.ppf((1 + level) / 2, df=n - 1) * std_error
    return pd.Series({
        "mean_difference": float(d.mean()), "low": float(d.mean() - half),
        "high": float(d.mean() + half), "statistic": float(statistic),
        "p_value": float(2 * stats.t.sf(abs(statistic), df=n - 1)),
        "n": n, "lag": lag})


def series_bootstrap(scores_a, scores_b, n_boot=2000, level=0.95,
                     seed=0) -> pd.Series:
    """Bootstrap over series of the mean difference ``a - b``.

    ``scores_a`` and ``scores_b`` hold each series' score (e.g. its MASE
    over all folds), in the same order. Resamples the series with
    replacement ``n_boot`` times and returns the ``mean_difference``, the
    central ``level`` interval of the resampled means (``low``, ``high``),
    the ``share_a_better`` (series where ``a`` scored lower) and ``n``.
    Series are treated as independent; with fewer than about 20 the
    interval is too narrow to trust.

    Chapter: "Many series".
    """
    d = _differences(scores_a, scores_b)
    n_boot = check_steps(n_boot, "n_boot")
    level = _check_level(level)
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), size=(n_boot, len(d)))].mean(axis=1)
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return pd.Series({"mean_difference": float(d.mean()), "low": float(low),
                      "high": float(high),
                      "share_a_better": float((d < 0).mean()), "n": len(d)})


def fold_overlap(results) -> int:
    """How many later folds share a target date with a fold, at most.

    Read from the backtest table's ``origin`` and ``date`` columns: 0 when
    origins are a horizon or more apart, ``ceil(horizon / step) - 1`` for
    evenly spaced origins ``step`` apart.
    """
    check_results(results, {"origin", "date"}, "lstmbook.backtest")
    targets = results.groupby("origin", sort=True)["date"].agg(
        lambda dates: (dates.min(), dates.max()))
    first = [start for start, _ in targets]
    lag = 0
    for i, (_, last) in enumerate(targets):
        later = sum(1 for start in first[i + 1:] if start <= last)
        lag = max(lag, later)
    return lag


def compare(results, a, b, level=0.95, n_boot=2000, seed=0) -> pd.Series:
    """Is method ``a``'s MASE different from ``b``'s on a backtest?

    ``results`` is the table of :func:`~lstmbook.backtest.backtest` or
    :func:`~lstmbook.backtest.backtest_panel`. Each fold's MASE of ``a``
    minus that of ``b`` (for a panel, the mean over series at each origin)
    is tested with :func:`diebold_mariano`, the lag read from how the
    folds overlap. Returns one row: both methods' mean MASE, the
    ``difference`` with its ``level`` interval ``low`` to ``high``, the
    ``p_value``, the ``folds`` and the ``lag``. For a panel it adds
    :func:`series_bootstrap`'s interval over series (``series_low``,
    ``series_high``) and ``share_a_better``.

    Chapter: "Benchmark".
    """
    scores = mase_by_fold(results)
    for name in (a, b):
        if name not in scores.columns:
            raise ValueError(
                f"method {name!r} is not in the results; it has "
                f"{list(scores.columns)}."
            )
    if a == b:
        raise ValueError(f"compare two different methods, got {a!r} twice.")
    panel = "series" in scores.index.names
    by_origin = (scores.groupby(level="origin", sort=True).mean() if panel
                 else scores)
    lag = fold_overlap(results)
    if lag > len(by_origin) - 2:
        raise ValueError(
            f"each fold shares target dates with the next {lag}, so "
            f"{len(by_origin)} folds hold too little independent "
            "evidence to test; backtest with more origins, or a step "
            "closer to the horizon."
        )
    dm = diebold_mariano(by_origin[a], by_origin[b], lag=lag, level=level)
    row = {f"MASE {a}": float(by_origin[a].mean()),
           f"MASE {b}": float(by_origin[b].mean()),
           "difference": dm["mean_difference"], "low": dm["low"],
           "high": dm["high"], "p_value": dm["p_value"], "folds": dm["n"],
           "lag": dm["lag"]}
    if panel:
        by_series = scores.groupby(level="series", sort=False).mean()
        boot = series_bootstrap(by_series[a], by_series[b], n_boot=n_boot,
                                level=level, seed=seed)
        row.update(series=boot["n"], series_low=boot["low"],
                   series_high=boot["high"],
                   share_a_better=boot["share_a_better"])
    return pd.Series(row)
