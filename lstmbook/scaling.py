"""Scaling with statistics of the training data only, and its inverse.

Fitting a scaler on all the data would let the test period's level leak into
training; :class:`Scaler` learns its numbers from the part you fit it on and
applies those same numbers to everything else.

Chapter: "Vanilla LSTM" (``tanh`` needs scaled inputs); "From toy to real".
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_numeric_array, check_finite, check_text

__all__ = ["Scaler"]


class Scaler:
    """Scale each column with statistics of the training data, and invert.

    ``method="standard"`` maps a column to ``(x - mean) / std``;
    ``method="minmax"`` maps the training range to ``[0, 1]``. Fit on a 1-D
    series (one set of statistics) or a 2-D table (one per column). The
    statistics then apply along the *last* axis of whatever you transform, so
    windows ``X`` of shape ``(samples, steps, features)`` and targets ``y``
    scale with the same fitted object. A column that is constant in the
    training data gets a scale of 1 (it is only shifted).

    >>> scaler = Scaler().fit([10, 20, 30])
    >>> scaler.transform([20, 40]).tolist()
    [0.0, 2.449489742783178]
    >>> scaler.inverse_transform(scaler.transform([20, 40])).tolist()
    [20.0, 40.0]

    Chapter: "Vanilla LSTM" (``tanh`` needs scaled inputs).
    """

    METHODS = ("standard", "minmax")

    def __init__(self, method: str = "standard"):
        check_text(method, "method", "'standard' or 'minmax'")
        if method not in self.METHODS:
            raise ValueError(
                f"method must be one of {self.METHODS}, got {method!r}."
            )
        self.method = method
        self.center_ = None
        self.scale_ = None

    def fit(self, data) -> "Scaler":
        """Learn the statistics from ``data`` (the training part only)."""
        array = as_numeric_array(data, "data").astype("float64")
        if array.ndim not in (1, 2) or len(array) == 0:
            raise ValueError(
                "fit the scaler on a non-empty 1-D series or a 2-D table "
                f"(time steps x columns), got shape {array.shape}."
            )
        check_finite(array, "data")
        with np.errstate(over="ignore", invalid="ignore"):
            if self.method == "standard":
                center, scale = array.mean(axis=0), array.std(axis=0)
            else:
                center = array.min(axis=0)
                scale = array.max(axis=0) - center
        if not (np.isfinite(center).all() and np.isfinite(scale).all()):
            raise ValueError(
                "data's values are too large to scale: their mean or spread "
                f"overflows float64 (values up to {np.abs(array).max():.3g}). "
                "Divide the data by a large constant first."
            )
        # A column that never changes is only shifted (scale 1). Test for it
        # with max == min: its float std may be a rounding residue (1e-17)
        # rather than 0, and dividing by that would blow it up.
        constant = array.max(axis=0) == array.min(axis=0)
        self.center_ = np.where(constant, array.min(axis=0), center)[()]
        self.scale_ = np.where(constant | ~(scale > 0), 1.0, scale)
        return self

    def _stats(self, columns):
        if self.center_ is None:
            raise ValueError(
                "this Scaler is not fitted yet; call scaler.fit(train) first."
            )
        if columns is None:
            return self.center_, self.scale_
        if isinstance(columns, (str, bytes, bool, np.bool_)) or (
                isinstance(columns, numbers.Real)
                and not isinstance(columns, numbers.Integral)):
            raise TypeError(
                f"columns must be a column position (an int such as -1), a "
                f"list of positions or a slice, got {columns!r}."
            )
        if np.ndim(self.center_) == 0:
            raise ValueError(
                "columns= only applies to a scaler fitted on a 2-D table."
            )
        try:
            return self.center_[columns], self.scale_[columns]
        except IndexError:
            raise ValueError(
                f"columns={columns!r} is out of range for a scaler fitted on "
                f"{len(self.center_)} columns."
            ) from None

    def _values(self, data, columns):
        center, scale = self._stats(columns)
        array = as_numeric_array(data, "data").astype("float64")
        if np.ndim(center) and array.shape[-1:] != np.shape(center):
            raise ValueError(
                f"data's last axis has {array.shape[-1:]} values but the "
                f"scaler has statistics for {np.shape(center)} columns; "
                "pass columns=... to pick the ones you are transforming."
            )
        return array, center, scale

    def transform(self, data, columns=None) -> np.ndarray:
        """Scale ``data`` with the fitted statistics.

        ``columns`` picks the statistics of some columns of the fitted table,
        e.g. ``columns=-1`` for targets taken from the last column.
        """
        array, center, scale = self._values(data, columns)
        check_finite(array, "data")
        return (array - center) / scale

    def inverse_transform(self, data, columns=None) -> np.ndarray:
        """Undo :meth:`transform`: back to the data's original units."""
        array, center, scale = self._values(data, columns)
        check_finite(array, "data")
        return array * scale + center

    def fit_transform(self, data) -> np.ndarray:
        """``fit(data)`` then ``transform(data)``."""
        return self.fit(data).transform(data)

    def to_dict(self) -> dict:
        """The fitted statistics as plain lists (for saving as JSON)."""
        self._stats(None)  # refuses an unfitted scaler
        return {"method": self.method,
                "center": np.atleast_1d(self.center_).tolist(),
                "scale": np.atleast_1d(self.scale_).tolist(),
                "ndim": int(np.ndim(self.center_))}

    @classmethod
    def from_dict(cls, state: dict) -> "Scaler":
        """A fitted Scaler from :meth:`to_dict`'s output."""
        if not isinstance(state, dict):
            raise TypeError(
                "pass the dict that Scaler.to_dict returned, got a "
                f"{type(state).__name__}."
            )
        missing = [k for k in ("method", "center", "scale") if k not in state]
        if missing:
            raise ValueError(
                f"the scaler's saved statistics are damaged: the dict lacks "
                f"{missing}. Pass the dict that Scaler.to_dict returned."
            )
        scaler = cls(state["method"])
        try:
            center = np.array(state["center"], dtype="float64")
            scale = np.array(state["scale"], dtype="float64")
        except (TypeError, ValueError):
            raise ValueError(
                "the scaler's saved statistics are damaged (center and scale "
                "must be lists of numbers)."
            ) from None
        if center.shape != scale.shape or center.ndim != 1 or not (
                np.isfinite(center).all() and np.isfinite(scale).all()
                and (scale > 0).all()):
            raise ValueError(
                "the scaler's saved statistics are damaged (they must be "
                "finite lists of equal length, with positive scales)."
            )
        if state.get("ndim", 1) == 0:
            center, scale = center[0], scale[0]
        scaler.center_, scaler.scale_ = center, scale
        return scaler

    def __repr__(self) -> str:
        state = "unfitted" if self.center_ is None else "fitted"
        return f"Scaler(method={self.method!r}, {state})"
