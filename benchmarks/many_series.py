"""Benchmark: one global LSTM or one LSTM per series, on 22 related series.

Usage: python benchmarks/many_series.py

The U.S. employment panel (``lb.load_us_employment()``: 22 monthly,
seasonally adjusted series, 2006-2015) under the book's rolling-origin
protocol, shortened to 5 origins (January 2013 to January 2015) to keep
the run under ~10 minutes on 2 shared cores: horizon 12, origins 6 months
apart, the last fold ending in December 2015, MASE with each fold's in-sample naive scale
(season 1). Three scenarios:

* ``full history``: every method sees all months before the origin;
* ``36 months``: every method sees only the last 36 months before the
  origin (13 training windows per series), as for young series;
* ``cold start``: a series the global model never saw, known for only its
  last 24 months, too few to train a model of its own. The 22 series are
  split in two halves (alternate columns); a global model without series
  codes is trained on one half and forecasts the other, and vice versa.

Methods: naive and drift (per series), a local LSTM per series
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
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import save  # noqa: E402

HORIZON, N_STEPS_IN, UNITS, N_ORIGINS = 12, 12, 32, 5
LOCAL = dict(epochs=100, batch_size=32)
GLOBAL = dict(epochs=100, batch_size=64)
SHORT, YOUNG = 36, 24


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
    naive = lb.per_series(lambda s: lb.naive_forecast(s, HORIZON))
    drift = lb.per_series(lambda s: lb.drift_forecast(s, HORIZON))
    yield "full history", {
        "naive": naive,
        "drift": drift,
        "local LSTM": local_lstm(),
        "global LSTM": global_lstm(),
        "global LSTM, no id": global_lstm(series_id=None),
    }
    yield f"{SHORT} months", {
        "naive": naive,
        "drift": last(SHORT, drift),
        "local LSTM": last(SHORT, local_lstm()),
        "global LSTM": last(SHORT, global_lstm()),
        "global LSTM, no id": last(SHORT, global_lstm(series_id=None)),
    }
    yield "cold start", {
        "naive": naive,
        "drift": last(YOUNG, drift),
        "global LSTM, no id": cold_start,
    }


def main():
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    panel = lb.load_us_employment()
    rows = []
    for scenario, forecasters in scenarios():
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
    save("many_series.csv", rows)


if __name__ == "__main__":
    main()
