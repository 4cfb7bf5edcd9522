"""The known-inputs study (benchmarks/known_inputs.py): its stored tables
agree with each other and with the script, and one fold is recomputed
live."""

import numpy as np
import pandas as pd
import pytest
from benchmark_script import benchmark

import lstmbook as lb
from keras_float import keras_float

study = benchmark("known_inputs")


@pytest.fixture(scope="module")
def tables():
    return {name: lb.load_results(f"known_inputs{suffix}") for name, suffix
            in (("steps", ""), ("folds", "_folds"), ("summary", "_summary"),
                ("tests", "_tests"), ("validation", "_validation"))}


def test_every_method_is_scored_on_the_studys_folds(tables):
    steps = tables["steps"]
    for name in study.DATASETS:
        folds = study.SETTINGS[name]["folds"]
        mine = steps[steps["dataset"] == name]
        assert set(mine["method"]) == set(study.METHODS), name
        per_method = mine.groupby("method")
        assert (per_method["origin"].nunique() == folds["n_origins"]).all()
        assert (per_method["step"].max() == folds["horizon"]).all()
        assert str(mine["origin"].min()) == str(study.FIRST_ORIGIN[name])
        # the actual values are the data's, after each origin
        data = study.load(name)[study.SETTINGS[name]["target"]]
        dates = mine["date"].astype(str)
        index = data.index.astype(str).str[:10]
        assert np.allclose(mine["actual"],
                           data.to_numpy()[index.get_indexer(dates)])
    assert np.isfinite(steps["forecast"]).all()


def test_the_tables_agree_with_each_other(tables):
    steps, folds, summary, tests = (tables[k] for k in
                                    ("steps", "folds", "summary", "tests"))
    forecast_rows = folds[folds["seed"].isna()
                          | folds["seed"].astype(str).isin(["mean"])]
    if not (folds["seed"].astype(str) == "mean").any():  # one seed
        forecast_rows = folds
    by_fold = forecast_rows.groupby(["dataset", "method"])["MASE"].mean()
    mean = summary.set_index(["dataset", "method"])["MASE"]
    for key, value in mean.items():
        assert by_fold[key] == pytest.approx(value, abs=2e-6), key
        rows = steps[(steps["dataset"] == key[0])
                     & (steps["method"] == key[1])]
        errors = (rows["forecast"] - rows["actual"]).abs() / rows["scale"]
        assert errors.mean() == pytest.approx(value, abs=2e-5), key
    for row in tests.itertuples():
        assert row.MASE_a == pytest.approx(mean[row.dataset, row.a],
                                           abs=2e-6)
        assert row.difference == pytest.approx(row.MASE_a - row.MASE_b,
                                               abs=2e-6)
        if not pd.isna(row.p_value):
            assert 0 <= row.p_value <= 1 and row.low <= row.difference \
                <= row.high
    assert set(tables["validation"]["variant"]) == set(study.VALIDATION)


def test_one_fold_recomputed_live(tables):
    """Promotions, the MIMO LSTM with known inputs, the course's split."""
    name, method = "promotions", "lstm_known"
    s = study.SETTINGS[name]
    data = study.load(name)
    h, t = s["folds"]["horizon"], 143
    with keras_float("float64"):
        model = study.lstm(name, method, study.SEEDS[0])
        forecast = model(data.iloc[:t], future=data[s["known"]].iloc[t:t + h])
    y = data[s["target"]]
    live = lb.mase(y.iloc[t:t + h], forecast, y.iloc[:t],
                   s["folds"]["season"])
    folds = tables["folds"]
    stored = folds[(folds["dataset"] == name) & (folds["method"] == method)
                   & (folds["origin"].astype(str) == str(data.index[t]))
                   & (folds["seed"].astype(str).str.startswith(
                       str(study.SEEDS[0])))]
    assert len(stored) == 1
    assert live == pytest.approx(float(stored["MASE"].iloc[0]), rel=1e-4)
