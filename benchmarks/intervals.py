"""Benchmark: do the LSTM's prediction intervals cover what they claim?

Usage: python benchmarks/intervals.py [dataset ...]

The fuller version of the live study in the chapter "Prediction
intervals". For each dataset (default: airline, co2, sunspots, wineind),
an LSTM recipe is evaluated by rolling origin with an expanding window and
a forecast from EVERY time step (step=1) of the last part of the data. The
model is refitted on all the data before the origin once a season (every
12 months; every 10 years for sunspots) and in between forecasts from the
newer data with the last fitted model, as a forecaster in production
would. Every forecast gets three intervals, all at 80% and 95%:

* conformal: the forecast plus or minus the conformal quantile of the
  absolute errors of the folds that were finished before its origin
  (``lb.rolling_intervals``); never calibrated on the fold it scores;
* conformal (relative): the same with errors relative to the forecast;
* MC dropout: quantiles of 200 Monte-Carlo dropout paths of the model
  (``lb.mc_dropout_forecast``), for the same folds;
* conformal, seasonal naive: conformal intervals around the seasonal naive
  forecast, for comparison (a better point forecast should buy a narrower
  interval at the same coverage).

Coverage (share of truths inside), its gap to the nominal level, the
mean width (in the data's units, and in percent of the mean actual value)
are computed over the folds that have at least 19 finished
folds before them (what a 95% conformal interval needs). The point
forecasts' MASE and the seasonal naive's are recorded for reference.
Computes in float64 with oneDNN's custom kernels off, as the chapters do.
Writes lstmbook/data/results/intervals.csv.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import save  # noqa: E402

# name -> (horizon, recipe settings, first origin, refit every)
SETUPS = {
    "airline": (12, dict(n_steps_in=24, log=True, season_diff=12), "1954-01",
                12),
    "co2": (12, dict(n_steps_in=24, season_diff=12), "1980-01", 12),
    "sunspots": (10, dict(n_steps_in=22), "1850", 10),
    "wineind": (12, dict(n_steps_in=24, log=True, season_diff=12), "1986-01",
                12),
}
RECIPE = dict(epochs=100, dropout=0.2, seeds=(0,))
N_SAMPLES = 200


class PeriodicRefit:
    """Forecast from every origin; refit only every ``every`` steps.

    Also records the bands (``lower_XX``/``upper_XX``) of every forecast,
    by its first date: the point network's Monte-Carlo dropout intervals
    (``N_SAMPLES`` paths), or, with ``head`` settings such as
    ``dict(distribution="normal")`` (``benchmarks/distributions.py``),
    the head's own intervals from ``head_samples`` paths, whose median is
    then the forecast. ``seed`` trains every network from that seed.
    """

    def __init__(self, horizon, settings, every, head=None, seed=0,
                 head_samples=500):
        self.horizon, self.settings, self.every = horizon, settings, every
        self.head, self.seed, self.head_samples = head, seed, head_samples
        self.model, self.n_fit, self.n_fits, self.bands = None, None, 0, {}

    def __call__(self, history):
        if self.model is None or len(history) - self.n_fit >= self.every:
            self.model = lb.LSTMForecaster(
                self.horizon, **self.settings,
                **{**RECIPE, "seeds": (self.seed,)},
                **(self.head or {})).fit(history)
            self.n_fit, self.n_fits = len(history), self.n_fits + 1
        if self.head:
            table = lb.distribution_forecast(self.model, history,
                                             n_samples=self.head_samples)
            forecast = table["forecast"]
        else:
            table = lb.mc_dropout_forecast(self.model, history,
                                           n_samples=N_SAMPLES)
            forecast = self.model.predict(history)
        self.bands[forecast.index[0]] = table.drop(columns="forecast")
        return forecast


def run(name):
    series = lb.load_dataset(name)
    season = lb.season_length(name)
    horizon, settings, first, every = SETUPS[name]
    start = series.index.get_loc(series[first:].index[0])
    n_origins = len(series) - horizon - start + 1
    lstm = PeriodicRefit(horizon, settings, every)
    t0 = time.perf_counter()
    results = lb.backtest(series, {
        "lstm": lstm,
        "seasonal naive": lambda h: lb.seasonal_naive_forecast(h, horizon,
                                                               season),
    }, horizon=horizon, n_origins=n_origins, step=1, season=season)
    seconds = time.perf_counter() - t0
    mase = lb.summarize(results)["MASE"]
    lstm_rows = results[results["method"] == "lstm"]
    naive_rows = results[results["method"] == "seasonal naive"]
    tables = {
        "conformal": lb.rolling_intervals(lstm_rows),
        "conformal (relative)": lb.rolling_intervals(lstm_rows,
                                                     relative=True),
        "conformal, seasonal naive": lb.rolling_intervals(naive_rows),
    }
    scored = tables["conformal"]
    mc_rows = []
    for origin, fold in scored.groupby("origin"):
        band = lstm.bands[origin]
        mc_rows.append(fold[["origin", "step", "date", "actual"]].assign(
            **{c: band[c].to_numpy() for c in band.columns}))
    tables["MC dropout"] = pd.concat(mc_rows)
    rows = []
    for method, table in tables.items():
        scores = lb.interval_scores(table.drop(columns="method",
                                               errors="ignore"))
        for (_, level), score in scores.iterrows():
            rows.append({
                "dataset": name, "method": method, "level": level,
                "coverage": round(score["coverage"], 4),
                "gap": round(score["gap"], 4),
                "mean_width": round(score["mean width"], 4),
                "width_pct": round(100 * score["mean width"]
                                   / table["actual"].abs().mean(), 2),
                "folds": int(score["folds"]), "origins": n_origins,
                "first_origin": str(series.index[start].date()),
                "horizon": horizon, "refits": lstm.n_fits,
                "lstm_mase": round(mase["lstm"], 4),
                "seasonal_naive_mase": round(mase["seasonal naive"], 4),
                "seconds": round(seconds, 1),
            })
    return rows


def main(names):
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    rows = []
    for name in names:
        t0 = time.perf_counter()
        new = run(name)
        rows += new
        print(pd.DataFrame(new)[["dataset", "method", "level", "coverage",
                                 "gap", "mean_width", "width_pct", "folds",
                                 "lstm_mase",
                                 "seasonal_naive_mase"]].to_string(
                                     index=False))
        print(f"{name}: {time.perf_counter() - t0:.0f} s", flush=True)
    if set(names) == set(SETUPS):
        save("intervals.csv", rows)
    else:
        print("(not saved: run all datasets to write intervals.csv)")


if __name__ == "__main__":
    main(sys.argv[1:] or list(SETUPS))
