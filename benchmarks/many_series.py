"""Benchmark: one global LSTM or one LSTM per series, on 22 related series.

Usage (from the repository root):

    python benchmarks/many_series.py                          # everything
    python benchmarks/many_series.py --methods AutoETS Theta  # some methods

``--methods`` re-runs only the named methods (in every scenario that has
them) and merges their rows into the stored CSV: the rows of the other
methods are kept exactly as they are (the same text), in the order a full
run writes them. That is safe because every method's rows are
reproducible on their own: the baselines and statistical models are
deterministic, and every LSTM computes in float64 with a fixed seed (seed
0, set by the forecaster before each fit), so re-running an LSTM method
gives the same MAE and MASE again; only ``seconds`` is measured anew.
Checked: ``--methods "global LSTM"`` reproduced all 220 stored rows of
that method to the stored 6 decimals, and ``tests/test_many_series.py``
recomputes one stored local-LSTM fold live.

The U.S. employment panel (``lb.load_us_employment()``: 22 monthly,
seasonally adjusted series, 2006-2015) under the book's rolling-origin
protocol, shortened to 5 origins (January 2013 to January 2015) to keep
the run under ~10 minutes on 2 shared cores: horizon 12, origins 6 months
apart, the last fold ending in December 2015, MASE with each fold's
in-sample naive scale (season 1). Three scenarios:

* ``full history``: every method sees all months before the origin;
* ``36 months``: every method sees only the last 36 months before the
  origin (13 training windows per series), as for young series;
* ``cold start``: a series the global model never saw, known for only its
  last 24 months, too few to train a model of its own. The 22 series are
  split in two halves (alternate columns); a global model without series
  codes is trained on one half and forecasts the other, and vice versa.

Methods: naive and drift (per series), two statistical models per
series from statsforecast (``season_length=1``; ``lb.per_series`` calls
``Model(season_length=1).forecast(y=history, h=12)["mean"]`` on each
series, fitted on exactly the history the scenario gives: all of it, the
last 36 months, or the last 24 at the cold start):

* ``AutoETS``: exponential smoothing with the error, trend (none,
  additive or damped additive) and no season chosen per series and origin
  by AICc;
* ``Theta``: the standard Theta method (``statsforecast.models.Theta``),
  i.e. simple exponential smoothing plus a drift of half the slope of a
  straight line fitted to the history. We take the standard Theta rather
  than ``AutoTheta`` (which picks one of four Theta variants per series by
  in-sample error) because it is the classical method of the M3
  competition, has no choice to explain, and is the same ``Theta`` as in
  the competition benchmark (``benchmarks/competitions.py``), which the
  chapter "Competition scale" compares global LSTMs with: the reader
  meets one Theta throughout the book.

Then a local LSTM per series
(``lb.per_series(lb.LSTMForecaster(...))``) and a global LSTM
(``lb.GlobalLSTMForecaster``), with and without one-hot series codes. Every
LSTM has the same window (12 months), 32 units, Adam with learning rate
0.001, 100 epochs and seed 0; the global model uses batches of 64 windows
(it has 22 times more of them), the local ones batches of 32.
Computes in float64 with oneDNN's custom kernels off, as the chapters do,
so the chapter "Many series" can re-check rows of the table.

Writes lstmbook/data/results/many_series.csv: one row per scenario, method,
series and origin, with the fold's MAE and MASE, and ``seconds``: how long
the method took at that origin for all 22 series together (training and
forecasting; on a shared machine, compare ratios, not absolute times).
Rows are ordered by scenario, origin, method (as listed in
``scenarios()``) and series.
The whole run takes about 6 minutes on 2 shared cores, almost all of it
LSTM training; AutoETS and Theta together take under a minute.
"""

import argparse
import csv
import os
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import RESULTS, save  # noqa: E402

HORIZON, N_STEPS_IN, UNITS, N_ORIGINS = 12, 12, 32, 5
LOCAL = dict(epochs=100, batch_size=32)
GLOBAL = dict(epochs=100, batch_size=64)
SHORT, YOUNG = 36, 24
CSV = "many_series.csv"


def statistical(model_class):
    """A statsforecast model, fitted on each series' history on its own."""
    def forecast(history):
        y = history.to_numpy(dtype="float64")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = model_class(season_length=1)
            return model.forecast(y=y, h=HORIZON)["mean"]
    return lb.per_series(forecast)


def local_lstm():
    return lb.per_series(lb.LSTMForecaster(HORIZON, N_STEPS_IN, units=UNITS,
                                           **LOCAL))


def global_lstm(series_id="onehot"):
    return lb.GlobalLSTMForecaster(HORIZON, N_STEPS_IN, units=UNITS,
                                   series_id=series_id, **GLOBAL)


def last(months, forecaster):
    """The same forecaster, shown only the last ``months`` of history."""
    return lambda panel: forecaster(panel.iloc[-months:])


