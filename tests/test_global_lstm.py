"""The global LSTM study (benchmarks/global_lstm.py): its stored tables are
consistent, the choices it states are the ones validation made, and one
member is recomputed live."""

import numpy as np
import pytest
from benchmark_script import benchmark

import lstmbook as lb
from keras_float import keras_float

global_lstm = benchmark("global_lstm")

SUBSETS = ["M3/yearly", "M3/quarterly", "M3/monthly", "Tourism/yearly",
           "Tourism/quarterly", "Tourism/monthly"]


@pytest.fixture(scope="module")
def study():
    return lb.load_results("global_lstm")


@pytest.fixture(scope="module")
def validation():
    return lb.load_results("global_lstm_validation")


def test_the_test_table_has_every_member_ensemble_and_combination(study):
    assert set(study["stage"]) == {"test"}
    assert set(study["candidate"]) == {global_lstm.CHOSEN}
    for subset in SUBSETS:
        part = study[study["subset"] == subset].set_index("method")
        lengths = global_lstm.lengths(subset)
        members = [f"LSTM n_in={n} seed={s}" for n in lengths
                   for s in global_lstm.SEEDS]
        assert set(members + ["LSTM ensemble",
                              *global_lstm.COMBINATIONS]) == set(part.index)
        assert part.loc["LSTM ensemble", "members"] == len(members)
        assert part.loc["LSTM ensemble", "seconds"] == pytest.approx(
            part.loc[members, "seconds"].sum(), abs=0.5)
        n_series = lb.load_results("competitions").query(
            "subset == @subset")["n_series"].iloc[0]
        assert (part["n_series"] == n_series).all()
    numbers = study[["sMAPE", "MAPE", "MASE", "OWA", "seconds"]].to_numpy()
    assert np.isfinite(numbers).all() and (numbers > 0).all()


def test_the_owa_uses_the_stored_naive2(study):
    """The study's Naive2 is benchmarks/competitions.py's: the OWA it
    stored follows from its sMAPE and MASE and the stored Naive2 means."""
    bench = lb.load_results("competitions").set_index(["subset", "method"])
    for row in study.itertuples():
        naive2 = bench.loc[(row.subset, "Naive2")]
        owa = 0.5 * (row.sMAPE / naive2["sMAPE"] + row.MASE / naive2["MASE"])
        assert row.OWA == pytest.approx(owa, abs=2e-3)


def test_the_statistical_methods_match_the_competition_benchmark(study):
    """Theta, Comb and AutoETS, recomputed by the study for the
    combinations, score what benchmarks/competitions.py stored."""
    bench = lb.load_results("competitions").set_index(["subset", "method"])
    for subset in SUBSETS:
        for method in global_lstm.STATISTICAL:
            row = study[(study["subset"] == subset)
                        & (study["method"] == method)].iloc[0]
            assert row["sMAPE"] == pytest.approx(
                bench.loc[(subset, method), "sMAPE"], abs=1e-2)


def test_per_series_rows_average_to_the_summary(study):
    series = lb.load_results("global_lstm_series")
    assert set(series["method"]) == {"LSTM ensemble",
                                     *global_lstm.STORED_SERIES}
    means = series.groupby(["subset", "method"])[["sMAPE", "MASE"]].mean()
    summary = study.set_index(["subset", "method"])
    for (subset, method), row in means.iterrows():
        assert row["sMAPE"] == pytest.approx(
            summary.loc[(subset, method), "sMAPE"], abs=2e-3)
        assert row["MASE"] == pytest.approx(
            summary.loc[(subset, method), "MASE"], abs=2e-4)


def test_the_chosen_form_is_validation_s_best(validation):
    """CHOSEN is the candidate whose ensemble scored best on M3 monthly's
    validation parts, or close to it at less than half the cost."""
    assert set(validation["stage"]) == {"validation"}
    ensembles = validation[(validation["subset"] == "M3/monthly")
                           & (validation["method"] == "LSTM ensemble")]
    assert set(ensembles["candidate"]) == set(global_lstm.CANDIDATES)
    owa = ensembles.set_index("candidate")["OWA"]
    seconds = ensembles.set_index("candidate")["seconds"]
    # the chosen form is within 0.5% of the best validation OWA, and the
    # only better one costs more than twice the training time
    assert owa[global_lstm.CHOSEN] <= 1.005 * owa.min()
    for candidate in owa.index[owa < owa[global_lstm.CHOSEN]]:
        assert seconds[candidate] > 2 * seconds[global_lstm.CHOSEN]
    # the chosen form ran on every subset in validation, with the
    # statistical methods and the combinations
    chosen = validation[validation["candidate"] == global_lstm.CHOSEN]
    for subset in SUBSETS:
        methods = set(chosen[chosen["subset"] == subset]["method"])
        assert set(global_lstm.COMBINATIONS) <= methods


def test_one_member_recomputed_live(study):
    """The smallest subset's first member, trained again here (float32,
    as the script does), scores what the table stored. float32 sums may
    differ a little between CPUs, so within 2%."""
    subset = "Tourism/yearly"
    n_in = global_lstm.lengths(subset)[0]
    with keras_float("float32"):
        train, truth = global_lstm.panels(subset, "test")
        member = global_lstm.forecaster(subset, global_lstm.CHOSEN, n_in, 0)
        forecast = member.fit(train).predict()
    rows = global_lstm.score(subset, train, truth, forecast)
    stored = study[(study["subset"] == subset)
                   & (study["method"] == f"LSTM n_in={n_in} seed=0")]
    assert np.mean([r["sMAPE"] for r in rows]) == pytest.approx(
        stored["sMAPE"].iloc[0], rel=0.02)
    assert np.mean([r["MASE"] for r in rows]) == pytest.approx(
        stored["MASE"].iloc[0], rel=0.02)
