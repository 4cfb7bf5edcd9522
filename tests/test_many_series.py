"""Many series: the employment panel, GlobalLSTMForecaster, panel backtests."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from keras_float import keras_float

# --- the shipped panel ---------------------------------------------------------


def test_us_employment_is_a_dated_panel_of_22_series():
    panel = lb.load_us_employment()
    assert panel.shape == (120, 22)
    assert panel.index.freqstr == "MS"
    assert panel.index[0] == pd.Timestamp("2006-01-01")
    assert panel.index[-1] == pd.Timestamp("2015-12-01")
    assert (panel.dtypes == "float64").all()
    assert not panel.isna().any().any()
    assert "nonfarm_change" not in panel.columns
    assert "trade_transportation_utilities" in panel.columns
    # the published totals add up: nonfarm = private + government
    np.testing.assert_array_equal(panel["nonfarm"],
                                  panel["private"] + panel["government"])
    # first values as published by the BLS (vega_datasets 0.9.0)
    assert panel["nonfarm"].iloc[0] == 135450
    assert panel["wholesale_trade"].iloc[0] == 5840.4


def test_us_employment_is_in_the_catalog_with_season_1():
    assert lb.season_length("us_employment") == 1
    row = lb.list_datasets().loc["us_employment"]
    assert row["rows"] == 120 and row["freq"] == "MS"
    assert "Bureau of Labor Statistics" in row["source"]
    assert "Public domain" in row["licence"]
    pd.testing.assert_frame_equal(lb.load_dataset("us_employment"),
                                  lb.load_us_employment())


# --- a small synthetic panel -----------------------------------------------------


def trend_panel(n=60, slopes=(1.0, 2.0, 3.0), noise=0.3, seed=0):
    """Noisy straight lines of different slopes and levels."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    index = pd.date_range("2000-01-01", periods=n, freq="MS")
    return pd.DataFrame(
        {f"s{i}": 100 * (i + 1) + b * t + noise * rng.standard_normal(n)
         for i, b in enumerate(slopes)}, index=index)


def test_global_forecast_is_dated_and_has_one_column_per_series():
    panel = trend_panel()
    model = lb.GlobalLSTMForecaster(horizon=4, n_steps_in=6, units=4,
                                    epochs=2)
    forecast = model.fit(panel).predict()
    assert list(forecast.columns) == ["s0", "s1", "s2"]
    assert list(forecast.index) == list(
        pd.date_range("2005-01-01", periods=4, freq="MS"))
    # one window per series and origin: 3 x (60 - 6 - 4 + 1)
    assert model.n_windows_ == 3 * 51
    # one-hot input: 1 value + 3 codes per step
    assert model.models_[0].inputs[0].shape[1:] == (6, 4)
    assert model.n_params == 4 * 4 * (4 + 4 + 1) + 4 * 4 + 4


def test_each_series_is_scaled_with_its_own_statistics():
    """A series 1000 x another one, seen without its identity, gets the
    same forecast 1000 x larger: per-series scaling makes them alike."""
    panel = trend_panel(slopes=(1.0,))
    panel["big"] = 1000 * panel["s0"] + 5
    model = lb.GlobalLSTMForecaster(4, 6, units=4, epochs=3, series_id=None)
    forecast = model.fit(panel).predict()
    np.testing.assert_allclose(model.scalers_["big"].scale_,
                               1000 * model.scalers_["s0"].scale_)
    change_small = forecast["s0"] - panel["s0"].iloc[-1]
    change_big = forecast["big"] - panel["big"].iloc[-1]
    np.testing.assert_allclose(change_big, 1000 * change_small, rtol=1e-6)


def test_global_model_beats_naive_on_trends():
    panel = trend_panel(n=80, slopes=(0.5, 1.0, 2.0, 4.0))
    train, test = panel.iloc[:-6], panel.iloc[-6:]
    lb.set_seed(0)
    model = lb.GlobalLSTMForecaster(6, 8, units=16, epochs=40,
                                    learning_rate=1e-2)
    forecast = model(train)
    naive = lb.per_series(lambda h: lb.naive_forecast(h, 6))(train)
    assert lb.mae(test, forecast) < 0.3 * lb.mae(test, naive)


def test_same_seed_same_forecast():
    panel = trend_panel()
    a = lb.GlobalLSTMForecaster(3, 6, units=4, epochs=2, seeds=(3,))(panel)
    b = lb.GlobalLSTMForecaster(3, 6, units=4, epochs=2, seeds=(3,))(panel)
    pd.testing.assert_frame_equal(a, b)