def cold_start(panel):
    """Each half of the series forecast by a model trained on the other."""
    columns = list(panel.columns)
    halves = [columns[0::2], columns[1::2]]
    forecasts = []
    for train, new in [(halves[0], halves[1]), (halves[1], halves[0])]:
        model = global_lstm(series_id=None).fit(panel[train])
        forecasts.append(model.predict(panel[new].iloc[-YOUNG:]))
    return forecasts[0].join(forecasts[1])[columns]


def scenarios():
    from statsforecast.models import AutoETS, Theta

    naive = lb.per_series(lambda s: lb.naive_forecast(s, HORIZON))
    drift = lb.per_series(lambda s: lb.drift_forecast(s, HORIZON))
    ets, theta = statistical(AutoETS), statistical(Theta)
    yield "full history", {
        "naive": naive,
        "drift": drift,
        "AutoETS": ets,
        "Theta": theta,
        "local LSTM": local_lstm(),
        "global LSTM": global_lstm(),
        "global LSTM, no id": global_lstm(series_id=None),
    }
    yield f"{SHORT} months", {
        "naive": naive,
        "drift": last(SHORT, drift),
        "AutoETS": last(SHORT, ets),
        "Theta": last(SHORT, theta),
        "local LSTM": last(SHORT, local_lstm()),
        "global LSTM": last(SHORT, global_lstm()),
        "global LSTM, no id": last(SHORT, global_lstm(series_id=None)),
    }
    yield "cold start", {
        "naive": naive,
        "drift": last(YOUNG, drift),
        "AutoETS": last(YOUNG, ets),
        "Theta": last(YOUNG, theta),
        "global LSTM, no id": cold_start,
    }


def merge(stored, new, order, series):
    """``stored`` rows with those of the re-run (scenario, method) pairs
    replaced by ``new``, in the order a full run writes them: by scenario,
    origin, method (as in ``order``, a list of (scenario, method) pairs)
    and series (as in ``series``). Stored rows are kept as read, so the
    same text goes back and the CSV's diff shows only the new rows."""
    fresh = {(r["scenario"], r["method"]) for r in new}
    rows = [r for r in stored
            if (r["scenario"], r["method"]) not in fresh] + new
    unknown = {(r["scenario"], r["method"]) for r in rows} - set(order)
    if unknown:
        raise ValueError(f"rows of unknown methods: {sorted(unknown)}")
    scenario_rank = {s: i for i, s in enumerate(dict.fromkeys(
        s for s, _ in order))}
    method_rank = {key: i for i, key in enumerate(order)}
    series_rank = {name: i for i, name in enumerate(series)}
    return sorted(rows, key=lambda r: (
        scenario_rank[r["scenario"]], r["origin"],
        method_rank[r["scenario"], r["method"]], series_rank[r["series"]]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--methods", nargs="+", metavar="NAME",
        help="re-run only these methods and merge their rows into the "
             "stored CSV (names as in the CSV, e.g. AutoETS Theta "
             "'local LSTM')")
    args = parser.parse_args(argv)
    all_scenarios = list(scenarios())
    order = [(scenario, method) for scenario, forecasters in all_scenarios
             for method in forecasters]
    if args.methods:
        unknown = set(args.methods) - {m for _, m in order}
        if unknown:
            parser.error(f"unknown methods {sorted(unknown)}; choose from "
                         f"{sorted({m for _, m in order})}")
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    panel = lb.load_us_employment()
    rows = []
    for scenario, forecasters in all_scenarios:
        if args.methods:
            forecasters = {m: f for m, f in forecasters.items()
                           if m in args.methods}
            if not forecasters:
                continue
        start = time.perf_counter()
        results = lb.backtest_panel(panel, forecasters, HORIZON,
                                    n_origins=N_ORIGINS,
                                    season=lb.season_length("us_employment"))
        folds = (results.assign(abs_error=results["error"].abs())
                 .groupby(["method", "series", "origin"], sort=False)
                 .agg(mae=("abs_error", "mean"), scale=("scale", "first"),
                      seconds=("seconds", "first"))
                 .reset_index())
        for fold in folds.itertuples():
            rows.append({
                "scenario": scenario, "method": fold.method,
                "series": fold.series,
                "origin": fold.origin.strftime("%Y-%m"),
                "mae": round(fold.mae, 6),
                "mase": round(fold.mae / fold.scale, 6),
                "seconds": round(fold.seconds, 3),
            })
        scores = lb.mase_by_series(results)
        seconds = (results.groupby(["method", "origin"])["seconds"].first()
                   .groupby("method").sum())
        print(f"\n{scenario} ({time.perf_counter() - start:.0f} s)")
        print(f"{'method':20s} {'mean MASE':>9s} {'median':>7s} "
              f"{'seconds':>8s}")
        for method in forecasters:
            print(f"{method:20s} {scores[method].mean():9.3f} "
                  f"{scores[method].median():7.3f} {seconds[method]:8.1f}")
    if args.methods:
        with (RESULTS / CSV).open(newline="") as f:
            stored = list(csv.DictReader(f))
        rows = merge(stored, rows, order, panel.columns)
    else:
        rows = merge([], rows, order, panel.columns)
    save(CSV, rows)


if __name__ == "__main__":
    main()
