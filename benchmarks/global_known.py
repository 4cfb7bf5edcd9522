"""Benchmark: a known input (the seat-belt law) in the global LSTM.

Usage:
    python benchmarks/global_known.py --part 1 --parts 2  # one per core,
    python benchmarks/global_known.py --part 2 --parts 2  # ~17 min each
    python benchmarks/global_known.py --summary           # the tables
    python benchmarks/global_known.py --origins 1  # a quick look, not stored

The panel of ``lb.load_road_casualties()``: car drivers, front-seat and
rear-seat passengers killed or seriously injured each month in Great
Britain, 1969-1984, and the seat-belt law (front seats, from February
1983). The law is known in advance and shared by the three series, but it
concerns the front seats only.

The folds of ``benchmarks/known_inputs.py``'s seat-belt study, now for
every series: horizon 12, 6 origins one month apart, 1983-08 to 1984-01
(each history holds at least 6 months under the law), season 12;
``lb.backtest_panel(..., known={"law": law}, static=seats)``.

Methods (every setting copied from the one-series study, where it was
fixed before any test fold was seen; nothing is chosen here):

* ``snaive``, and ``arima_x``: statsforecast's AutoARIMA per series with
  the law as a regressor (``known_inputs.arima_forecast``);
* ``local``, ``local_known``: one ``lb.LSTMForecaster`` per series (MIMO,
  24-month windows, logs, 32 units, 100 epochs), without and with
  ``known=["law"]``;
* ``global``, ``global_known``: one ``lb.GlobalLSTMForecaster`` for the
  three series (the same network settings, one-hot series codes), without
  and with ``known=["law"]``;
* ``global_known_static``: the global model with the law, without series
  codes but with one static input, the seat (``front`` for drivers and
  front-seat passengers, ``rear`` for rear-seat passengers): the model
  knows which series the law covers, not which series it reads.

Each LSTM method is trained with seeds 0 to 5 (a first run with three
seeds left the ranking of two methods to the seed); each seed is scored
alone (``method`` plus ``seed``), and the mean of the six seeds'
forecasts is the method's forecast (``seed`` empty). MASE per series and
fold. Float64 and one thread, as the other studies. A part trains every
other seed and writes its backtest table to ``--work``; ``--summary``
joins the parts.

Stores ``global_known.csv`` (per method and series: mean MASE over the
folds, and over the three series) and ``global_known_folds.csv`` (per
method, seed, series and fold) for "Inputs known in advance".
"""

import argparse
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
from known_inputs import arima_forecast  # noqa: E402
from results_csv import save_frame  # noqa: E402

HORIZON, SEASON, N_ORIGINS, FIRST_ORIGIN = 12, 12, 6, "1983-08-01"
SERIES = ["drivers", "front", "rear"]
#: the seat each series sits in: the law covers the front seats only
SEATS = pd.DataFrame({"seat": ["front", "front", "rear"]}, index=SERIES)
NETWORK = dict(n_steps_in=24, units=32, epochs=100, batch_size=32,
               learning_rate=1e-3, log=True, normalize="last")
SEEDS = (0, 1, 2, 3, 4, 5)
WORK = Path("/tmp/lstmbook-global-known")
LSTM_METHODS = ("local", "local_known", "global", "global_known",
                "global_known_static")
SUMMARY_CSV, FOLDS_CSV = "global_known.csv", "global_known_folds.csv"


def data():
    """``(panel, known, static)``: the three series, the law, the seats."""
    table = lb.load_road_casualties()
    return table[SERIES], {"law": table["law"]}, SEATS


def snaive(panel):
    return pd.DataFrame({name: lb.seasonal_naive_forecast(
        panel[name], HORIZON, SEASON).to_numpy() for name in panel.columns})


def law_rows(panel, known):
    """The law over the panel's dates and over the horizon after them."""
    law = known["law"]
    rows = law.index.get_indexer(panel.index)
    return law.iloc[rows], law.iloc[rows[-1] + 1:rows[-1] + 1 + HORIZON]


def arima_x(panel, known):
    """AutoARIMA per series with the law's history and future as X."""
    past, future = (part.to_numpy("float64")[:, None]
                    for part in law_rows(panel, known))
    return pd.DataFrame({name: arima_forecast(
        panel[name].to_numpy("float64"), HORIZON, SEASON, past, future)
        for name in panel.columns})


