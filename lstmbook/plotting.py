"""The book's figures, each a plain matplotlib figure you can restyle.

Every function draws on an ``ax`` you pass (or a new one), gives it a title
and labelled axes, and returns the ``Axes``.
"""

from __future__ import annotations

import numbers

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from ._checks import as_numeric_array, check_flag, check_lag, check_steps

__all__ = ["plot_windows", "plot_loss", "plot_forecast", "plot_fan"]

INPUT_COLOR = "#4C72B0"
TARGET_COLOR = "#DD8452"
BOTH_COLOR = "#8C6BB1"


def _new_axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _check_ax(ax) -> None:
    """``ax`` is None (draw on a new figure) or a matplotlib ``Axes``."""
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes (e.g. fig, ax = plt.subplots()) "
            f"or None for a new figure, got {type(ax).__name__}."
        )


def _column_picks(columns, n_cols: int, name: str) -> list:
    """``None`` (every column) or a list of column positions of the data."""
    if columns is None:
        return list(range(n_cols))
    if isinstance(columns, (str, bytes)) or not np.iterable(columns):
        raise TypeError(
            f"{name} must be a list of column positions, e.g. [0, 1], got "
            f"{columns!r}."
        )
    columns = list(columns)
    for c in columns:
        if isinstance(c, (bool, np.bool_)) or not isinstance(
                c, numbers.Integral):
            raise TypeError(
                f"{name} must hold column positions (ints), got {c!r}."
            )
        if not 0 <= c < n_cols:
            raise ValueError(
                f"{name} has column {c}, but the data has {n_cols} "
                f"column(s) (positions 0 to {n_cols - 1})."
            )
    return columns


def _series_names(names, n_series: int, name: str):
    """``names`` as a list of one label per series (``None``: no labels)."""
    if names is None or (isinstance(names, (list, tuple)) and not names):
        return None  # the default labels
    if isinstance(names, (str, bytes, dict, set)) or not np.iterable(names):
        raise TypeError(
            f"{name} must be a list with one label per series, e.g. "
            f"['sales', 'price'], got {names!r}."
        )
    names = list(names)
    if len(names) != n_series:
        raise ValueError(
            f"{name} has {len(names)} label(s) but there are {n_series} "
            "series; give one label per series (column)."
        )
    return names


def _non_empty(values: np.ndarray, name: str) -> np.ndarray:
    if values.size == 0:
        raise ValueError(f"{name} is empty; there is nothing to draw.")
    return values


def _one_series(data, name: str) -> np.ndarray:
    """``data`` as a non-empty 1-D float array (a column is flattened)."""
    values = _non_empty(as_numeric_array(data, name), name)
    if np.squeeze(values).ndim > 1:
        raise ValueError(
            f"{name} must be one series, got shape {values.shape}; a fan "
            "chart draws one series: pass one column, e.g. df['sales']."
        )
    return values.astype(float).reshape(-1)


