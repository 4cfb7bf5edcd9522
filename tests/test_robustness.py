"""The robustness study (benchmarks/robustness.py): its stored tables agree
with each other and with the script's sample, and one fold is recomputed
live."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from benchmark_script import benchmark

import lstmbook as lb
from keras_float import keras_float

robustness = benchmark("robustness")


@pytest.fixture(scope="module")
def folds():
    return lb.load_results("robustness_folds")


@pytest.fixture(scope="module")
def choices():
    return lb.load_results("robustness_choices")


def test_the_sample_is_the_scripts_and_leaves_out_the_development_series(
        folds):
    drawn = robustness.draws(robustness.SAMPLE_SEED,
                             exclude=robustness.draws(robustness.DEV_SEED))
    dev = robustness.draws(robustness.DEV_SEED)
    sample = folds[folds["group"] != "book"]
    for group, names in drawn.items():
        assert len(names) == robustness.PER_SUBSET
        assert not set(names) & set(dev[group])
        stored = set(sample.loc[sample["group"] == group, "series"])
        assert stored == set(names), group
    book = folds[folds["group"] == "book"]
    assert set(book["series"]) == set(robustness.BOOK)


def test_every_method_is_scored_at_every_origin(folds):
    for (group, name), table in folds.groupby(["group", "series"]):
        origins = table["origin"].nunique()
        n = (robustness.N_BOOK_ORIGINS if group == "book"
             else robustness.N_TEST_ORIGINS)
        assert origins == n, name
        counts = table.groupby("method")["origin"].nunique()
        for method in (*robustness.REFERENCES, robustness.RECIPE,
                       "ETS + Theta, equal weights"):
            assert counts[method] == n, (name, method)
        # the LSTM parts exist wherever the recipe validated an LSTM
        assert counts.drop(list(robustness.REFERENCES) + ["recipe"]).le(
            n).all()
    scores = folds[["MASE", "sMAPE"]].to_numpy()
    assert np.isfinite(scores).all() and (scores >= 0).all()


def test_the_summaries_follow_from_the_folds(folds):
    key = ["series_set", "method"]
    stored = lb.load_results("robustness").set_index(key)
    again = robustness.summary(folds).set_index(key)
    assert set(stored.index) == set(again.index)
    numbers = stored.select_dtypes("number").columns
    pd.testing.assert_frame_equal(stored[numbers].sort_index(),
                                  again[numbers].sort_index(),
                                  atol=1e-5, check_dtype=False)
    book = lb.load_results("robustness_book")
    book_again = robustness.book_summary(folds)
    np.testing.assert_allclose(book["MASE"], book_again["MASE"], atol=1e-5)
    # the stored folds are rounded to 6 decimals: p-values move a little
    np.testing.assert_allclose(book["p_value"].fillna(-1),
                               book_again["p_value"].fillna(-1), atol=1e-3)


def test_the_choices_match_the_weights(choices):
    for _, row in choices.iterrows():
        weights = dict(re.findall(r"([A-Za-z][\w ]*?)=([\d.]+)",
                                  row["weights"]))
        assert sum(map(float, weights.values())) == pytest.approx(1, abs=2e-3)
        has_lstm = isinstance(row["lstm_settings"], str)
        assert ("LSTM" in weights) == (has_lstm and not row["lstm_left_out"])
        assert ("seasonal naive" in weights) == row["seasonal_naive_joined"]
        if "LSTM" in weights:  # the safeguard let it in
            assert row["val_MASE LSTM"] < row["val_MASE seasonal naive"]


def test_one_fold_recomputed_live(folds):
    """The last origin of the shortest sample series with an LSTM in its
    recipe: every method's MASE as stored."""
    items = {item[1]: item for item in robustness.sample()}
    parts = folds[folds["method"] == "LSTM, best 2 settings (ensemble)"]
    lengths = {name: len(items[name][2]) for name in parts["series"]
               if name in items}
    name = min(lengths, key=lengths.get)
    group, _, series, horizon, season, n_origins = items[name]
    t = int(lb.rolling_origins(len(series), horizon, n_origins)[-1])
    with keras_float("float64"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, _ = robustness.forecasts_at(series.iloc[:t], horizon, season)
    actual = series.to_numpy()[t:t + horizon]
    stored = folds[(folds["series"] == name) & (folds["origin"] == t)]
    stored = stored.set_index("method")["MASE"]
    for method, forecast in out.items():
        live = lb.mase(actual, forecast, series.to_numpy()[:t], season)
        assert live == pytest.approx(stored[method], rel=1e-4), method


def test_the_development_run_is_the_one_the_script_describes():
    """The first version's rows: 20 development series, none in the
    sample, and the fall-backs to seasonal naive that the script's
    docstring quotes (6 of 40 origins, MASE 0.82 against AutoETS 0.64)."""
    dev = lb.load_results("robustness_development")
    drawn = robustness.draws(robustness.DEV_SEED)
    assert dev["series"].nunique() == 20
    for group, table in dev.groupby("group"):
        assert set(table["series"]) <= set(drawn[group])
    assert len(dev[["series", "origin"]].drop_duplicates()) == 40
    fell_back = dev[dev["weights"] == "seasonal naive=1.000"].pivot_table(
        index=["series", "origin"], columns="method", values="MASE")
    assert len(fell_back) == 6
    assert fell_back["recipe"].mean() == pytest.approx(0.82, abs=0.005)
    assert fell_back["AutoETS"].mean() == pytest.approx(0.64, abs=0.005)
    assert "0.82" in robustness.__doc__ and "0.64" in robustness.__doc__
