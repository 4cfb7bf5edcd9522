"""Forecast combinations: several forecasters, one forecast.

Averaging the forecasts of different models is one of the most reliable
gains in forecasting: the M competitions found combinations hard to beat,
and N-BEATS reached its accuracy as the median of many networks that
differ in their seed and in how much history they read. A model's error
partly comes from the accidents of its own training; members that differ
make different accidents, and the median keeps what they agree on while
ignoring the one member that went astray.

:class:`MedianEnsemble` holds any forecasters that share the same
``fit(data)`` / ``predict(data=None)`` interface (e.g. several
:class:`~lstmbook.panel.GlobalLSTMForecaster`, one per input length and
seed) and forecasts with the median of theirs.

Chapter: "Competition scale".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MedianEnsemble"]


class MedianEnsemble:
    """The median forecast of several forecasters fitted on the same data.

    ``members`` are forecasters with ``fit(data)`` and ``predict(data=None)``
    methods whose forecasts have the same shape and labels: all for one
    series (pandas Series or arrays) or all for one panel (DataFrames).
    ``fit`` trains each in turn; ``predict`` returns the element-wise
    median of their forecasts, with the first member's labels, and
    :meth:`predict_members` each member's own. With an even number of
    members the median is the mean of the two middle values.

    Like every forecaster of the book, ``ensemble(data)`` fits and returns
    the forecast, so a backtest can refit it at every origin.

    Chapter: "Competition scale".
    """

    def __init__(self, members):
        members = list(members) if not isinstance(members, (str, bytes)) \
            else None
        if not members:
            raise ValueError(
                "members must be a non-empty list of forecasters, e.g. "
                "[GlobalLSTMForecaster(18, n, seeds=s) for n in (12, 24) "
                "for s in (0, 1)]."
            )
        for k, member in enumerate(members):
            if not (callable(getattr(member, "fit", None))
                    and callable(getattr(member, "predict", None))):
                raise TypeError(
                    f"member {k} ({type(member).__name__}) has no fit and "
                    "predict methods; pass forecasters such as "
                    "lstmbook.GlobalLSTMForecaster or LSTMForecaster."
                )
        if len({id(m) for m in members}) != len(members):
            raise ValueError("the same forecaster object appears twice in "
                             "members; make one object per member.")
        self.members = members

    def fit(self, data):
        """Fit every member on ``data``; returns ``self``."""
        for member in self.members:
            member.fit(data)
        return self

    def predict_members(self, data=None) -> list:
        """Each member's forecast, in the order of ``members``."""
        return [member.predict(data) for member in self.members]

    def predict(self, data=None):
        """The median of the members' forecasts, labelled as the first's."""
        forecasts = self.predict_members(data)
        shapes = {np.shape(f) for f in forecasts}
        if len(shapes) != 1:
            raise ValueError(
                f"the members' forecasts have different shapes {shapes}; "
                "every member must forecast the same horizon and series."
            )
        median = np.median(np.stack([np.asarray(f, dtype="float64")
                                     for f in forecasts]), axis=0)
        first = forecasts[0]
        if isinstance(first, pd.DataFrame):
            return pd.DataFrame(median, index=first.index,
                                columns=first.columns)
        if isinstance(first, pd.Series):
            return pd.Series(median, index=first.index, name=first.name)
        return median

    def __call__(self, data):
        return self.fit(data).predict()

    def __len__(self):
        return len(self.members)

    def __repr__(self):
        return f"MedianEnsemble({len(self.members)} members)"