def test_cold_start_needs_a_model_without_series_codes():
    panel = trend_panel()
    new = trend_panel(slopes=(5.0,), seed=1).rename(columns={"s0": "new"})
    coded = lb.GlobalLSTMForecaster(3, 6, units=4, epochs=1).fit(panel)
    with pytest.raises(ValueError, match="series_id=None"):
        coded.predict(new)
    # a subset of known series is fine
    assert list(coded.predict(panel[["s2"]]).columns) == ["s2"]
    blind = lb.GlobalLSTMForecaster(3, 6, units=4, epochs=1,
                                    series_id=None).fit(panel)
    forecast = blind.predict(new)
    assert list(forecast.columns) == ["new"]
    assert forecast.index[0] == new.index[-1] + new.index.freq


@pytest.mark.parametrize("kwargs, error", [
    ({"series_id": "embedding"}, ValueError),
    ({"normalize": "mean"}, ValueError),
    ({"learning_rate": 0}, ValueError),
    ({"units": 0}, ValueError),
    ({"seeds": ()}, ValueError),
])
def test_bad_settings_are_refused(kwargs, error):
    with pytest.raises(error):
        lb.GlobalLSTMForecaster(3, 6, **kwargs)


def test_bad_panels_are_refused():
    model = lb.GlobalLSTMForecaster(3, 6, units=4, epochs=1)
    with pytest.raises(TypeError, match="DataFrame"):
        model.fit(trend_panel()["s0"])
    with pytest.raises(ValueError, match="one window needs 9"):
        model.fit(trend_panel(n=8))
    gappy = trend_panel()
    gappy.iloc[5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.fit(gappy)
    with pytest.raises(ValueError, match="not fitted"):
        model.predict()


# --- per_series, backtest_panel, mase_by_series ---------------------------------


def lines(n=40):
    index = pd.date_range("2010-01-01", periods=n, freq="MS")
    t = np.arange(n, dtype=float)
    return pd.DataFrame({"a": 10 + 2 * t, "b": 500 - 3 * t}, index=index)


def test_per_series_applies_a_forecaster_to_each_column():
    panel = lines()
    naive = lb.per_series(lambda h: lb.naive_forecast(h, 3))(panel)
    assert list(naive.columns) == ["a", "b"]
    np.testing.assert_array_equal(naive["a"], [88.0] * 3)
    np.testing.assert_array_equal(naive["b"], [383.0] * 3)
    assert naive.index[0] == pd.Timestamp("2013-05-01")
    with pytest.raises(TypeError, match="callable"):
        lb.per_series("naive")


def test_backtest_panel_on_straight_lines_by_hand():
    """Naive on a line of slope b misses by b, 2b, ... hb: MAE b(h+1)/2, and
    the MASE scale (mean |change|) is b, so MASE = (h+1)/2. Drift is exact."""
    h = 4
    results = lb.backtest_panel(lines(), {
        "naive": lb.per_series(lambda s: lb.naive_forecast(s, h)),
        "drift": lb.per_series(lambda s: lb.drift_forecast(s, h)),
    }, horizon=h, n_origins=3)
    assert len(results) == 2 * 2 * 3 * h
    assert list(results.columns) == [
        "method", "series", "origin", "step", "date", "actual", "forecast",
        "error", "scale", "seconds"]
    naive_a = results.query("method == 'naive' and series == 'a'")
    np.testing.assert_allclose(naive_a["error"], np.tile(
        [-2.0, -4.0, -6.0, -8.0], 3))
    assert set(results.query("series == 'b'")["scale"]) == {3.0}
    scores = lb.mase_by_series(results)
    np.testing.assert_allclose(scores["naive"], [2.5, 2.5])
    np.testing.assert_allclose(scores["drift"], [0.0, 0.0], atol=1e-9)
    # seconds: one value per method and origin
    assert (results.groupby(["method", "origin"])["seconds"].nunique()
            == 1).all()
    assert (results["seconds"] >= 0).all()


def test_mase_by_series_agrees_with_summarize_for_one_series():
    h = 3
    panel = lines() + np.sin(np.arange(40))[:, None] * 5
    results = lb.backtest_panel(panel, {
        "naive": lb.per_series(lambda s: lb.naive_forecast(s, h))},
        horizon=h, n_origins=4)
    one = lb.summarize(results[results["series"] == "b"])
    assert lb.mase_by_series(results).loc["b", "naive"] == pytest.approx(
        one.loc["naive", "MASE"])


def test_backtest_panel_refuses_bad_forecasts():
    panel = lines()
    with pytest.raises(TypeError, match="dict"):
        lb.backtest_panel(panel, [], horizon=2)
    with pytest.raises(ValueError, match="shape"):
        lb.backtest_panel(panel, {"short": lambda p: np.zeros((1, 2))},
                          horizon=2, n_origins=2)
    with pytest.raises(ValueError, match=r"\['b'\]"):
        lb.backtest_panel(panel, {"half": lambda p: p[["a"]].iloc[-2:]},
                          horizon=2, n_origins=2)
    with pytest.raises(TypeError, match="backtest_panel"):
        lb.mase_by_series(pd.DataFrame({"x": [1]}))


# --- the stored study (benchmarks/many_series.py) ------------------------------


def test_stored_many_series_study_is_well_formed():
    study = lb.load_results("many_series")
    assert list(study.columns) == ["scenario", "method", "series", "origin",
                                   "mae", "mase", "seconds"]
    panel = lb.load_us_employment()
    assert set(study["series"]) == set(panel.columns)
    origins = sorted(study["origin"].unique())
    assert origins == ["2013-01", "2013-07", "2014-01", "2014-07",
                       "2015-01"]
    methods = study.groupby("scenario")["method"].unique().map(set)
    lstms = {"local LSTM", "global LSTM", "global LSTM, no id"}
    simple = {"naive", "drift", "AutoETS", "Theta"}
    assert methods["full history"] == simple | lstms
    assert methods["36 months"] == simple | lstms
    assert methods["cold start"] == simple | {"global LSTM, no id"}
    # one row per scenario, method, series and origin: every method has
    # every series at every origin
    assert not study.duplicated(["scenario", "method", "series",
                                 "origin"]).any()
    assert len(study) == (7 + 7 + 5) * 22 * 5
    cells = study.groupby(["scenario", "method"])[["series", "origin"]]
    assert (cells.nunique() == [22, 5]).all().all()
    assert (cells.size() == 22 * 5).all()
    assert (study["mase"] > 0).all() and (study["mae"] > 0).all()
    # rows in the order a full run writes them (scenario, origin, method)
    scenario_order = list(dict.fromkeys(study["scenario"]))
    assert scenario_order == ["full history", "36 months", "cold start"]
    for scenario, rows in study.groupby("scenario", sort=False):
        assert rows["origin"].is_monotonic_increasing
        assert list(dict.fromkeys(rows["method"]))[:4] == [
            "naive", "drift", "AutoETS", "Theta"]
    # the LSTMs beat the naive forecast overall, with full history
    score = study.groupby(["scenario", "method"])["mase"].mean()
    for method in lstms:
        assert score["full history", method] < score["full history",
                                                     "naive"]
    # the chapter's headline: with 36 months, drift and AutoETS are ahead
    # of every LSTM; Theta (half the slope) is not
    for method in lstms:
        assert score["36 months", "AutoETS"] < score["36 months", method]
        assert score["36 months", "drift"] < score["36 months", method]
        assert score["36 months", "Theta"] > score["36 months", method]


def test_the_benchmark_recomputes_its_stored_baseline_rows():
    """The naive and drift rows of every scenario (330 folds), recomputed
    live with benchmarks/many_series.py's own forecasters and protocol:
    MAE and MASE equal the stored ones to the stored 6 decimals. (The
    stored-table test above only reads the CSV.)"""
    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        import many_series as benchmark
    finally:
        sys.path.remove(str(benchmarks))
    study = lb.load_results("many_series")
    panel = lb.load_us_employment()
    for scenario, forecasters in benchmark.scenarios():
        baselines = {m: forecasters[m] for m in ("naive", "drift")}
        results = lb.backtest_panel(
            panel, baselines, benchmark.HORIZON,
            n_origins=benchmark.N_ORIGINS,
            season=lb.season_length("us_employment"))
        folds = (results.assign(abs_error=results["error"].abs())
                 .groupby(["method", "series", "origin"])
                 .agg(mae=("abs_error", "mean"), scale=("scale", "first"))
                 .reset_index())
        folds["origin"] = folds["origin"].dt.strftime("%Y-%m")
        stored = study[(study["scenario"] == scenario)
                       & study["method"].isin(list(baselines))]
        merged = folds.merge(stored, on=["method", "series", "origin"],
                             suffixes=("", "_stored"), validate="1:1")
        assert len(merged) == len(folds) == len(stored) == 2 * 22 * 5
        # rounded as the benchmark rounds (Python's round)
        assert (merged["mae"].map(lambda v: round(v, 6))
                == merged["mae_stored"]).all()
        assert ((merged["mae"] / merged["scale"]).map(lambda v: round(v, 6))
                == merged["mase"]).all()


def many_series_benchmark():
    """benchmarks/many_series.py, imported as a module."""
    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        import many_series as benchmark
    finally:
        sys.path.remove(str(benchmarks))
    return benchmark


def test_the_benchmark_recomputes_its_stored_statistical_rows():
    """The AutoETS and Theta rows at the last origin (2015-01), in every
    scenario (each with its own history: all, 36 or 24 months), for all 22
    series, recomputed live with the benchmark's own forecasters: MASE
    equal to the stored one to the stored 6 decimals."""
    pytest.importorskip("statsforecast")
    benchmark = many_series_benchmark()
    study = lb.load_results("many_series")
    panel = lb.load_us_employment()
    for scenario, forecasters in benchmark.scenarios():
        statistical = {m: forecasters[m] for m in ("AutoETS", "Theta")}
        results = lb.backtest_panel(
            panel, statistical, benchmark.HORIZON, n_origins=1,
            season=lb.season_length("us_employment"))
        assert results["origin"].iloc[0] == pd.Timestamp("2015-01-01")
        folds = (results.assign(abs_error=results["error"].abs())
                 .groupby(["method", "series"])
                 .agg(mae=("abs_error", "mean"), scale=("scale", "first"))
                 .reset_index())
        stored = study[(study["scenario"] == scenario)
                       & (study["origin"] == "2015-01")
                       & study["method"].isin(list(statistical))]
        merged = folds.merge(stored, on=["method", "series"],
                             suffixes=("", "_stored"), validate="1:1")
        assert len(merged) == len(folds) == 2 * 22
        assert (merged["mae"].map(lambda v: round(v, 6))
                == merged["mae_stored"]).all(), scenario
        assert ((merged["mae"] / merged["scale"]).map(lambda v: round(v, 6))
                == merged["mase"]).all(), scenario


def test_the_benchmark_merges_a_partial_run_into_the_stored_rows():
    """--methods: the re-run methods' rows replace theirs, the others stay
    exactly as read (text), all in the order of a full run."""
    benchmark = many_series_benchmark()
    order = [("s1", "naive"), ("s1", "AutoETS"), ("s2", "naive")]

    def row(scenario, method, series, origin, mase):
        return {"scenario": scenario, "method": method, "series": series,
                "origin": origin, "mase": mase}

    stored = [row("s1", "naive", "a", "2013-01", "1.0"),
              row("s1", "naive", "b", "2013-01", "2.0"),
              row("s1", "AutoETS", "a", "2013-01", "9.9"),
              row("s1", "naive", "a", "2013-07", "3.0"),
              row("s2", "naive", "a", "2013-01", "4.0")]
    new = [row("s1", "AutoETS", "b", "2013-07", 0.5),
           row("s1", "AutoETS", "a", "2013-01", 0.1),
           row("s1", "AutoETS", "b", "2013-01", 0.2),
           row("s1", "AutoETS", "a", "2013-07", 0.4)]
    merged = benchmark.merge(stored, new, order, series=["a", "b"])
    assert merged == [stored[0], stored[1], new[1], new[2], stored[3],
                      new[3], new[0], stored[4]]
    with pytest.raises(ValueError, match="unknown"):
        benchmark.merge(stored, [row("s3", "x", "a", "2013-01", 1.0)],
                        order, series=["a", "b"])


def test_the_benchmark_recomputes_a_stored_local_lstm_fold():
    """One LSTM fold of the stored study, recomputed live: the local LSTM
    (benchmarks/many_series.py's own forecaster, full history) on one
    series at the last origin, in float64 as the benchmark ran. A local
    model sees only its own series, so the panel's other columns can be
    left out; MAE and MASE equal the stored ones to 6 decimals."""
    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        import many_series as benchmark
    finally:
        sys.path.remove(str(benchmarks))
    panel = lb.load_us_employment()[["manufacturing"]]
    with keras_float("float64"):
        forecaster = dict(benchmark.scenarios())["full history"][
            "local LSTM"]
        results = lb.backtest_panel(
            panel, {"local LSTM": forecaster}, benchmark.HORIZON,
            n_origins=1, season=lb.season_length("us_employment"))
    mae = float(results["error"].abs().mean())
    scale = float(results["scale"].iloc[0])
    assert results["origin"].iloc[0] == pd.Timestamp("2015-01-01")
    study = lb.load_results("many_series")
    stored = study[(study["scenario"] == "full history")
                   & (study["method"] == "local LSTM")
                   & (study["series"] == "manufacturing")
                   & (study["origin"] == "2015-01")]
    assert len(stored) == 1
    assert round(mae, 6) == stored["mae"].iloc[0], (mae, stored)
    assert round(mae / scale, 6) == stored["mase"].iloc[0]
