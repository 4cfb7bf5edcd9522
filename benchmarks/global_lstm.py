"""Benchmark: one global LSTM per competition subset, against the statistics.

Usage:
    python benchmarks/global_lstm.py --stage validation  # choose the form
    python benchmarks/global_lstm.py                     # the test run
    python benchmarks/global_lstm.py --subsets M3/monthly --limit 100

The competition chapter's study (issue 12). For each subset of M3 and
Tourism (``lstmbook.load_m3`` / ``load_tourism``, the competitions' own
split and horizon), one ``lstmbook.GlobalLSTMForecaster`` is trained on the
windows of every series at once and forecasts every series; the forecasts
are scored with the competitions' metrics (sMAPE, MAPE, MASE; OWA against
Naive2) by ``benchmarks/competitions.py``'s functions, next to the
statistical methods that script stored.

Every variant works on the log of the series, divides out the seasonal
indices of the series the M4 test finds seasonal (``deseasonalize``),
normalises each window by its last value (so the network forecasts
relative changes, alike for series of any size), outputs all ``h`` steps
at once, and trains with the mean absolute error in log space (close to
sMAPE for small errors), one model for the whole subset. The final
forecaster is a ``lstmbook.MedianEnsemble``: the median of members that
differ in seed and input length (1, 1.5 and 2 times a base length: 12
months, 8 quarters, 6 years), as N-BEATS ensembles.

Forecast combinations: the equal-weight mean of the LSTM ensemble's
forecast and those of statsforecast's Theta, Comb and AutoETS
(``COMBINATIONS``; the statistical forecasts are computed again here with
``benchmarks/competitions.py``'s ``forecasts``, so every part is scored on
the same series and parts).

Stages:

* ``validation``: each series' training part is cut once more; its last
  ``h`` values are the validation part (the test part is never read).
  Every candidate form (``CANDIDATES``) is scored on M3 monthly, the
  largest subset: its three members (one per input length, seed 0) and
  their median. The chosen form (``CHOSEN``) then runs on every subset
  with the statistical methods and the combinations; the chapter takes
  the combination with the lowest mean validation OWA. Stores
  ``global_lstm_validation.csv`` (``--candidates`` with no names skips
  the candidate forms; rows of other runs are kept).
* ``test``: the chosen form with nine members (three input lengths x
  ``SEEDS``), fitted on each full training part, scored on the test part,
  with the combinations. Stores ``global_lstm.csv`` (per subset: each
  member, the ensemble, the statistical methods and the combinations:
  mean sMAPE/MAPE/MASE, OWA, seconds) and ``global_lstm_series.csv`` (per
  series, the ensemble and every combination with it, for significance
  tests), after each subset.

Measured on the project's 2-core machine while another benchmark ran: the
test stage took 34 minutes (M3 monthly's nine members 14.5), the
validation stage 18 minutes plus 20 for the candidate forms.
"""

import argparse
import os
import time
from multiprocessing import Pool

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
import competitions  # noqa: E402
from competitions import SUBSETS, adjust, scores  # noqa: E402
from results_csv import save  # noqa: E402

BASE_LENGTH = {12: 12, 4: 8, 1: 6}  # season -> input length of member 1
#: The settings every candidate shares, then what each candidate changes.
COMMON = dict(units=64, batch_size=256, learning_rate=1e-3, log=True,
              scale=False, series_id=None, loss="mae")
CANDIDATES = {
    "deseasonalised, all windows, 30 epochs": dict(epochs=30, season=True),
    "deseasonalised, last 24 windows, 30 epochs":
        dict(epochs=30, season=True, recent_windows=24),
    "deseasonalised, last 24 windows, 15 epochs":
        dict(epochs=15, season=True, recent_windows=24),
    "deseasonalised, scaled per series, last 24 windows, 30 epochs":
        dict(epochs=30, season=True, recent_windows=24, scale=True),
}
CHOSEN = "deseasonalised, last 24 windows, 30 epochs"
SEEDS = (0, 1, 2)
#: Forecast combinations: the equal-weight mean of the parts' forecasts
#: ("LSTM" is the median ensemble of the LSTM members).
STATISTICAL = ("Theta", "Comb", "AutoETS")
COMBINATIONS = {  # the statistical methods alone, then the combinations
    "Theta": ("Theta",), "Comb": ("Comb",), "AutoETS": ("AutoETS",),
    "LSTM + Theta": ("LSTM", "Theta"),
    "LSTM + AutoETS": ("LSTM", "AutoETS"),
    "LSTM + Theta + AutoETS": ("LSTM", "Theta", "AutoETS"),
    "LSTM + Theta + Comb + AutoETS": ("LSTM", "Theta", "Comb", "AutoETS"),
    "Theta + Comb + AutoETS": ("Theta", "Comb", "AutoETS"),
}
#: Stored per series, with the LSTM ensemble: every combination with it.
STORED_SERIES = tuple(name for name, parts in COMBINATIONS.items()
                      if "LSTM" in parts)


