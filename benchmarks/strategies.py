"""Benchmark: the five multi-step strategies and the seq2seq decoders.

Usage (from the repository root):

    python benchmarks/strategies.py --part 0 --parts 2 &   # one core each
    python benchmarks/strategies.py --part 1 --parts 2
    python benchmarks/strategies.py --summary              # merge and store

The protocol of ``benchmarks/real_data.py``: the book's four series
(airline, CO2, wineind, sunspots), its 10 test origins (``lb.backtest``
with the horizon, season and origins of ``real_data_settings.csv``), the
model refitted on each fold's history. Every LSTM uses the data settings
validation chose for the series in that study (window, log, seasonal
difference, normalisation, epochs, batch size; chosen for the MIMO
vanilla LSTM, so if anything they favour MIMO) and seed 0 only. Methods:

* the five strategies of ``lstmbook.strategies``: recursive, direct (one
  network per step), MIMO (a vector output), DirRec, and seq2seq with the
  autoregressive decoder (teacher forcing);
* the other two seq2seq decoders: ``repeat`` (the RepeatVector model of
  Part 4) and ``attention`` (autoregressive, with additive attention);
* naive and seasonal naive.

Scores: MAE and MASE per horizon step (``lb.error_by_step``) and over all
steps; a Diebold-Mariano test of each LSTM against MIMO over the folds
(``lb.compare``); the training time per fit. Computes in float64 with one
thread per process, as the other studies.

Stores (``lstmbook/data/results/``): ``strategies.csv`` (dataset, method,
step 1..h or "all", MAE, MASE), ``strategies_folds.csv`` (the MASE of
every fold) and ``strategies_summary.csv`` (dataset, method, MASE, the
difference to MIMO with its interval and p-value, median seconds per
fit). Parts write to ``--work`` first, so a stopped
run resumes where it stopped.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
import part_runs  # noqa: E402
from results_csv import save_frame  # noqa: E402

DATASETS = ("airline", "co2", "wineind", "sunspots")
REFERENCE = "mimo"
#: method -> LSTMForecaster settings (besides the series' data settings)
METHODS = {
    "recursive": dict(strategy="recursive"),
    "direct": dict(strategy="direct"),
    "mimo": dict(strategy="mimo"),
    "dirrec": dict(strategy="dirrec"),
    "seq2seq": dict(strategy="seq2seq", decoder="autoregressive"),
    "seq2seq repeat": dict(strategy="seq2seq", decoder="repeat"),
    "seq2seq attention": dict(strategy="seq2seq", decoder="attention"),
}
BASELINES = ("naive", "seasonal naive")
SEED = 0
STEPS_CSV, SUMMARY_CSV = "strategies.csv", "strategies_summary.csv"
FOLDS_CSV = "strategies_folds.csv"


def protocol(name):
    """The series, its backtest settings and its validated LSTM settings."""
    s = lb.load_results("real_data_settings").set_index("dataset").loc[name]
    series = lb.load_dataset(name)
    folds = dict(horizon=int(s["horizon"]), n_origins=int(s["n_test_origins"]),
                 season=int(s["season"]))
    lstm = dict(n_steps_in=int(s["n_steps_in"]), log=bool(s["log"]),
                season_diff=int(s["season_diff"]) or None,
                normalize="last" if s["normalize"] else None,
                units=int(s["units"]), epochs=int(s["epochs"]),
                batch_size=int(s["batch_size"]),
                learning_rate=float(s["learning_rate"]), seeds=(SEED,))
    return series, folds, lstm, str(s["first_test_origin"])


def methods(name, method):
    """``{method: forecaster}`` for one job (an LSTM, or the baselines)."""
    series, folds, lstm, _ = protocol(name)
    h, season = folds["horizon"], folds["season"]
    if method == "baselines":
        return {"naive": lambda x: lb.naive_forecast(x, h),
                "seasonal naive": lambda x: lb.seasonal_naive_forecast(
                    x, h, season)}
    return {method: lb.LSTMForecaster(h, **lstm, **METHODS[method])}


def jobs():
    """Every (dataset, method) job, the costly ones spread across parts."""
    order = ["direct", "dirrec", "baselines", "seq2seq attention", "mimo",
             "seq2seq", "recursive", "seq2seq repeat"]
    return [(name, method) for k, method in enumerate(order)
            for name in DATASETS[k % 4:] + DATASETS[:k % 4]]


def run_job(name, method):
    series, folds, _, first = protocol(name)
    fits = []
    results = lb.backtest(series, {m: part_runs.timed(f, fits) for m, f in
                                   methods(name, method).items()},
                          progress=False, **folds)
    assert str(results["origin"].min().date()) == first, "other folds"
    return results, fits


def run_part(part, parts, work):
    work.mkdir(parents=True, exist_ok=True)
    for k, (name, method) in enumerate(jobs()):
        path = work / f"{name}_{method.replace(' ', '_')}.pkl"
        if k % parts != part or path.exists():
            continue
        start = time.perf_counter()
        results, fits = run_job(name, method)
        pd.to_pickle((results, fits), path)
        mase = lb.summarize(results)["MASE"].round(3).to_dict()
        print(f"{name:9s} {method:18s} {mase} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)


def summaries(work):
    """The three stored tables from the parts' results."""
    step_rows, rows, folds = [], [], []
    for name in DATASETS:
        parts = [pd.read_pickle(p) for p in sorted(work.glob(f"{name}_*.pkl"))]
        results = pd.concat([r for r, _ in parts], ignore_index=True)
        seconds = {r["method"].iloc[0]: float(np.median(f))
                   for r, f in parts if len(r["method"].unique()) == 1}
        order = [m for m in [*METHODS, *BASELINES]
                 if m in set(results["method"])]
        mae, mase = (lb.error_by_step(results, s)[order]
                     for s in ("MAE", "MASE"))
        overall = lb.summarize(results)
        by_fold = lb.mase_by_fold(results)
        folds += [{"dataset": name, "method": m, "origin": str(o.date()),
                   "MASE": by_fold.loc[o, m]}
                  for m in order for o in by_fold.index]
        for method in order:
            for step in mae.index:
                step_rows.append({"dataset": name, "method": method,
                                  "step": step, "MAE": mae.loc[step, method],
                                  "MASE": mase.loc[step, method]})
            step_rows.append({"dataset": name, "method": method,
                              "step": "all",
                              "MAE": overall.loc[method, "MAE"],
                              "MASE": overall.loc[method, "MASE"]})
            row = {"dataset": name, "method": method,
                   "MASE": overall.loc[method, "MASE"]}
            if method != REFERENCE:
                test = lb.compare(results, method, REFERENCE)
                row.update(diff_mimo=test["difference"], low=test["low"],
                           high=test["high"], p_value=test["p_value"])
            row["fit_s"] = seconds.get(method, np.nan)
            rows.append(row)
    return pd.DataFrame(step_rows), pd.DataFrame(rows), pd.DataFrame(folds)


def main(argv=None):
    args = part_runs.parser(__doc__, "strategies").parse_args(argv)
    part_runs.one_core_float64()
    if not args.summary:
        run_part(args.part, args.parts, args.work)
        return
    steps, table, folds = summaries(args.work)
    save_frame(STEPS_CSV, steps)
    save_frame(FOLDS_CSV, folds)
    save_frame(SUMMARY_CSV, table)
    with pd.option_context("display.width", 200):
        print(table.round(3).to_string(index=False))


if __name__ == "__main__":
    sys.exit(main())
