"""Benchmark: LSTMs that forecast distributions, against conformal intervals.

Usage:
    python benchmarks/distributions.py --part 0 --parts 2 &   # one core each
    python benchmarks/distributions.py --part 1 --parts 2
    python benchmarks/distributions.py --summary              # store tables
    # another training seed for every network (its own work folder), then
    # the summary of the seeds side by side (distributions_seeds.csv):
    python benchmarks/distributions.py --seed 1 --part 0 --parts 2 &
    python benchmarks/distributions.py --seed 1 --part 1 --parts 2
    python benchmarks/distributions.py --summary --seeds 0 1

The study behind the chapter "Forecasts as distributions". It reuses the
protocol of ``benchmarks/intervals.py`` exactly: the same four series, the
same rolling origins (a forecast from EVERY time step of the last part of
the data), the same refit schedule (once a season on all the data before
the origin, the last fitted model forecasting from newer data in between)
and the same LSTM recipe (``intervals.RECIPE``: 100 epochs, dropout 0.2,
seed 0), with the settings of ``intervals.SETUPS``. Only the network's
last layer and its loss change:

* ``conformal``: the point LSTM (squared error) with rolling conformal
  intervals, calibrated on the folds finished before each origin;
* ``MC dropout``: 200 Monte-Carlo dropout paths of that same network;
* ``quantile``: ``distribution="quantile"``, the five quantiles 2.5, 10,
  50, 90, 97.5% of every step at once (MIMO, pinball loss);
* ``normal``, ``student_t``: MIMO heads trained by negative
  log-likelihood, 500 sample paths;
* ``normal, recursive`` and ``student_t, recursive``: one-step heads whose
  draws are fed back (DeepAR-style sample paths), 500 paths;
* ``seasonal naive + conformal``: conformal intervals around the seasonal
  naive forecast, the baseline.

Every method is scored on the same forecasts: the folds that have the 19
finished earlier folds a 95% conformal interval needs. Scores, for the
book's five quantiles (the median and the bounds of the 80% and 95%
intervals): coverage of the 80% and 95% intervals; the Winkler score of
each, divided by the fold's MASE scale (at 95% this is the M4
competition's MSIS); the mean pinball loss over the five quantiles,
divided by the same scale; and the MASE of the median (the point forecast
for conformal). Computes in float64 on one thread per part.

The heads are also scored on *validation* folds: each series' earlier
origins whose whole horizon ends before the first scored origin (the
folds conformal needs for calibration; no conformal interval exists
there). The head a reader should copy is chosen on them, by the mean of
the scaled pinball loss over the four series, before the test folds are
looked at; the chapter's template uses it.

Writes ``lstmbook/data/results/distributions.csv`` (one row per series
and method), ``distributions_folds.csv`` (one row per series, method
and origin, the scores averaged over the fold's steps) and
``distributions_validation.csv`` (the heads' and dropout's mean scores on
the validation folds), all from seed 0; with ``--seeds``, also
``distributions_seeds.csv``: the test summary of every seed, to tell a
difference between methods from the spread between seeds.
"""

import os
import pickle
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
import part_runs  # noqa: E402
from intervals import SETUPS, PeriodicRefit  # noqa: E402
from results_csv import save_frame  # noqa: E402

SUMMARY_CSV, FOLDS_CSV = "distributions.csv", "distributions_folds.csv"
VALIDATION_CSV = "distributions_validation.csv"
SEEDS_CSV = "distributions_seeds.csv"
N_SAMPLES = 500  # paths per forecast of a normal or Student-t head
#: method -> the LSTMForecaster settings that differ from the recipe.
HEADS = {
    "quantile": dict(distribution="quantile"),
    "normal": dict(distribution="normal"),
    "student_t": dict(distribution="student_t"),
    "normal, recursive": dict(distribution="normal", strategy="recursive"),
    "student_t, recursive": dict(distribution="student_t",
                                 strategy="recursive"),
}
BANDS = ["lower_80", "upper_80", "lower_95", "upper_95"]
#: quantile level -> the column of an interval table that holds it
QUANTILE_COLUMNS = {0.025: "lower_95", 0.1: "lower_80", 0.5: "forecast",
                    0.9: "upper_80", 0.975: "upper_95"}


