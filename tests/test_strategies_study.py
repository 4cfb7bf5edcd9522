"""The multi-step strategies study (benchmarks/strategies.py): its three
stored tables agree with each other and with the script, and one fold is
recomputed live."""

import numpy as np
import pytest
from benchmark_script import benchmark

import lstmbook as lb
from keras_float import keras_float

study = benchmark("strategies")
METHODS = [*study.METHODS, *study.BASELINES]


@pytest.fixture(scope="module")
def tables():
    return (lb.load_results("strategies"), lb.load_results("strategies_folds"),
            lb.load_results("strategies_summary"))


def test_every_method_is_scored_on_the_studys_folds(tables):
    steps, folds, summary = tables
    for name in study.DATASETS:
        _, protocol, _, first = study.protocol(name)
        mine = folds[folds["dataset"] == name]
        assert set(mine["method"]) == set(METHODS), name
        counts = mine.groupby("method")["origin"].nunique()
        assert (counts == protocol["n_origins"]).all(), name
        assert mine["origin"].min() == first, name
        n_steps = steps[(steps["dataset"] == name)
                        & (steps["step"] != "all")]["step"].nunique()
        assert n_steps == protocol["horizon"], name
    assert np.isfinite(folds["MASE"]).all() and (folds["MASE"] > 0).all()


def test_the_tables_agree_with_each_other(tables):
    steps, folds, summary = tables
    overall = steps[steps["step"] == "all"].set_index(
        ["dataset", "method"])["MASE"]
    by_step = steps[steps["step"] != "all"].groupby(
        ["dataset", "method"])["MASE"].mean()
    by_fold = folds.groupby(["dataset", "method"])["MASE"].mean()
    mean = summary.set_index(["dataset", "method"])["MASE"]
    for key in overall.index:
        for other in (by_step, by_fold, mean):
            assert other[key] == pytest.approx(overall[key], abs=2e-6), key
    tested = summary[summary["method"] != study.REFERENCE]
    assert tested["p_value"].between(0, 1).all()
    assert (tested["low"] <= tested["diff_mimo"]).all()
    assert (tested["diff_mimo"] <= tested["high"]).all()
    for row in tested.itertuples():  # the difference is of the two means
        assert row.diff_mimo == pytest.approx(
            mean[row.dataset, row.method]
            - mean[row.dataset, study.REFERENCE], abs=2e-6)
    lstms = summary[summary["method"].isin(study.METHODS)]
    assert (lstms["fit_s"] > 0).all()


def test_one_fold_recomputed_live(tables):
    """Sunspots, MIMO, the last origin: the stored MASE."""
    _, folds, _ = tables
    series, protocol, _, _ = study.protocol("sunspots")
    h, season = protocol["horizon"], protocol["season"]
    t = int(lb.rolling_origins(len(series), h, protocol["n_origins"])[-1])
    with keras_float("float64"):
        forecast = study.methods("sunspots", "mimo")["mimo"](series[:t])
    live = lb.mase(series.iloc[t:t + h], forecast, series.iloc[:t], season)
    stored = folds[(folds["dataset"] == "sunspots")
                   & (folds["method"] == "mimo")
                   & (folds["origin"] == str(series.index[t].date()))]
    assert len(stored) == 1
    assert live == pytest.approx(float(stored["MASE"].iloc[0]), rel=1e-4)
