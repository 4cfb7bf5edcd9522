"""The stored study of distribution heads (benchmarks/distributions.py).

"Forecasts as distributions" shows these tables. The tests check that the
summary is the mean of the stored folds, that every method was scored on
the same forecasts, and recompute one slice live with the benchmark's own
code: the airline quantile head refitted at January 1959, forecasting from
the first three origins of 1959.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from keras_float import keras_float

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
METHODS = {"conformal", "MC dropout", "quantile", "normal", "student_t",
           "normal, recursive", "student_t, recursive",
           "seasonal naive + conformal"}
SCORES = ["winkler_80", "winkler_95", "pinball", "mase"]
CHAPTER = (Path(__file__).resolve().parents[1] / "chapters"
           / "07-beyond-point-forecasts" / "08-forecasts-as-distributions.ipynb")


@pytest.fixture(scope="module")
def script():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import distributions
    finally:
        sys.path.remove(str(BENCHMARKS))
    return distributions


@pytest.fixture(scope="module")
def tables():
    return (lb.load_results("distributions"),
            lb.load_results("distributions_folds"))


def test_every_method_is_scored_on_the_same_folds(tables):
    summary, folds = tables
    assert set(summary["dataset"]) == {"airline", "co2", "sunspots",
                                       "wineind"}
    for name, part in folds.groupby("dataset"):
        assert set(part["method"]) == METHODS, name
        origins = {m: tuple(sorted(g["origin"]))
                   for m, g in part.groupby("method")}
        assert len(set(origins.values())) == 1, name
    assert folds[SCORES].notna().all().all()
    assert folds[["covered_80", "covered_95"]].stack().between(0, 1).all()
    # scores of forecasts that are never exact: all positive
    assert (folds[SCORES] > 0).all().all()


def test_the_seeds_table_holds_seed_0s_summary_and_another_seed(tables):
    summary, _ = tables
    seeds = lb.load_results("distributions_seeds")
    assert sorted(seeds["seed"].unique()) == [0, 1]
    keys = ["dataset", "method"]
    zero = seeds[seeds["seed"] == 0].drop(columns="seed")
    pd.testing.assert_frame_equal(
        zero.sort_values(keys).reset_index(drop=True),
        summary.sort_values(keys).reset_index(drop=True), check_like=True)
    one = seeds[seeds["seed"] == 1]
    assert len(one) == len(summary)
    assert not np.allclose(one.sort_values(keys)["pinball"],
                           zero.sort_values(keys)["pinball"])


def test_summary_is_the_mean_of_the_folds(tables):
    summary, folds = tables
    means = folds.groupby(["dataset", "method"])[
        ["covered_80", "covered_95", *SCORES]].mean()
    for row in summary.itertuples():
        mean = means.loc[(row.dataset, row.method)]
        assert row.coverage_80 == pytest.approx(mean["covered_80"], abs=2e-6)
        assert row.coverage_95 == pytest.approx(mean["covered_95"], abs=2e-6)
        for score in SCORES:
            assert getattr(row, score) == pytest.approx(mean[score],
                                                        abs=2e-6)
        assert row.folds == len(folds[(folds["dataset"] == row.dataset)
                                      & (folds["method"] == row.method)])


def test_the_benchmark_recomputes_a_stored_slice(script, tables):
    """Three folds of the airline quantile head, live, with the study's
    refit (one fit at January 1959, as the study's refit schedule has it)
    and fold_scores, match the stored rows."""
    _, folds = tables
    y = lb.load_airline()
    horizon, settings, _, every = script.SETUPS["airline"]
    first = y.index.get_loc(pd.Timestamp("1959-01-01"))
    refit = script.refit(horizon, settings, every, "quantile")
    with keras_float("float64"):
        results = lb.backtest(y[:first + 2 + horizon], {"quantile": refit},
                              horizon, n_origins=3, step=1, season=12)
    assert refit.n_fits == 1 and refit.n_fit == first
    bands = pd.concat([refit.bands[o].assign(origin=o)
                       for o in results["origin"].unique()])
    live = script.fold_scores(script.with_bands(results, bands))
    stored = folds[(folds["dataset"] == "airline")
                   & (folds["method"] == "quantile")].set_index("origin")
    for row in live.itertuples():
        for column in ["covered_80", "covered_95", *SCORES]:
            assert getattr(row, column) == pytest.approx(
                stored.loc[row.origin, column], rel=1e-4, abs=1e-6), column
    assert np.isclose(live["mase"].mean(),
                      stored.loc[live["origin"], "mase"].mean(), rtol=1e-4)


def test_the_template_uses_the_head_chosen_on_validation(script, tables):
    """The validation folds end before the first test origin, and the head
    they choose is the one the chapter's template copies."""
    from reader_run import template_cell

    summary, folds = tables
    validation = lb.load_results("distributions_validation")
    first_test = folds.groupby("dataset")["origin"].min()
    for row in validation.itertuples():
        horizon = script.SETUPS[row.dataset][0]
        dates = lb.load_dataset(row.dataset).index
        last_target = dates[dates.get_loc(pd.Timestamp(row.last_origin))
                            + horizon - 1]
        assert str(last_target.date()) < first_test[row.dataset], row
    assert set(validation["method"]) == (
        set(script.HEADS) | {"MC dropout"})
    chosen = script.chosen_head(validation)
    _, template = template_cell(CHAPTER)
    source = "".join(template["source"])
    for key, value in script.HEADS[chosen].items():
        assert f'{key}="{value}"' in source, (key, value)


def test_the_prose_after_the_template_matches_its_output():
    """The chapter says the template's backtest intervals held fewer
    truths than their levels claim: its stored output (which nbval checks
    by re-running the template alone) must show that."""
    import re

    from reader_run import template_cell

    cells, template = template_cell(CHAPTER)
    text = "".join(template["outputs"][0]["text"])
    rows = re.findall(r"^(?:forecast)?\s+(0\.80|0\.95)\s+(\d\.\d+)\s",
                      text, flags=re.M)
    assert [level for level, _ in rows] == ["0.80", "0.95"], text
    for level, covered in rows:
        assert float(covered) < float(level), text
    prose = "".join(cells[cells.index(template) + 1]["source"])  # after it
    assert "held fewer truths than" in prose