def plot_windows(data, n_steps_in, n_steps_out=1, lag=1, input_columns=None,
                 target_columns=None, samples=3, column_names=None, ax=None,
                 title=None):
    """Draw the first ``samples`` windows cut from ``data`` as a grid.

    Each sample is a block of rows (one row per column of ``data``) laid over
    the time steps; input cells are blue, target cells orange, and every cell
    shows its value. ``lag`` has the meaning of
    :func:`~lstmbook.windows.make_windows` (1: target after the window, 0: at its last
    step). ``input_columns``/``target_columns`` pick columns of 2-D data
    (default: all of them).

    Chapter: "Framing a series as supervised learning".
    """
    table = as_numeric_array(data, "data")
    if table.ndim == 1:
        table = table[:, np.newaxis]
    if table.ndim != 2:
        raise ValueError(f"data must be 1-D or 2-D, got shape {table.shape}.")
    n_steps_in = check_steps(n_steps_in, "n_steps_in")
    n_steps_out = check_steps(n_steps_out, "n_steps_out")
    lag = check_lag(lag)
    samples = check_steps(samples, "samples")
    _check_ax(ax)
    n_cols = table.shape[1]
    inputs = _column_picks(input_columns, n_cols, "input_columns")
    targets = _column_picks(target_columns, n_cols, "target_columns")
    names = _series_names(column_names, n_cols, "column_names") or (
        [""] if n_cols == 1 else [f"col {c}" for c in range(n_cols)])
    span = n_steps_in - 1 + lag + n_steps_out
    samples = min(samples, len(table) - span + 1)
    if samples < 1:
        raise ValueError(
            f"data has {len(table)} time steps, too few for one window of "
            f"{n_steps_in} in + {n_steps_out} out."
        )
    n_time = min(len(table), span + samples - 1 + 2)
    ax = _new_axes(ax, (min(1.0 + 0.75 * n_time, 12), 0.9 + 0.42 * samples
                        * (n_cols + 0.6)))
    labels, ticks = [], []
    row = 0.0
    overlap = False
    for s in range(samples):
        t_target = s + n_steps_in - 1 + lag
        for c in range(n_cols):
            for t in range(n_time):
                is_in = s <= t < s + n_steps_in and c in inputs
                is_out = (t_target <= t < t_target + n_steps_out
                          and c in targets)
                color = TARGET_COLOR if is_out else (
                    INPUT_COLOR if is_in else "#EEEEEE")
                if is_in and is_out:  # lag 0: same cell is input and target
                    color = BOTH_COLOR
                    overlap = True
                ax.add_patch(Rectangle((t, -row - 1), 0.95, 0.9,
                                       facecolor=color, edgecolor="white"))
                value = table[t, c]
                text = f"{value:g}" if np.ndim(value) == 0 else str(value)
                ax.text(t + 0.475, -row - 0.55, text, ha="center",
                        va="center", fontsize=9,
                        color="white" if (is_in or is_out) else "#555555")
            labels.append(f"sample {s}" + (f"  {names[c]}" if names[c] else ""))
            ticks.append(-row - 0.55)
            row += 1
        row += 0.6
    ax.set_xlim(-0.1, n_time)
    ax.set_ylim(-row, 0.2)
    ax.set_xticks(np.arange(n_time) + 0.475, [str(t) for t in range(n_time)])
    ax.set_yticks(ticks, labels)
    ax.set_xlabel("time step")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    handles = [Rectangle((0, 0), 1, 1, color=INPUT_COLOR, label="input (X)"),
               Rectangle((0, 0), 1, 1, color=TARGET_COLOR, label="target (y)")]
    if overlap:
        handles.append(Rectangle((0, 0), 1, 1, color=BOTH_COLOR,
                                 label="input and target"))
    ax.legend(handles=handles, loc="upper left", fontsize=9, frameon=False,
              bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title or f"Sliding windows: {n_steps_in} steps in, "
                 f"{n_steps_out} out", loc="left")
    return ax


