"""Dates: the calendar a forecast continues, and a regular calendar for
messy data.

Chapter: "Forecasting the future" (:func:`future_index`); "Your own data"
(:func:`regularize`).
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from ._checks import check_count, check_dates, check_steps

__all__ = ["future_index", "regularize"]


def _time_index(data, name: str) -> pd.DatetimeIndex:
    index = getattr(data, "index", data)
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(
            f"{name} needs dates: pass a pandas Series/DataFrame with a "
            f"DatetimeIndex (got an index of type {type(index).__name__}). "
            "Read your CSV with pd.read_csv(..., parse_dates=['date'], "
            "index_col='date')."
        )
    return index


def future_index(data, horizon: int) -> pd.DatetimeIndex:
    """The ``horizon`` dates that follow the last date of ``data``.

    ``data`` is a Series/DataFrame with a ``DatetimeIndex`` (or the index
    itself). The step is the index's ``freq``, or the frequency pandas can
    infer from the dates; a forecast indexed by these dates continues the
    series' own calendar (months stay month starts, etc.).

    Chapter: "Forecasting the future".
    """
    horizon = check_steps(horizon, "horizon")
    index = _time_index(data, "future_index")
    if len(index) == 0:
        raise ValueError(
            "the series has no dates, so there is no last date to continue "
            "from; pass the series the forecast follows."
        )
    if not index.is_monotonic_increasing:  # newest first, or repeated dates
        check_dates(index, "series")
    freq = index.freq
    if freq is None and len(index) >= 3:
        inferred = pd.infer_freq(index)
        freq = pd.tseries.frequencies.to_offset(inferred) if inferred else None
    if freq is None:
        raise ValueError(
            "the dates of this series have no regular frequency, so the "
            "future dates are not defined. Resample it first, e.g. "
            "lstmbook.regularize(series, freq='D') or "
            "series.asfreq('MS')."
        )
    return pd.date_range(index[-1] + freq, periods=horizon, freq=freq,
                         name=index.name)


def regularize(data, freq: str, how: str = "mean",
               fill: str = "interpolate", max_gap: int | None = None):
    """Put a dated series on a regular calendar and fill its gaps.

    Sorts by date, drops exact duplicate timestamps (keeping the last),
    resamples to ``freq`` (aggregating with ``how``: ``"mean"``, ``"sum"``,
    ``"last"``, ...), then fills the periods with no value: ``"interpolate"``
    (linear in time), ``"ffill"`` (carry the last value forward) or
    ``"none"`` (leave ``NaN``). ``max_gap`` refuses to invent more than that
    many consecutive periods: a longer gap raises ``ValueError`` naming it.
    Non-numeric columns are refused (drop or encode them first).

    Chapter: "Your own data".
    """
    index = _time_index(data, "regularize")
    if isinstance(data, pd.DataFrame):
        bad = [c for c in data.columns
               if not pd.api.types.is_numeric_dtype(data[c])]
        if bad:
            raise TypeError(
                f"columns {bad} are not numeric; drop them or convert them "
                "(pd.to_numeric) before regularize."
            )
    elif not pd.api.types.is_numeric_dtype(data):
        raise TypeError("the series is not numeric; convert it with "
                        "pd.to_numeric first.")
    if not isinstance(freq, (str, pd.DateOffset, datetime.timedelta,
                             np.timedelta64)):
        raise TypeError(
            f"freq must be a pandas frequency string such as 'D', 'W', 'MS' "
            f"or 'h' (or a pd.DateOffset), got {freq!r} of type "
            f"{type(freq).__name__}."
        )
    if max_gap is not None:
        max_gap = check_count(max_gap, "max_gap")
    if not isinstance(fill, str) or fill not in ("interpolate", "ffill",
                                                 "none"):
        raise ValueError(
            f"fill must be 'interpolate', 'ffill' or 'none', got {fill!r}."
        )
    data = data[~index.duplicated(keep="last")].sort_index()
    try:
        resampled = data.resample(freq).agg(how)
    except (ValueError, AttributeError, TypeError) as err:
        raise ValueError(
            f"could not resample to freq={freq!r} with how={how!r} ({err}). "
            "Use a pandas frequency such as 'D', 'W', 'MS', 'h'."
        ) from None
    missing = resampled.isna()
    if isinstance(missing, pd.DataFrame):
        missing = missing.any(axis=1)
    if max_gap is not None and missing.any():
        runs = missing.ne(missing.shift()).cumsum()[missing]
        longest = runs.value_counts().max()
        if longest > max_gap:
            first = runs.value_counts().idxmax()
            start = runs[runs == first].index[0]
            raise ValueError(
                f"the data has a gap of {longest} periods starting "
                f"{start.date()}, longer than max_gap={max_gap}. Filling it "
                "would invent data: shorten the series to after the gap, "
                "or raise max_gap if that is what you want."
            )
    if fill == "interpolate":
        resampled = resampled.interpolate("time", limit_area="inside")
        resampled = resampled.bfill().ffill()  # the ends, if still empty
    elif fill == "ffill":
        resampled = resampled.ffill().bfill()
    resampled.index.name = index.name
    return resampled

