"""Error metrics, and the scores of a backtest's table.

Point metrics: :func:`mae`, :func:`rmse`, :func:`smape`, :func:`mase`.
Scores of the tidy table that :func:`~lstmbook.backtest.backtest` and
:func:`~lstmbook.backtest.backtest_panel` return: :func:`summarize` (one
row per method), :func:`error_by_step` (one row per horizon step),
:func:`mase_by_series` (one row per series of a panel), :func:`mase_by_fold`
(one row per fold, for tests of a difference). The scores of the
forecasting competitions, with the M4 competition's OWA:
:func:`competition_scores`.

Chapter: "Evaluating forecasts honestly"; "Many series"; "Competition
scale".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import (as_numeric_array, check_finite, check_results,
                      check_steps, history_1d)

__all__ = ["mae", "rmse", "smape", "mase", "naive_scale", "summarize",
           "error_by_step", "mase_by_series", "mase_by_fold",
           "competition_scores"]

_RESULTS = {"method", "origin", "step", "actual", "forecast", "error",
            "scale"}


def _pair(y_true, y_pred):
    true = as_numeric_array(y_true, "y_true").astype("float64")
    pred = as_numeric_array(y_pred, "y_pred").astype("float64")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true has shape {true.shape} but y_pred has shape "
            f"{pred.shape}; they must match value for value. (Reshape or "
            "inverse-scale the forecast first.)"
        )
    if true.size == 0:
        raise ValueError("y_true is empty; there is nothing to score.")
    check_finite(true, "y_true")
    check_finite(pred, "y_pred")
    return true, pred


def mae(y_true, y_pred) -> float:
    """Mean absolute error, in the data's units.

    Chapter: "Evaluating forecasts honestly".
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error, in the data's units; punishes big misses.

    Chapter: "From toy to real" (the error in real units).
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((true - pred) ** 2)))


def smape(y_true, y_pred) -> float:
    """Symmetric mean absolute percentage error, 0 to 200 (%).

    ``200 * mean(|y - yhat| / (|y| + |yhat|))``; a step where both are 0
    counts as 0 error.

    Chapter: "Evaluating forecasts honestly".
    """
    true, pred = _pair(y_true, y_pred)
    denom = np.abs(true) + np.abs(pred)
    ratio = np.divide(np.abs(true - pred), denom,
                      out=np.zeros_like(denom), where=denom > 0)
    return float(200 * np.mean(ratio))


def naive_scale(y_train, season: int = 1) -> float:
    """The MASE denominator: the in-sample MAE of the seasonal naive forecast.

    ``mean(|y[t] - y[t - season]|)`` over the training data. It is 0 for a
    series that never changes over a season; :func:`mase` and the scores of
    a backtest refuse that case rather than divide by it.

    Chapter: "Evaluating forecasts honestly".
    """
    season = check_steps(season, "season")
    values = history_1d(y_train, "y_train")
    if len(values) <= season:
        raise ValueError(
            f"y_train has {len(values)} values; the MASE scale needs more "
            f"than one season ({season})."
        )
    return float(np.mean(np.abs(values[season:] - values[:-season])))


def _flat(where: str):
    return ValueError(
        f"{where}: the training data never changes over a season, so the "
        "MASE scale is 0 and MASE is undefined; score it with MAE, or drop "
        "the constant series."
    )


def mase(y_true, y_pred, y_train, season=1) -> float:
    """Mean absolute scaled error.

    The forecast's MAE divided by the in-sample MAE of the seasonal naive
    forecast on the *training* data (one step ahead, period ``season``,
    :func:`naive_scale`). Below 1: better than that naive forecast did
    in-sample; comparable across series of different units.

    Chapter: "Evaluating forecasts honestly".
    """
    scale = naive_scale(y_train, season)
    if scale == 0:
        raise _flat("mase")
    return mae(y_true, y_pred) / scale


# --- scores of a backtest table ------------------------------------------------

def _fold_mase(results, keys) -> pd.Series:
    """Each fold's MAE over its scale, indexed by ``keys`` + origin."""
    check_results(results, _RESULTS | set(keys), "lstmbook.backtest")
    folds = (results.assign(abs_error=results["error"].abs())
             .groupby(list(keys) + ["origin"], sort=False)
             .agg(mae=("abs_error", "mean"), scale=("scale", "first")))
    broken = ~np.isfinite(folds["scale"].to_numpy(dtype="float64"))
    if broken.any():
        raise ValueError(
            f"fold {folds.index[broken][0]}: the results table's scale "
            "column holds NaN or infinite values, so MASE is undefined. "
            "Score the table lstmbook.backtest returned, with its 'scale' "
            "column unedited."
        )
    flat = folds["scale"] <= 0
    if flat.any():
        raise _flat(f"fold {folds.index[flat][0]}")
    return folds["mae"] / folds["scale"]


def summarize(results) -> pd.DataFrame:
    """One row per method: MAE, RMSE, sMAPE and MASE over all folds.

    MAE, RMSE and sMAPE are computed per fold and averaged; MASE is each
    fold's MAE divided by that fold's own scale, averaged over folds.
    Sorted by MASE, with its rank (1 = best).

    Chapter: "Evaluating forecasts honestly".
    """
    check_results(results, _RESULTS, "lstmbook.backtest")
    _fold_mase(results, ["method"])  # refuses flat folds
    rows = []
    for (method, _), fold in results.groupby(["method", "origin"],
                                             sort=False):
        fold_mae = mae(fold["actual"], fold["forecast"])
        rows.append({
            "method": method, "MAE": fold_mae,
            "RMSE": rmse(fold["actual"], fold["forecast"]),
            "sMAPE": smape(fold["actual"], fold["forecast"]),
            "MASE": fold_mae / fold["scale"].iloc[0],
        })
    table = pd.DataFrame(rows).groupby("method", sort=False).mean()
    table = table.sort_values("MASE")
    table["rank"] = np.arange(1, len(table) + 1)
    return table