def plot_loss(history, ax=None, title="Training loss", log_scale=True):
    """Plot the loss curve(s) of a ``History`` (from ``fit`` or Keras).

    Draws ``loss`` and, if present, ``val_loss`` per epoch, on a log scale
    by default because losses often fall by orders of magnitude.

    Chapter: "Vanilla LSTM" (used by every model chapter).
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or "loss" not in logs:
        raise TypeError(
            "history must be the object returned by fit/model.fit (or its "
            ".history dict) with a 'loss' entry."
        )
    loss = as_numeric_array(logs["loss"], "history['loss']")
    if loss.ndim != 1 or loss.size == 0:
        raise ValueError(
            f"history['loss'] must be one value per epoch, got shape "
            f"{loss.shape}; a history with no epochs has nothing to plot "
            "(train the model first)."
        )
    if "val_loss" in logs:
        val = as_numeric_array(logs["val_loss"], "history['val_loss']")
        if val.shape != loss.shape:
            raise ValueError(
                f"history['val_loss'] has {val.size} values but "
                f"history['loss'] has {loss.size}; pass one history from "
                "one training run."
            )
    check_flag(log_scale, "log_scale")
    _check_ax(ax)
    ax = _new_axes(ax, (6, 3.2))
    epochs = np.arange(1, len(logs["loss"]) + 1)
    ax.plot(epochs, logs["loss"], label="training")
    if "val_loss" in logs:
        ax.plot(epochs, logs["val_loss"], label="validation")
        ax.legend()
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (mean squared error)")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    return ax


def plot_forecast(history, forecast, actual=None, labels=None, ax=None,
                  title="Forecast against the truth", last=None,
                  history_label="training data",
                  boundary_label="end of training data"):
    """Draw a series, the forecast that follows it, and the true values.

    ``history`` is what the model was trained on, shape ``(T,)`` or
    ``(T, n_series)``; ``forecast`` (and ``actual``, if known) are the
    ``h`` steps after it, shape ``(h,)`` or ``(h, n_series)``, drawn at time
    steps ``T .. T + h - 1``. A dotted line marks where the history ends.
    ``labels`` names the series in the legend; ``last`` draws only the last
    ``last`` steps of the history (to zoom in on the forecast);
    ``history_label`` and ``boundary_label`` rename the history's legend
    entry and the dotted line.

    Chapter: "Vanilla LSTM" (used by every model chapter).
    """
    past = _non_empty(as_numeric_array(history, "history"), "history")
    past = past.astype(float)
    past = past[:, np.newaxis] if past.ndim == 1 else past
    yhat = _non_empty(as_numeric_array(forecast, "forecast"), "forecast")
    yhat = yhat.astype(float)
    yhat = yhat.reshape(-1, past.shape[1]) if yhat.size % past.shape[1] == 0 \
        else None
    if past.ndim != 2 or yhat is None:
        raise ValueError(
            f"forecast (shape {np.shape(forecast)}) must have one value per "
            f"series of history (shape {np.shape(history)}) at each step."
        )
    truth = None
    if actual is not None:
        truth = as_numeric_array(actual, "actual").astype(float)
        if truth.size != yhat.size:
            raise ValueError(
                f"actual has {truth.size} values but forecast has "
                f"{yhat.size}; give the true values of the forecast steps."
            )
        truth = truth.reshape(yhat.shape)
    _check_ax(ax)
    keep = None if last is None else check_steps(last, "last")
    n_series = past.shape[1]
    names = _series_names(labels, n_series, "labels") or (
        [None] if n_series == 1 else
        [f"series {i}" for i in range(n_series)])
    ax = _new_axes(ax, (7, 3.6))
    t_past = np.arange(len(past))
    t_next = np.arange(len(past), len(past) + len(yhat))
    if keep is not None:
        t_past, past = t_past[-keep:], past[-keep:]
    for i in range(n_series):
        color = f"C{i}"
        tag = f" ({names[i]})" if names[i] else ""
        ax.plot(t_past, past[:, i], "o-", color=color, markersize=3,
                label=f"{history_label}{tag}")
        if truth is not None:
            ax.plot(t_next, truth[:, i], "s", color=color, mfc="none",
                    markersize=9, label=f"truth{tag}")
        ax.plot(np.r_[t_past[-1], t_next], np.r_[past[-1, i], yhat[:, i]],
                "x--", color=color, markersize=8, markevery=slice(1, None),
                label=f"forecast{tag}")
    boundary = t_next[0] - 0.5
    ax.axvline(boundary, color="grey", linestyle=":", linewidth=1)
    ax.text(boundary - 0.05, ax.get_ylim()[0], f"{boundary_label} ",
            ha="right", va="bottom", color="grey", fontsize=8)
    ax.set_xlabel("time step")
    ax.set_ylabel("value")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False)
    ax.grid(True, alpha=0.3)
    return ax


def _fan_bands(table):
    """The interval columns of a forecast table, widest level first."""
    names = []
    for column in table.columns:
        name = str(column)
        if name.startswith("lower_") and f"upper_{name[6:]}" in table.columns:
            try:
                names.append((float(name[6:]), name[6:]))
            except ValueError:
                continue
    return [name for _, name in sorted(names, reverse=True)]


def plot_fan(history, forecast, actual=None, last=None, ax=None,
             title="Forecast with prediction intervals", ylabel="value",
             boundary_label="end of data"):
    """Draw a forecast and its prediction intervals as a fan chart.

    ``history`` is the series the forecast starts from: a Series with a
    ``DatetimeIndex`` (the x axis then shows dates) or an array (time
    steps). ``forecast`` is a Series or array of point forecasts, or a
    DataFrame with a ``forecast`` column and interval columns
    ``lower_XX``/``upper_XX`` (what
    :func:`~lstmbook.uncertainty.conformal_intervals` and
    :func:`~lstmbook.uncertainty.mc_dropout_forecast` return); each
    interval is a shaded band, the widest the palest. ``actual``, the
    truth of the forecast steps if you know it, is drawn as points. A
    dotted line marks the end of the history; ``last`` draws only its last
    ``last`` values.

    Chapter: "Forecasting the future" (first use); "Prediction intervals".
    """
    if isinstance(forecast, pd.DataFrame):
        if "forecast" not in forecast.columns:
            raise TypeError(
                "a forecast table needs a 'forecast' column (and lower_XX/"
                "upper_XX interval columns), as conformal_intervals returns."
            )
        table, point = forecast, forecast["forecast"]
        bands = _fan_bands(forecast)
    else:
        table, point, bands = None, forecast, []
    past = _one_series(history, "history")
    yhat = _one_series(point, "forecast")
    past_index = getattr(history, "index", None)
    next_index = getattr(point, "index", None)
    dated = (isinstance(past_index, pd.DatetimeIndex)
             and isinstance(next_index, pd.DatetimeIndex))
    if dated:
        x_past, x_next = past_index, next_index
    else:
        x_past = np.arange(len(past))
        x_next = np.arange(len(past), len(past) + len(yhat))
    truth = None
    if actual is not None:
        truth = as_numeric_array(actual, "actual").astype(float).reshape(-1)
        if truth.size != yhat.size:
            raise ValueError(
                f"actual has {truth.size} values but the forecast has "
                f"{yhat.size}; give the true values of the forecast steps."
            )
    if last is not None:
        keep = check_steps(last, "last")
        x_past, past = x_past[-keep:], past[-keep:]
    _check_ax(ax)
    ax = _new_axes(ax, (8, 3.8))
    ax.plot(x_past, past, color="black", linewidth=1.2, label="history")
    n_bands = len(bands)
    for i, name in enumerate(bands):
        lower = table[f"lower_{name}"].to_numpy(dtype=float)
        upper = table[f"upper_{name}"].to_numpy(dtype=float)
        ax.fill_between(x_next, lower, upper, color="C0", linewidth=0,
                        alpha=0.18 + 0.22 * i / max(1, n_bands - 1),
                        label=f"{name}% interval")
    ax.plot(np.r_[x_past[-1:], x_next] if not dated else
            x_past[-1:].append(x_next), np.r_[past[-1], yhat], color="C0",
            linewidth=1.6, label="forecast")
    if truth is not None:
        ax.plot(x_next, truth, "o", color="C3", markersize=3.5,
                label="truth")
    boundary = x_past[-1] + (x_next[0] - x_past[-1]) / 2
    ax.axvline(boundary, color="grey", linestyle=":", linewidth=1)
    ax.text(boundary, 0.02, f"{boundary_label} ", ha="right", va="bottom",
            color="grey", fontsize=8, transform=ax.get_xaxis_transform())
    ax.set_xlabel("date" if dated else "time step")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", frameon=False)
    ax.grid(True, alpha=0.3)
    return ax