def lstm(method, seed):
    """The panel forecaster of one LSTM method and seed."""
    settings = dict(NETWORK, seeds=(seed,))
    if method.startswith("global"):
        extra = {"global_known": dict(known=["law"]),
                 "global_known_static": dict(known=["law"], static=["seat"],
                                             series_id=None)}
        return lb.GlobalLSTMForecaster(HORIZON, **settings,
                                       **extra.get(method, {}))
    if method == "local":
        return lb.per_series(lb.LSTMForecaster(HORIZON, **settings))
    one = lb.LSTMForecaster(HORIZON, **settings, target="y", known=["law"])

    def local_known(panel, known):
        past, future = law_rows(panel, known)
        return pd.DataFrame({name: one(
            pd.DataFrame({"y": panel[name], "law": past.to_numpy()},
                         index=panel.index),
            future=future.to_frame()).to_numpy()
            for name in panel.columns})
    return local_known


def run(n_origins, seeds, classical=True):
    """The backtest table of the LSTM methods with ``seeds`` (and of the
    classical methods, if asked)."""
    panel, known, static = data()
    origin = panel.index.get_loc(pd.Timestamp(FIRST_ORIGIN))
    # lb.rolling_origins puts the last fold at the end of the data
    assert origin == len(panel) - HORIZON - n_origins + 1 or \
        n_origins != N_ORIGINS
    forecasters = {"snaive": snaive, "arima_x": arima_x} if classical else {}
    for method in LSTM_METHODS:
        for seed in seeds:
            forecasters[f"{method} seed={seed}"] = lstm(method, seed)
    return lb.backtest_panel(panel, forecasters, HORIZON, n_origins, step=1,
                             season=SEASON, progress=True, known=known,
                             static=static)


def scored(table):
    """MASE per method, seed, series and fold, with the mean of the seeds'
    forecasts as each LSTM method's own rows (``seed`` empty)."""
    table = table.copy()
    parts = table["method"].str.split(" seed=", expand=True)
    table["method"], table["seed"] = parts[0], pd.to_numeric(parts[1])
    means = (table[table["seed"].notna()]
             .groupby(["method", "series", "origin", "step"], as_index=False)
             .agg(date=("date", "first"), actual=("actual", "first"),
                  forecast=("forecast", "mean"), scale=("scale", "first")))
    table = pd.concat([table, means], ignore_index=True)
    table["abs_error"] = (table["forecast"] - table["actual"]).abs()
    folds = (table.groupby(["method", "seed", "series", "origin"],
                           dropna=False, as_index=False)
             .agg(mae=("abs_error", "mean"), scale=("scale", "first"),
                  seconds=("seconds", "first")))
    folds["mase"] = folds["mae"] / folds["scale"]
    folds["origin"] = pd.to_datetime(folds["origin"]).dt.strftime("%Y-%m-%d")
    return folds


def summary(folds):
    """Mean MASE per method and series (the seeds' mean forecast, and each
    seed alone), and over the three series."""
    per = (folds.groupby(["method", "seed", "series"], dropna=False,
                         as_index=False)["mase"].mean())
    wide = per.pivot_table(index=["method", "seed"], columns="series",
                           values="mase", dropna=False).reset_index()
    wide.columns.name = None
    wide = wide.dropna(subset=SERIES, how="all")
    wide["mean"] = wide[SERIES].mean(axis=1)
    return wide.sort_values(["seed", "mean"], na_position="first")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--origins", type=int, default=N_ORIGINS,
                        help="fewer origins: a quick look, nothing stored")
    parser.add_argument("--part", type=int, default=1)
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args()
    keras.config.set_floatx("float64")
    if args.summary:
        table = pd.concat([pd.read_pickle(p) for p in
                           sorted(args.work.glob("part-*.pkl"))])
    else:
        seeds = SEEDS[args.part - 1::args.parts]
        table = run(args.origins, seeds, classical=args.part == 1)
        if args.origins == N_ORIGINS:
            args.work.mkdir(parents=True, exist_ok=True)
            table.to_pickle(args.work / f"part-{args.part}.pkl")
    folds = scored(table)
    print(summary(folds).round(3).to_string(index=False))
    if args.summary:
        save_frame(FOLDS_CSV, folds)
        save_frame(SUMMARY_CSV, summary(folds))


if __name__ == "__main__":
    main()
