"""The stored studies of known and static inputs in the global model.

``benchmarks/global_known.py`` (the road-casualty panel and the seat-belt
law) and ``benchmarks/global_static.py`` (the M3 categories): their
tables agree with each other, every method is scored on the same folds,
and a slice is recomputed here from the data (the classical methods of
one fold; Naive2's scores of a few M3 series). The chapter "Inputs known
in advance" recomputes one LSTM fold live.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import global_known  # noqa: E402
import global_static  # noqa: E402


@pytest.fixture(scope="module")
def known_tables():
    return lb.load_results("global_known"), lb.load_results(
        "global_known_folds")


def test_every_method_is_scored_on_the_same_folds(known_tables):
    _, folds = known_tables
    origins = sorted(folds["origin"].unique())
    assert origins[0].startswith(global_known.FIRST_ORIGIN)
    assert len(origins) == global_known.N_ORIGINS
    for (method, seed), part in folds.groupby(["method", "seed"],
                                              dropna=False):
        assert sorted(part["origin"].unique()) == origins, method
        assert sorted(part["series"].unique()) == global_known.SERIES
    lstm = folds[folds["seed"].notna()]
    assert set(lstm["method"]) == set(global_known.LSTM_METHODS)
    assert sorted(lstm["seed"].unique()) == list(global_known.SEEDS)


def test_the_summary_is_the_mean_of_the_folds(known_tables):
    summary, folds = known_tables
    again = global_known.summary(folds)
    pd.testing.assert_frame_equal(
        again.reset_index(drop=True),
        summary[again.columns].reset_index(drop=True),
        check_dtype=False, check_exact=False, atol=2e-6)


def test_the_classical_methods_of_one_fold_are_recomputed(known_tables):
    _, folds = known_tables
    panel, known, static = global_known.data()
    panel = panel[["rear"]]  # each series is fitted on its own: one will do
    table = lb.backtest_panel(
        panel, {"snaive": global_known.snaive,
                "arima_x": global_known.arima_x},
        global_known.HORIZON, n_origins=1, season=global_known.SEASON,
        known=known, static=static.loc[["rear"]])
    live = lb.mase_by_series(table)
    last = folds[folds["origin"] == folds["origin"].max()]
    for method in ("snaive", "arima_x"):
        stored = last[last["method"] == method].set_index("series")["mase"]
        np.testing.assert_allclose(live[method], stored[live.index],
                                   atol=1e-5)


@pytest.fixture(scope="module")
def static_tables():
    return (lb.load_results("global_static"),
            lb.load_results("global_static_categories"),
            lb.load_results("global_static_series"))


def test_the_static_study_scores_every_series_in_both_stages(static_tables):
    summary, by_category, by_series = static_tables
    categories = lb.load_m3_categories("monthly")
    assert set(summary["stage"]) == {"validation", "test"}
    assert set(summary["variant"]) == set(global_static.VARIANTS)
    assert (summary["n_series"] == len(categories)).all()
    for (stage, variant), part in by_series.groupby(["stage", "variant"]):
        assert sorted(part["series"]) == sorted(categories.index)
        counts = by_category[(by_category["stage"] == stage)
                             & (by_category["variant"] == variant)]
        assert dict(zip(counts["category"], counts["n_series"])) == \
            categories.value_counts().to_dict()


def test_the_summaries_follow_from_the_series(static_tables):
    summary, by_category, by_series = static_tables
    categories = lb.load_m3_categories("monthly")
    medians = summary[summary["members"] == "median of 3"]
    for _, row in medians.iterrows():
        part = by_series[(by_series["stage"] == row["stage"])
                         & (by_series["variant"] == row["variant"])]
        again = global_static.owa(part.to_dict("records"))
        assert again["OWA"] == pytest.approx(row["OWA"], abs=1e-5)
        for category, rows in part.groupby(
                part["series"].map(categories)):
            stored = by_category[(by_category["stage"] == row["stage"])
                                 & (by_category["variant"] == row["variant"])
                                 & (by_category["category"] == category)]
            assert global_static.owa(rows.to_dict("records"))["OWA"] == \
                pytest.approx(stored["OWA"].item(), abs=1e-5)


def test_naive2_is_recomputed_for_a_few_series(static_tables):
    _, _, by_series = static_tables
    train, truth = global_static.panels(global_static.SUBSET, "test")
    stored = by_series[(by_series["stage"] == "test")
                       & (by_series["variant"] == "category")].set_index(
                           "series")
    names = list(train.columns[::300])
    forecast = pd.DataFrame({name: np.zeros(len(truth)) for name in names},
                            index=truth.index)
    rows = global_static.score(global_static.SUBSET, train[names],
                               truth[names], forecast)
    for row in rows:
        assert row["naive2_sMAPE"] == pytest.approx(
            stored.loc[row["series"], "naive2_sMAPE"], abs=1e-4)
        assert row["naive2_MASE"] == pytest.approx(
            stored.loc[row["series"], "naive2_MASE"], abs=1e-4)
