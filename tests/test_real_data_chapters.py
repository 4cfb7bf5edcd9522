"""Part 6, chapters 1-2: the data facts and stored results their prose uses.

The chapters "From toy to real" and "Evaluating forecasts honestly" assert
their own claims when nbval re-runs them; these tests check the inputs
those claims rest on (the shipped CO2 and airline files, the book's
evaluation protocol) and the table written by
``benchmarks/from_toy_to_real.py``, and that the script still reproduces
its own table.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from keras_float import keras_float

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = {
    "01-from-toy-to-real.ipynb": "From toy to real",
    "02-evaluating-forecasts-honestly.ipynb": "Evaluating forecasts honestly",
}


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_chapter_title_is_the_one_docstrings_name(name):
    nb = json.loads((ROOT / "chapters" / "06-real-data" / name).read_text())
    first = "".join(nb["cells"][0]["source"]).splitlines()[0]
    assert first == f"# {CHAPTERS[name]}"


def test_weekly_co2_gaps_are_as_the_chapter_describes():
    weekly = lb.load_co2(freq="W-SAT")
    assert weekly.index.freqstr == "W-SAT"
    assert len(weekly) == 2284 and int(weekly.isna().sum()) == 59
    monthly = weekly.resample("MS").mean()
    empty = [f"{d:%Y-%m}" for d in monthly.index[monthly.isna()]]
    assert len(monthly) == 526
    assert empty == ["1958-06", "1958-10", "1964-02", "1964-03", "1964-04"]


def test_load_co2_is_the_weekly_means_interpolated_in_time():
    weekly = lb.load_co2(freq="W-SAT")
    by_hand = weekly.resample("MS").mean().interpolate("time")
    pd.testing.assert_series_equal(by_hand, lb.load_co2())
    # an empty month between two measured ones gets the straight line
    before, after = by_hand["1958-05-01"], by_hand["1958-07-01"]
    assert by_hand["1958-06-01"] == pytest.approx((before + after) / 2,
                                                  rel=1e-3)


def test_airline_split_and_minmax_scaler_of_the_chapter():
    airline = lb.load_airline()
    train, val, test = lb.chronological_split(airline, 12, 12)
    assert (f"{train.index[-1]:%Y-%m}", f"{val.index[0]:%Y-%m}",
            f"{test.index[0]:%Y-%m}") == ("1958-12", "1959-01", "1960-01")
    honest = lb.Scaler("minmax").fit(train)
    leaky = lb.Scaler("minmax").fit(airline)
    assert (honest.center_, honest.center_ + honest.scale_) == (104, 505)
    assert (leaky.center_, leaky.center_ + leaky.scale_) == (104, 622)
    assert honest.transform(test).max() == pytest.approx(518 / 401)
    assert leaky.transform(test).max() == 1.0


def test_protocol_reference_numbers_for_airline_baselines():
    airline = lb.load_airline()
    forecasters = {
        "seasonal naive": lambda h: lb.seasonal_naive_forecast(h, 12, 12),
        "naive": lambda h: lb.naive_forecast(h, 12),
    }
    results = lb.backtest(airline, forecasters, 12, season=12)
    summary = lb.summarize(results)
    assert results["origin"].nunique() == 10
    assert summary.loc["seasonal naive", "MASE"] == pytest.approx(1.365,
                                                                  abs=5e-4)
    assert summary.index[0] == "seasonal naive"


@pytest.fixture(scope="module")
def stored():
    return lb.load_results("from_toy_to_real")


def test_stored_table_is_well_formed(stored):
    assert list(stored.columns) == ["experiment", "setting", "n_steps_in",
                                    "seed", "val_mae", "test_mae", "epochs",
                                    "units"]
    counts = stored.groupby(["experiment", "setting"]).size()
    assert counts["scaler"].to_dict() == {"honest": 10, "leaky": 10}
    assert counts["window"].to_dict() == {"12": 5, "24": 5, "3": 5, "6": 5}
    assert stored[["val_mae", "test_mae"]].gt(0).all().all()
    # the honest scaler with 12 steps is the same run in both experiments
    scaler = stored[(stored.experiment == "scaler")
                    & (stored.setting == "honest")].set_index("seed")
    window = stored[(stored.experiment == "window")
                    & (stored.n_steps_in == 12)].set_index("seed")
    pd.testing.assert_frame_equal(
        scaler.loc[window.index, ["val_mae", "test_mae"]],
        window[["val_mae", "test_mae"]])


def test_stored_leak_flatters_the_test_error(stored):
    leak = (stored[stored.experiment == "scaler"]
            .pivot(index="seed", columns="setting", values="test_mae"))
    assert (leak["leaky"] < leak["honest"]).sum() >= 8
    assert leak["leaky"].mean() < leak["honest"].mean()


def test_stored_window_of_a_season_beats_shorter_windows(stored):
    val = (stored[stored.experiment == "window"]
           .pivot(index="seed", columns="n_steps_in", values="val_mae"))
    assert (val.idxmax(axis=1) == 3).all()
    assert (val[12] < val[6]).all()
    assert val.mean().idxmin() == 12


def test_every_stored_first_lstm_loses_to_seasonal_naive(stored):
    """The chapter's honest result is not one unlucky seed."""
    airline = lb.load_airline()
    train, val, test = lb.chronological_split(airline, 12, 12)
    snaive = lb.seasonal_naive_forecast(pd.concat([train, val]), 12, 12)
    honest = stored[(stored.experiment == "scaler")
                    & (stored.setting == "honest")]
    assert (honest["test_mae"] > lb.mae(test, snaive)).all()


def test_benchmark_script_reproduces_its_stored_row(stored):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from from_toy_to_real import first_lstm
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    with keras_float("float64"):
        val_mae, test_mae = first_lstm(n_steps_in=12, leaky=False, seed=0)
    row = stored[(stored.experiment == "scaler")
                 & (stored.setting == "honest") & (stored.seed == 0)]
    # to the stored precision: the script rounds to 4 decimals
    assert round(val_mae, 4) == row["val_mae"].iloc[0], val_mae
    assert round(test_mae, 4) == row["test_mae"].iloc[0], test_mae
    assert np.isfinite([val_mae, test_mae]).all()