def refit(horizon, settings, every, head, seed=0):
    """The interval study's forecaster (``intervals.PeriodicRefit``: refit
    once a season, bands recorded per origin) ending in ``head`` (a key of
    ``HEADS``; ``None``: the point network, with Monte-Carlo dropout)."""
    return PeriodicRefit(horizon, settings, every, HEADS.get(head), seed,
                         head_samples=N_SAMPLES)


def units():
    """The study's units of work: (series, head); ``None`` is the point
    network (conformal and MC dropout)."""
    return [(name, head) for name in SETUPS for head in [None, *HEADS]]


def run_unit(name, head, work, seed=0):
    series = lb.load_dataset(name)
    season = lb.season_length(name)
    horizon, settings, first, every = SETUPS[name]
    start = series.index.get_loc(series[first:].index[0])
    n_origins = len(series) - horizon - start + 1
    forecaster = refit(horizon, settings, every, head, seed)
    t0 = time.perf_counter()
    results = lb.backtest(series, {head or "lstm": forecaster},
                          horizon=horizon, n_origins=n_origins, step=1,
                          season=season)
    bands = pd.concat([forecaster.bands[o].assign(origin=o)
                       for o in results["origin"].unique()])
    out = {"results": results, "bands": bands, "refits": forecaster.n_fits,
           "seconds": time.perf_counter() - t0}
    with open(work / f"{name}-{head or 'point'}.pkl", "wb") as f:
        pickle.dump(out, f)
    print(f"{name} {head or 'point'}: {out['seconds']:.0f} s, "
          f"{forecaster.n_fits} refits", flush=True)


def run_part(part, parts, work, seed=0):
    work.mkdir(parents=True, exist_ok=True)
    for name, head in units()[part::parts]:
        if not (work / f"{name}-{head or 'point'}.pkl").exists():
            run_unit(name, head, work, seed)


def seed_work(work, seed):
    """Seed 0 runs in ``work``, another seed in ``work-seed<k>``."""
    return work if seed == 0 else work.with_name(f"{work.name}-seed{seed}")


def with_bands(results, bands):
    """Backtest rows with each origin's bands beside them (by position:
    the bands of an origin are its steps in order)."""
    rows = results.sort_values(["origin", "step"]).reset_index(drop=True)
    bands = bands.reset_index(drop=True)
    order = rows["origin"].to_numpy() == bands["origin"].to_numpy()
    assert order.all(), "bands and backtest rows are out of step"
    return rows.assign(**{c: bands[c].to_numpy() for c in BANDS})


def series_tables(name, work):
    """Every method's interval table for one series: the test folds (the
    same for every method) and the validation folds (heads and dropout:
    the origins whose horizon ends before the first test origin)."""
    def load(head):
        with open(work / f"{name}-{head or 'point'}.pkl", "rb") as f:
            return pickle.load(f)

    point = load(None)
    lstm = point["results"]
    horizon, _, _, _ = SETUPS[name]
    season = lb.season_length(name)
    naive = lb.backtest(lb.load_dataset(name), {
        "seasonal naive": lambda h: lb.seasonal_naive_forecast(h, horizon,
                                                               season)},
        horizon=horizon, n_origins=lstm["origin"].nunique(), step=1,
        season=season)
    tables = {"conformal": lb.rolling_intervals(lstm),
              "seasonal naive + conformal": lb.rolling_intervals(naive)}
    scored = set(tables["conformal"]["origin"])
    tables["MC dropout"] = with_bands(lstm, point["bands"])
    refits = {"conformal": point["refits"], "MC dropout": point["refits"],
              "seasonal naive + conformal": 0}
    for head in HEADS:
        unit = load(head)
        tables[head] = with_bands(unit["results"], unit["bands"])
        refits[head] = unit["refits"]
    first = min(scored)
    validation = {}
    for m, t in tables.items():
        ends = t.groupby("origin")["date"].max()
        early = ends.index[ends.to_numpy() < first]
        if len(early):
            validation[m] = t[t["origin"].isin(early)].assign(method=m)
    return ({m: t[t["origin"].isin(scored)].assign(method=m)
             for m, t in tables.items()}, validation, refits)