def forecaster(subset, candidate, n_steps_in, seed):
    """One member: a ``GlobalLSTMForecaster`` of a candidate form."""
    _, _, h, m = SUBSETS[subset]
    settings = {**COMMON, **CANDIDATES[candidate]}
    season = settings.pop("season", False)
    return lb.GlobalLSTMForecaster(
        h, n_steps_in, seeds=seed, deseasonalize=m if season and m > 1
        else None, **settings)


def lengths(subset):
    """The members' input lengths: 1, 1.5 and 2 times the base length."""
    base = BASE_LENGTH[SUBSETS[subset][3]]
    return (base, base * 3 // 2, 2 * base)


def panels(subset, stage, limit=None):
    """``(train, truth)``: the fitting panel and the values to score on."""
    dataset, kind, h, _ = SUBSETS[subset]
    load = lb.load_m3 if dataset == "M3" else lb.load_tourism
    train, test = load(kind)
    if limit:
        train, test = train.iloc[:, :limit], test.iloc[:, :limit]
    if stage == "validation":  # the last h training values of every series
        train, test = train.iloc[:-h], train.iloc[-h:]
        keep = train.notna().sum() > 0
        train, test = train.loc[:, keep], test.loc[:, keep]
    return train.dropna(how="all"), test


def score(subset, train, truth, forecast):
    """Per series: sMAPE, MAPE, MASE of ``forecast`` and of Naive2."""
    _, _, h, m = SUBSETS[subset]
    rows = []
    for name in truth.columns:
        fit = train[name].dropna().to_numpy()
        adjusted, future = adjust(fit, m)
        naive2 = np.repeat(adjusted[-1], h) * future(h)
        y = truth[name].to_numpy()
        rows.append({"series": name,
                     **scores(fit, y, forecast[name].to_numpy(), m),
                     **{f"naive2_{k}": v for k, v in
                        scores(fit, y, naive2, m).items()}})
    return rows


def summary(subset, stage, method, rows, seconds, members):
    """Mean sMAPE, MAPE, MASE and OWA of one method on one subset."""
    mean = {k: float(np.mean([r[k] for r in rows]))
            for k in ("sMAPE", "MAPE", "MASE", "naive2_sMAPE",
                      "naive2_MASE")}
    owa = 0.5 * (mean["sMAPE"] / mean["naive2_sMAPE"]
                 + mean["MASE"] / mean["naive2_MASE"])
    return {"stage": stage, "subset": subset, "method": method,
            "members": members, "n_series": len(rows),
            "sMAPE": round(mean["sMAPE"], 3), "MAPE": round(mean["MAPE"], 3),
            "MASE": round(mean["MASE"], 4), "OWA": round(owa, 4),
            "seconds": round(seconds, 1)}


def statistical(subset, train, jobs=2):
    """``{method: forecast panel}`` of the statistical methods that the
    combinations use, one series per process job."""
    _, _, h, m = SUBSETS[subset]
    series = [train[name].dropna().to_numpy() for name in train.columns]
    with Pool(jobs) as pool:
        outs = pool.starmap(competitions.forecasts,
                            [(x, h, m, STATISTICAL)
                                        for x in series], chunksize=8)
    index = pd.RangeIndex(1, h + 1, name="step")
    return {method: pd.DataFrame({name: out[0][method] for name, out in
                                  zip(train.columns, outs)}, index=index)
            for method in STATISTICAL}


def combinations(subset, stage, train, truth, lstm, seconds, jobs=2):
    """Summary rows of every combination (equal-weight means) and of the
    statistical methods alone, and the per-series rows of each."""
    start = time.perf_counter()
    parts_ = {"LSTM": lstm, **statistical(subset, train, jobs)}
    stats_seconds = time.perf_counter() - start
    rows, series = [], []
    for name, parts in COMBINATIONS.items():
        mean = sum(parts_[p] for p in parts) / len(parts)
        per_series = score(subset, train, truth, mean)
        cost = (seconds if "LSTM" in parts else 0) + stats_seconds
        rows.append(summary(subset, stage, name, per_series, cost,
                            len(parts)))
        if name in STORED_SERIES:  # the per-series rows the book tests
            series += stored_rows(subset, name, per_series)
        print(rows[-1], flush=True)
    return rows, series


def stored_rows(subset, method, per_series):
    """Per-series rows as ``global_lstm_series.csv`` keeps them (Naive2's
    scores are in ``competitions_series.csv`` already)."""
    return [{"subset": subset, "method": method,
             **{k: v for k, v in r.items() if not k.startswith("naive2")}}
            for r in per_series]


def run(subset, stage, candidate, seeds, limit=None):
    """Train the members, score each, their median and its combinations
    with the statistical methods; summary rows and per-series rows."""
    train, truth = panels(subset, stage, limit)
    members, rows, total = [], [], 0.0
    for n_in in lengths(subset):
        for seed in seeds:
            member = forecaster(subset, candidate, n_in, seed)
            start = time.perf_counter()
            forecast = member.fit(train).predict()
            seconds = time.perf_counter() - start
            total += seconds
            members.append(member)
            rows.append(summary(subset, stage, f"LSTM n_in={n_in} "
                                f"seed={seed}", score(subset, train, truth,
                                                      forecast), seconds, 1))
            print(rows[-1], flush=True)
    median = lb.MedianEnsemble(members).predict()
    ensemble = score(subset, train, truth, median)
    rows.append(summary(subset, stage, "LSTM ensemble", ensemble, total,
                        len(members)))
    print(rows[-1], flush=True)
    if candidate != CHOSEN:  # a candidate form: the LSTM alone
        return rows, []
    combined, series = combinations(subset, stage, train, truth, median,
                                    total)
    return (rows + combined,
            series + stored_rows(subset, "LSTM ensemble", ensemble))


def merged(name, rows, keys=("stage", "subset", "candidate")):
    """``rows`` plus the stored rows of ``name`` that they do not replace."""
    new = {tuple(str(r[k]) for k in keys) for r in rows}
    return [r for r in competitions.read(name)
            if tuple(r[k] for k in keys) not in new] + rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", choices=("validation", "test"),
                        default="test")
    parser.add_argument("--subsets", nargs="*", choices=list(SUBSETS),
                        default=list(SUBSETS))
    parser.add_argument("--candidates", nargs="*",
                        choices=list(CANDIDATES), default=list(CANDIDATES),
                        help="validation stage: the forms compared on M3 "
                             "monthly (the chosen one runs with --subsets)")
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N series (nothing is stored)")
    args = parser.parse_args()
    keras.config.set_floatx("float32")  # 2x faster; the book's chapters
    # keep float64 for reproducible digits (see "Reproducibility")
    table, series = [], []
    validation = args.stage == "validation"
    summary_table = ("global_lstm_validation.csv" if validation
                     else "global_lstm.csv")
    for candidate in args.candidates if validation else ():
        if candidate != CHOSEN:
            rows, _ = run("M3/monthly", "validation", candidate, (0,),
                          args.limit)
            table += [{**r, "candidate": candidate} for r in rows]
    for subset in args.subsets:
        rows, per_series = run(subset, args.stage, CHOSEN,
                               (0,) if validation else SEEDS, args.limit)
        table += [{**r, "candidate": CHOSEN} for r in rows]
        series += per_series
        if not args.limit:  # after each subset, as competitions.py does
            save(summary_table, merged(summary_table, table))
            if not validation:
                save("global_lstm_series.csv",
                     merged("global_lstm_series.csv", [
                         {k: (round(v, 4) if isinstance(v, float) else v)
                          for k, v in r.items()} for r in series],
                         keys=("subset", "method", "series")))
    if validation and not args.subsets and not args.limit:
        save(summary_table, merged(summary_table, table))


if __name__ == "__main__":
    main()