def error_by_step(results, metric="MAE") -> pd.DataFrame:
    """Error per horizon step (rows) and method (columns).

    ``metric`` is ``"MAE"``, ``"RMSE"`` or ``"MASE"`` (each fold's absolute
    errors divided by its scale, then averaged). Errors of a multi-step
    forecast grow with the step: the further ahead, the less the recent
    past tells.

    Chapter: "Evaluating forecasts honestly"; "Forecasting the future".
    """
    check_results(results, _RESULTS, "lstmbook.backtest")
    if not isinstance(metric, str) or metric not in ("MAE", "RMSE", "MASE"):
        raise ValueError(
            f"metric must be 'MAE', 'RMSE' or 'MASE', got {metric!r}."
        )
    if metric == "MASE":
        _fold_mase(results, ["method"])  # refuses flat folds
    frame = results.assign(abs_error=results["error"].abs())
    if metric == "MAE":
        values = frame["abs_error"]
    elif metric == "MASE":
        values = frame["abs_error"] / frame["scale"]
    else:  # RMSE
        values = frame["error"] ** 2
    table = (frame.assign(value=values)
             .pivot_table(index="step", columns="method", values="value",
                          aggfunc="mean", sort=False))
    return np.sqrt(table) if metric == "RMSE" else table


def mase_by_series(results) -> pd.DataFrame:
    """MASE of every method on every series: rows series, columns methods.

    Each fold's MAE divided by that fold's scale, averaged over the folds
    (the definition :func:`summarize` uses for one series). The mean of a
    column is the method's overall score on the panel.

    Chapter: "Many series".
    """
    if isinstance(results, pd.DataFrame) and "series" not in results:
        raise TypeError(
            "pass the table returned by lstmbook.backtest_panel (it has a "
            "'series' column); for one series use lstmbook.summarize."
        )
    scores = _fold_mase(results, ["method", "series"]).groupby(
        level=["series", "method"], sort=False).mean()
    return scores.unstack("method")


def mase_by_fold(results) -> pd.DataFrame:
    """Each fold's MASE: rows origins (and series, for a panel), columns
    methods.

    The paired scores that a test of a difference between two methods
    needs (:func:`~lstmbook.significance.compare`): every method was scored
    on the same folds, so row by row the difference is the method's doing,
    not the fold's.

    Chapter: "Benchmark".
    """
    keys = ["method", "series"] if (isinstance(results, pd.DataFrame)
                                    and "series" in results) else ["method"]
    scores = _fold_mase(results, keys)
    levels = [k for k in keys if k != "method"] + ["origin"]
    return scores.unstack("method").reorder_levels(levels).sort_index() \
        if len(levels) > 1 else scores.unstack("method").sort_index()


def competition_scores(train, test, forecasts, season) -> pd.DataFrame:
    """Mean sMAPE, MASE and OWA of forecasts of many series, as M4 scored.

    ``train`` and ``test`` are panels (one column per series; ``train``
    may have leading missing values for series that start later);
    ``forecasts`` maps a method's name to its forecast panel, with
    ``test``'s rows and columns. Each series is scored with :func:`smape`
    and :func:`mase` (scale: the in-sample seasonal naive error of its
    training part), the scores are averaged over the series, and the
    **OWA** (overall weighted average) divides a method's mean sMAPE and
    mean MASE by those of Naive2
    (:func:`~lstmbook.baselines.naive2_forecast`, added as a row) and
    averages the two ratios: below 1 is better than Naive2. Returns one
    row per method.

    Chapter: "Competition scale".
    """
    from .baselines import naive2_forecast

    if not isinstance(forecasts, dict) or not forecasts:
        raise TypeError("forecasts must be a non-empty dict: method name "
                        "-> forecast panel (a DataFrame like test).")
    for name, panel in {"train": train, "test": test, **forecasts}.items():
        if not isinstance(panel, pd.DataFrame):
            raise TypeError(f"{name} must be a DataFrame with one column "
                            f"per series, got {type(panel).__name__}.")
    for method, forecast in forecasts.items():
        if forecast.shape != test.shape or list(forecast.columns) != list(
                test.columns):
            raise ValueError(
                f"the forecast of {method!r} has shape {forecast.shape} and "
                f"must have test's {test.shape}, with the same columns in "
                "the same order.")
    missing = [c for c in test.columns if c not in train.columns]
    if missing:
        raise ValueError(f"series {missing[:5]} are in test but not in "
                         "train.")
    rows = []
    for name in test.columns:
        history = train[name].dropna().to_numpy()
        actual = test[name].to_numpy()
        every = {**{m: f[name].to_numpy() for m, f in forecasts.items()},
                 "Naive2": naive2_forecast(history, len(test), season)}
        rows += [{"method": m, "sMAPE": smape(actual, f),
                  "MASE": mase(actual, f, history, season)}
                 for m, f in every.items()]
    table = pd.DataFrame(rows).groupby("method", sort=False).mean()
    table["OWA"] = 0.5 * (table["sMAPE"] / table.loc["Naive2", "sMAPE"]
                          + table["MASE"] / table.loc["Naive2", "MASE"])
    return table
