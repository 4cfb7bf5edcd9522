"""Inputs known in advance and static inputs for a model of many series.

A panel holds one column per series, so it has no room for a series'
other inputs; :class:`~lstmbook.panel.GlobalLSTMForecaster` takes them
beside it:

* **known in advance** (``known=[names]``): a dict of tables, one per
  name. A table is a Series when every series shares the input (the
  calendar, a law that applies to all of them) or a DataFrame with one
  column per series (each product's planned promotions). Its index holds
  the panel's own labels (dates or steps) and, for a forecast, the
  ``horizon`` labels after them. Its values enter less their value at the
  window's last step (with ``normalize="last"``, as the series' do), then
  standardised with statistics of the training windows;
* **static** (``static=[names]``): a DataFrame with one row per series
  (its index holds the series' names) and the named columns: a number is
  standardised across the training series, anything else (text, a
  category) becomes one 0/1 column per value seen in training.

Every step of a window then carries its known values, the series' static
features and, with ``series_id="onehot"``, its code; the ``horizon`` rows
after the window carry the known values of the forecast's own steps and the
same static features, never a target value. The network reads those rows
with the head of :func:`~lstmbook.known.known_inputs_lstm`, so the effect
of a known input can differ from series to series.

Chapter: "Inputs known in advance" (many series).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import as_numeric_array, check_finite
from .dates import future_index
from .known import check_known
from .scaling import Scaler

__all__ = ["PanelInputs", "PanelRows"]


def _rows(table, name, index, extra):
    """Positions in ``table`` of the labels ``index`` and of the ``extra``
    labels after them (checked to be the forecast's dates when dated)."""
    if not table.index.is_unique:
        raise ValueError(f"known[{name!r}] has repeated index labels.")
    positions = table.index.get_indexer(index)
    if (positions < 0).any():
        missing = index[positions < 0][0]
        raise ValueError(
            f"known[{name!r}] has no row for {missing!r}: it needs a row for "
            "every label of the panel's index (its dates or steps)"
            + (f" and the {extra} after them, for the forecast" if extra
               else "") + "."
        )
    if not extra:
        return positions
    after = positions[-1] + 1 + np.arange(extra)
    if after[-1] >= len(table):
        raise ValueError(
            f"known[{name!r}] ends {len(table) - 1 - positions[-1]} row(s) "
            f"after the panel; a forecast needs its values for the "
            f"{extra} steps after the panel's last row {index[-1]!r}."
        )
    if isinstance(index, pd.DatetimeIndex) and not table.index[after].equals(
            future_index(index, extra)):
        raise ValueError(
            f"known[{name!r}]'s rows after the panel must be the forecast's "
            f"dates (lb.future_index(panel, {extra})), starting "
            f"{future_index(index, 1)[0].date()}."
        )
    return np.r_[positions, after]


class KnownTables:
    """Inputs known in advance: one table per name, looked up by date.

    Part of :class:`PanelInputs`; reads its ``known`` names and
    ``scaler_``.
    """

    def known_values(self, known, index, columns, extra=0):
        """The known inputs ``(len(index) + extra, series, k)``, in the
        data's units.

        ``known`` is the dict of tables; ``extra`` asks for the rows of the
        ``extra`` steps after the panel too (a forecast's).
        """
        if not self.known:
            if known is not None:
                raise ValueError(
                    "known= is for a forecaster made with known=[names] "
                    "(inputs known in advance); this one has none."
                )
            return None
        if not isinstance(known, dict):
            raise TypeError(
                f"this forecaster reads inputs known in advance "
                f"{list(self.known)}: pass known= a dict of tables, e.g. "
                f"known={{{self.known[0]!r}: table}}, with a row for every "
                "date of the panel and the forecast's (in lb.backtest_panel, "
                "known= the same dict); got "
                f"{type(known).__name__}."
            )
        missing = [n for n in self.known if n not in known]
        unknown = [n for n in known if n not in self.known]
        if missing or unknown:
            raise ValueError(
                f"known= must have one table per known input {list(self.known)}"
                f"; it lacks {missing} and has extra {unknown}."
            )
        out = np.empty((len(index) + extra, len(columns), len(self.known)))
        for k, name in enumerate(self.known):
            out[:, :, k] = self._table(known[name], name, index, columns,
                                       extra)
        return out

    def scaled(self, windows, rows, fit=False):
        """Known values of windows ``(n, steps, k)`` and of the rows after
        them ``(n, horizon, k)``, scaled (``fit=True``: with statistics of
        these training windows)."""
        if fit:
            self.scaler_ = Scaler().fit(windows.reshape(-1, windows.shape[-1]))
        return self.scaler_.transform(windows), self.scaler_.transform(rows)

    @staticmethod
    def _table(table, name, index, columns, extra):
        """One known table's values ``(len(index) + extra, series)``."""
        if isinstance(table, pd.DataFrame):
            lacking = [c for c in columns if c not in table.columns]
            if lacking:
                raise ValueError(
                    f"known[{name!r}] is a table with one column per series, "
                    f"but has no column for series {lacking[:5]}; give every "
                    "series a column, or pass a Series shared by all."
                )
            table = table[list(columns)]
        elif not isinstance(table, pd.Series):
            raise TypeError(
                f"known[{name!r}] must be a pandas Series (one input shared "
                "by every series) or a DataFrame (one column per series), "
                f"indexed like the panel; got {type(table).__name__}."
            )
        rows = _rows(table, name, index, extra)
        values = as_numeric_array(table.iloc[rows], f"known[{name!r}]")
        values = values.astype("float64")
        check_finite(values, f"known[{name!r}]")
        return values.reshape(len(rows), -1)

class StaticTable:
    """Static inputs: one row per series, encoded once, then remembered.

    Part of :class:`PanelInputs`; reads its ``static`` names,
    ``encoding_`` and ``features_``.
    """

    def fit_static(self, static, columns) -> None:
        """Learn the static columns' encoding from the training series."""
        self.encoding_, self.features_ = {}, {}
        if not self.static:
            self._check_absent(static)
            return
        table = self._static_table(static, columns)
        for name in self.static:
            column = table[name]
            if pd.api.types.is_numeric_dtype(column) and not \
                    pd.api.types.is_bool_dtype(column):
                values = column.to_numpy("float64")
                check_finite(values, f"static[{name!r}]")
                std = float(values.std())
                self.encoding_[name] = {"mean": float(values.mean()),
                                        "std": std if std > 0 else 1.0}
            else:
                self.encoding_[name] = {"values": sorted(
                    {str(v) for v in column})}
        self.features_ = self.encode(table, columns)

    def _check_absent(self, static):
        if static is not None:
            raise ValueError(
                "static= is for a forecaster made with static=[names] "
                "(per-series inputs); this one has none."
            )

    def _static_table(self, static, columns):
        if not isinstance(static, pd.DataFrame):
            raise TypeError(
                f"this forecaster reads static inputs {list(self.static)}: "
                "pass static= a DataFrame with one row per series (indexed "
                "by the series' names) and those columns; got "
                f"{type(static).__name__}."
            )
        missing = [n for n in self.static if n not in static.columns]
        if missing:
            raise ValueError(
                f"static= has no column {missing} (it has "
                f"{list(static.columns)})."
            )
        rows = [c for c in columns if c not in static.index]
        if rows:
            raise ValueError(
                f"static= has no row for series {rows[:5]}; its index must "
                "hold every series' name."
            )
        table = static.loc[list(columns), list(self.static)]
        if table.isna().any().any():
            raise ValueError("static= has missing values for these series.")
        return table

    def encode(self, static, columns) -> dict:
        """The static features of ``columns``: ``{series: vector}``."""
        table = self._static_table(static, columns)
        parts = []
        for name, rule in self.encoding_.items():
            if "values" in rule:
                text = table[name].astype(str)
                unseen = sorted(set(text) - set(rule["values"]))
                if unseen:
                    raise ValueError(
                        f"static[{name!r}] has values {unseen} the model was "
                        f"not trained on (it knows {rule['values']})."
                    )
                parts.append(np.stack([(text == v).to_numpy("float64")
                                       for v in rule["values"]], axis=1))
            else:
                values = as_numeric_array(table[name], f"static[{name!r}]")
                values = values.astype("float64")
                check_finite(values, f"static[{name!r}]")
                parts.append(((values - rule["mean"]) / rule["std"])[:, None])
        matrix = np.concatenate(parts, axis=1)
        return dict(zip(columns, matrix))

    def static_features(self, columns, static=None) -> np.ndarray:
        """``(series, features)``: from ``static`` if given, else from the
        training series' stored features."""
        if not self.static:
            self._check_absent(static)
            return np.zeros((len(columns), 0))
        features = dict(self.features_)
        if static is not None:
            features.update(self.encode(static, columns))
        missing = [c for c in columns if c not in features]
        if missing:
            raise ValueError(
                f"series {missing[:5]} were not in the training panel: pass "
                "their static inputs, predict(..., static=table)."
            )
        return np.stack([features[c] for c in columns])

class PanelInputs(KnownTables, StaticTable):
    """The known and static inputs of a panel, checked, encoded and scaled.

    Held by :class:`~lstmbook.panel.GlobalLSTMForecaster` (its
    ``inputs_``); saved with it (:meth:`to_dict`).
    """

    def __init__(self, known=None, static=None):
        self.known = check_known(known) or ()
        self.static = check_known(static) or ()
        self.scaler_ = None          # the known inputs' statistics
        self.encoding_ = None        # per static column: stats or values
        self.features_ = {}          # series -> its static features

    def to_dict(self) -> dict:
        """What a save stores (JSON data)."""
        return {"scaler": None if self.scaler_ is None
                else self.scaler_.to_dict(),
                "encoding": self.encoding_,
                "features": {str(k): v.tolist()
                             for k, v in self.features_.items()}}

    def restore(self, state: dict, series) -> None:
        """Undo :meth:`to_dict`; ``series`` are the training series."""
        self.scaler_ = (None if state["scaler"] is None
                        else Scaler.from_dict(state["scaler"]))
        self.encoding_ = state["encoding"]
        names = {str(s): s for s in series}
        self.features_ = {names[k]: np.asarray(v, dtype="float64")
                          for k, v in state["features"].items()}


class PanelRows:
    """The rows a global model reads, with known and static inputs.

    Mixed into the panel framing (``lstmbook.framing.PanelFraming``);
    reads the forecaster's ``series_id``, ``series_``, ``normalize``,
    ``horizon``, ``known`` and ``inputs_``.
    """

    def _features(self, Xs, code, static, known=None):
        """Scaled windows ``(n, steps)`` with each step's known inputs
        ``(n, steps, k)``, then the series' static features and its code
        (the same at every step)."""
        fixed = static
        if self.series_id is not None:
            fixed = np.r_[fixed, np.eye(len(self.series_))[code]]
        parts = [Xs[:, :, np.newaxis]]
        if known is not None:
            parts.append(known)
        if fixed.size:
            parts.append(np.broadcast_to(fixed, (*Xs.shape, fixed.size)))
        return np.concatenate(parts, axis=2)

    def _model_rows(self, Xs, code, static, known_in, known_out):
        """What the model reads: the window's features, then (with known
        inputs) one row per forecast step, with no target value."""
        x = self._features(Xs, code, static, known_in)
        if known_out is None:
            return x
        future = self._features(np.zeros(known_out.shape[:2]), code, static,
                                known_out)
        return np.concatenate([x, future], axis=1)

    def _relative(self, known_in, known_out):
        """Known inputs less the window's last row (``normalize='last'``,
        as the target): a forecast reads how they change from now on."""
        if not known_in.shape[-1]:
            return None, None
        if self.normalize == "last":
            last = known_in[:, -1:, :]
            return known_in - last, known_out - last
        return known_in, known_out

    def _known_for_forecast(self, known, index, columns):
        """The known inputs of the panel's rows and the ``horizon`` after."""
        if self.known and index is None:
            raise ValueError(
                "this forecaster was loaded from the save of a panel without "
                "dates, so it cannot find its known inputs' rows: pass the "
                "panel to predict(panel, known=...)."
            )
        return self.inputs_.known_values(known, index, columns,
                                         extra=self.horizon)
