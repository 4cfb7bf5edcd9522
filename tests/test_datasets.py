"""lstmbook.datasets: shipped series, future dates, regularising a calendar."""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb

EXPECTED = {
    # name: (length, freq, first date, first value, last date, last value)
    "airline": (144, "MS", "1949-01-01", 112.0, "1960-12-01", 432.0),
    "wineind": (176, "MS", "1980-01-01", 15136.0, "1994-08-01", 23356.0),
    "sunspots": (309, "YS", "1700-01-01", 5.0, "2008-01-01", 2.9),
    "co2": (526, "MS", "1958-03-01", 316.1, "2001-12-01", None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_univariate_loaders_return_dated_series(name):
    n, freq, first, first_value, last, last_value = EXPECTED[name]
    series = lb.load_dataset(name)
    assert isinstance(series, pd.Series)
    assert isinstance(series.index, pd.DatetimeIndex)
    assert series.index.freq == pd.tseries.frequencies.to_offset(freq)
    assert len(series) == n
    assert series.index[0] == pd.Timestamp(first)
    assert series.index[-1] == pd.Timestamp(last)
    assert series.iloc[0] == pytest.approx(first_value)
    if last_value is not None:
        assert series.iloc[-1] == pytest.approx(last_value)
    assert series.notna().all()
    assert series.dtype == np.float64


def test_co2_weekly_keeps_its_gaps_and_monthly_fills_them():
    weekly = lb.load_co2("W-SAT")
    assert weekly.index.freqstr == "W-SAT"
    assert len(weekly) == 2284 and weekly.isna().sum() == 59
    monthly = lb.load_co2()
    raw_means = weekly.resample("MS").mean()
    empty = raw_means.isna()
    assert empty.sum() == 5
    # observed months are the mean of their weeks; empty ones lie between
    # their neighbours (linear interpolation in time)
    np.testing.assert_allclose(monthly[~empty], raw_means[~empty])
    for date in raw_means.index[empty]:
        i = monthly.index.get_loc(date)
        lo, hi = sorted([monthly.iloc[i - 1], monthly.iloc[i + 1]])
        assert lo - 1e-9 <= monthly.iloc[i] <= hi + 1e-9
    with pytest.raises(ValueError, match="freq must be"):
        lb.load_co2("D")


def test_seattle_weather_is_a_daily_table():
    weather = lb.load_seattle_weather()
    assert list(weather.columns) == ["precipitation", "temp_max",
                                     "temp_min", "wind"]
    assert weather.index.freqstr == "D" and len(weather) == 1461
    assert (weather["temp_max"] >= weather["temp_min"]).all()
    labelled = lb.load_seattle_weather(numeric_only=False)
    assert labelled["weather"].iloc[0] == "drizzle"


def test_catalog_names_source_and_licence_for_every_dataset():
    table = lb.list_datasets()
    assert set(table.index) == {"airline", "co2", "sunspots",
                                "seattle_weather", "wineind",
                                "us_employment", "road_casualties",
                                "promotions", "seatbelts"}
    assert (table["source"].str.len() > 20).all()
    assert (table["licence"].str.len() > 5).all()
    assert lb.season_length("airline") == 12
    assert lb.season_length("sunspots") == 1


def test_unknown_dataset_is_refused_with_the_list():
    with pytest.raises(ValueError, match="airline"):
        lb.load_dataset("passengers")
    with pytest.raises(ValueError, match="unknown dataset"):
        lb.season_length("nope")


@pytest.mark.parametrize("freq, start, expected", [
    ("MS", "2020-01-01", ["2020-04-01", "2020-05-01"]),
    ("YS", "2000-01-01", ["2003-01-01", "2004-01-01"]),
    ("D", "2020-02-27", ["2020-03-01", "2020-03-02"]),
    ("W-SAT", "2021-01-02", ["2021-01-23", "2021-01-30"]),
])
def test_future_index_continues_the_calendar(freq, start, expected):
    series = pd.Series([1.0, 2.0, 3.0],
                       index=pd.date_range(start, periods=3, freq=freq))
    future = lb.future_index(series, 2)
    assert list(future) == [pd.Timestamp(d) for d in expected]
    assert future.freq == pd.tseries.frequencies.to_offset(freq)


def test_future_index_infers_a_missing_freq_and_refuses_irregular_dates():
    dates = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"])
    assert dates.freq is None
    assert lb.future_index(dates, 1)[0] == pd.Timestamp("2020-04-01")
    irregular = pd.Series([1.0, 2, 3], index=pd.DatetimeIndex(
        ["2020-01-01", "2020-01-03", "2020-01-04"]))
    with pytest.raises(ValueError, match="regularize"):
        lb.future_index(irregular, 3)
    with pytest.raises(TypeError, match="DatetimeIndex"):
        lb.future_index(pd.Series([1.0, 2.0]), 3)
    with pytest.raises(ValueError, match="at least 1"):
        lb.future_index(dates, 0)


def test_regularize_sorts_dedupes_resamples_and_fills():
    stamps = pd.to_datetime(["2024-01-03 10:00", "2024-01-01 09:00",
                             "2024-01-01 17:00", "2024-01-05 08:00",
                             "2024-01-05 08:00"])
    series = pd.Series([30.0, 10.0, 20.0, 50.0, 70.0], index=stamps)
    daily = lb.regularize(series, "D")
    assert daily.index.freqstr == "D"
    assert list(daily.index.day) == [1, 2, 3, 4, 5]
    # Jan 1: mean of 10 and 20; Jan 5: duplicate stamp keeps the last (70)
    np.testing.assert_allclose(daily.to_numpy(), [15, 22.5, 30, 50, 70])
    carried = lb.regularize(series, "D", fill="ffill")
    np.testing.assert_allclose(carried.to_numpy(), [15, 15, 30, 30, 70])
    left = lb.regularize(series, "D", fill="none")
    assert left.isna().sum() == 2


def test_regularize_refuses_long_gaps_and_bad_input():
    index = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-09"])
    series = pd.Series([1.0, 2.0, 3.0], index=index)
    with pytest.raises(ValueError, match="gap of 6 periods starting 2024-01-03"):
        lb.regularize(series, "D", max_gap=3)
    assert len(lb.regularize(series, "D", max_gap=6)) == 9
    with pytest.raises(ValueError, match="fill must be"):
        lb.regularize(series, "D", fill="zero")
    table = pd.DataFrame({"x": [1.0, 2.0, 3.0], "label": list("abc")},
                         index=index)
    with pytest.raises(TypeError, match="label"):
        lb.regularize(table, "D")
    with pytest.raises(TypeError, match="DatetimeIndex"):
        lb.regularize(pd.Series([1.0, 2.0]), "D")
    with pytest.raises(ValueError, match="could not resample"):
        lb.regularize(series, "fortnightly")


def test_stored_results_ship_with_the_package():
    fit_table = lb.load_results("fit")
    assert len(fit_table) == 11 and "speedup" in fit_table.columns
    with pytest.raises(ValueError, match="available"):
        lb.load_results("nope")