def fold_scores(table):
    """Scores per origin, averaged over its steps, each divided by the
    fold's MASE scale (the scores are in the data's units otherwise)."""
    rows = []
    for origin, fold in table.groupby("origin"):
        scale = fold["scale"].iloc[0]
        y = fold["actual"]
        row = {"origin": str(origin)[:10]}
        for level in (80, 95):
            low, high = fold[f"lower_{level}"], fold[f"upper_{level}"]
            row[f"covered_{level}"] = lb.coverage(y, low, high)
            row[f"winkler_{level}"] = lb.winkler_score(
                y, low, high, level / 100) / scale
        row["pinball"] = np.mean([lb.pinball_loss(y, fold[c], q)
                                  for q, c in QUANTILE_COLUMNS.items()]) / scale
        row["mase"] = lb.mae(y, fold["forecast"]) / scale
        rows.append(row)
    return pd.DataFrame(rows)


def summaries(work):
    folds, summary, validation = [], [], []
    for name in SETUPS:
        tables, early, refits = series_tables(name, work)
        for method, table in tables.items():
            scores = fold_scores(table)
            folds.append(scores.assign(dataset=name, method=method))
            summary.append({"dataset": name, "method": method,
                            **scores.drop(columns="origin").mean().to_dict(),
                            "folds": len(scores), "refits": refits[method]})
        for method, table in early.items():
            scores = fold_scores(table)
            validation.append({
                "dataset": name, "method": method,
                **scores.drop(columns="origin").mean().to_dict(),
                "folds": len(scores), "last_origin": scores["origin"].max()})
    columns = ["dataset", "method", "origin", "covered_80", "covered_95",
               "winkler_80", "winkler_95", "pinball", "mase"]
    folds = pd.concat(folds)[columns]
    names = {"covered_80": "coverage_80", "covered_95": "coverage_95"}
    summary = pd.DataFrame(summary).rename(columns=names)
    validation = pd.DataFrame(validation).rename(columns=names)
    return folds, summary, validation


def chosen_head(validation):
    """The head with the lowest mean scaled pinball loss over the series,
    on the validation folds."""
    heads = validation[validation["method"].isin(HEADS)]
    return heads.groupby("method")["pinball"].mean().idxmin()


def main(argv=None):
    cli = part_runs.parser(__doc__, "distributions")
    cli.add_argument("--seed", type=int, default=0,
                     help="the training seed of every network")
    cli.add_argument("--seeds", type=int, nargs="*", default=[0],
                     help="with --summary: the seeds to compare")
    args = cli.parse_args(argv)
    part_runs.one_core_float64()
    if not args.summary:
        run_part(args.part, args.parts, seed_work(args.work, args.seed),
                 args.seed)
        return
    if args.seeds != [0]:
        save_frame(SEEDS_CSV, pd.concat([
            summaries(seed_work(args.work, seed))[1].assign(seed=seed)
            for seed in args.seeds]))
    folds, summary, validation = summaries(args.work)
    save_frame(FOLDS_CSV, folds)
    save_frame(SUMMARY_CSV, summary)
    save_frame(VALIDATION_CSV, validation)
    with pd.option_context("display.width", 200):
        print(validation.round(3).to_string(index=False))
        print("chosen on validation:", chosen_head(validation))
        print(summary.round(3).to_string(index=False))


if __name__ == "__main__":
    sys.exit(main())
