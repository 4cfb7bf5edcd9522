"""Benchmark: the single-series recipe on series nobody tuned it for.

Usage (from the repository root):

    python benchmarks/robustness.py --part 0 --parts 2 &   # one core each
    python benchmarks/robustness.py --part 1 --parts 2
    python benchmarks/robustness.py --summary              # merge and store
    python benchmarks/robustness.py --limit 1              # smoke test

The series. A fixed random sample (numpy seed ``SAMPLE_SEED``) of
``PER_SUBSET`` series from each of M3 monthly, M3 quarterly, Tourism
monthly and Tourism quarterly (``lb.load_m3``, ``lb.load_tourism``): 48
series that no chapter forecasts one by one and no setting of the recipe
was chosen on. Each is the competition's training part followed by its
test part, with the competition's horizon (18 or 24 months, 8 quarters).
Besides them, the book's own four series (airline, CO2, wineind and
sunspots) on the 10 test origins of ``benchmarks/real_data.py``.

A development sample came first (seed ``DEV_SEED``, drawn the same way;
the reported sample excludes it). The recipe's first version ran on its
first 20 series (the 12 M3 monthly and 8 of the M3 quarterly ones). Its
safeguard then gave *every* component that did not beat seasonal naive on
validation a weight of 0, and forecast with seasonal naive when none did.
It did so at 6 of the 40 origins, and there its MASE averaged 0.82
against AutoETS's 0.64 (on N2318, 1.16 against 0.22 at one origin): four
validation folds are too few to throw exponential smoothing away. Those
rows are stored as ``robustness_development.csv``. The safeguard now applies to the LSTM only; AutoETS and AutoTheta
always stay in, and seasonal naive joins them when nothing beats it. No
other setting was changed, and nothing was chosen on the reported sample.

The protocol: rolling origin. Sample series: the last ``N_TEST_ORIGINS``
origins, half a horizon apart, the last one the competition's own. At each
origin every method sees only the values before it:
``lb.RobustForecaster`` with its defaults (4 validation origins inside
that history, 4 LSTM settings, the best 2 averaged, AutoETS and AutoTheta,
weights 1/MASE, the seasonal naive safeguard), and the references: naive,
seasonal naive, and statsforecast's AutoETS, AutoTheta and AutoARIMA.
From the same fit, the recipe's parts are scored alone: the best
validated LSTM setting (one seed: a single model), the average of the best
two (an ensemble of settings), the equal-weight mean of LSTM, AutoETS and
AutoTheta without the safeguard, and AutoETS + AutoTheta alone (what the
LSTM adds to a classical combination). The recipe's defaults were fixed
before this benchmark ran; nothing here was used to choose them.

Scores: MASE per fold with the fold's own in-sample seasonal naive scale
(as ``lb.backtest``); a series' score is the mean over its folds. The
summary gives, per method, the mean and median MASE over the 48 series,
the share of series where it beats seasonal naive, and a bootstrap over
series of its MASE difference to seasonal naive and to the best
statsforecast model (``lb.series_bootstrap``); for the book's series, a
Diebold-Mariano test over the 10 folds (``lb.compare``).

Stores (``lstmbook/data/results/``): ``robustness_folds.csv`` (one row per
series, origin and method), ``robustness.csv`` (the summary),
``robustness_choices.csv`` (what the recipe chose at every origin: weights,
LSTM settings, validation MASE), ``robustness_book.csv`` (the book's four
series, with the tests), and with ``--development DIR`` the first
version's rows on the development series, ``robustness_development.csv``. Parts write to ``--work`` first, so a
stopped run resumes where it stopped.

Computes in float64 with oneDNN's custom kernels off, as the chapters do,
one thread per process.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lstmbook as lb  # noqa: E402
from lstmbook.recipe import classical_forecast  # noqa: E402
import part_runs  # noqa: E402
from results_csv import save_frame  # noqa: E402

SUBSETS = (("M3", "monthly"), ("M3", "quarterly"),
           ("Tourism", "monthly"), ("Tourism", "quarterly"))
PER_SUBSET = 12
# The development sample (seed 2026): the first version of the recipe ran
# on 19 of its series, which showed its safeguard too strict (see the
# module docstring). The reported sample (seed 2027) leaves those out.
DEV_SEED = 2026
SAMPLE_SEED = 2027
N_TEST_ORIGINS = 2
# The book's series: real_data.py's horizons and 10 test origins.
BOOK = {"airline": 12, "co2": 12, "wineind": 12, "sunspots": 10}
N_BOOK_ORIGINS = 10
REFERENCES = ("naive", "seasonal naive", "AutoETS", "AutoTheta",
              "AutoARIMA")
CLASSICAL = ("AutoETS", "AutoTheta", "AutoARIMA")
RECIPE = "recipe"
PARTS = {  # the recipe's parts, scored alone (see the module docstring)
    "LSTM, best setting (single model)": "single",
    "LSTM, best 2 settings (ensemble)": "ensemble",
    "LSTM + ETS + Theta, equal weights": "equal",
    "ETS + Theta, equal weights": "classical",
}
FOLDS_CSV = "robustness_folds.csv"
SUMMARY_CSV = "robustness.csv"
CHOICES_CSV = "robustness_choices.csv"
BOOK_CSV = "robustness_book.csv"
DEVELOPMENT_CSV = "robustness_development.csv"


def draws(seed, exclude=None):
    """``PER_SUBSET`` names of each subset, drawn at random by one
    generator, subset after subset (sorted within a subset); the names in
    ``exclude`` are not drawn."""
    rng = np.random.default_rng(seed)
    drawn = {}
    for competition, subset in SUBSETS:
        load = lb.load_m3 if competition == "M3" else lb.load_tourism
        names = [n for n in sorted(load(subset)[0].columns)
                 if n not in (exclude or {}).get(subset_key(competition,
                                                           subset), ())]
        drawn[subset_key(competition, subset)] = [
            names[k] for k in sorted(rng.choice(len(names), PER_SUBSET,
                                                replace=False))]
    return drawn


def subset_key(competition, subset):
    return f"{competition} {subset}"


def sample():
    """``(group, name, series, horizon, season, n_origins)`` for every
    series of the benchmark, the sample first."""
    chosen = draws(SAMPLE_SEED, exclude=draws(DEV_SEED))
    items = []
    for competition, subset in SUBSETS:
        load = lb.load_m3 if competition == "M3" else lb.load_tourism
        train, test = load(subset)
        season = 12 if subset == "monthly" else 4
        for name in chosen[subset_key(competition, subset)]:
            values = np.r_[train[name].dropna().to_numpy(),
                           test[name].to_numpy()]
            items.append((subset_key(competition, subset), name,
                          pd.Series(values, name=name), len(test), season,
                          N_TEST_ORIGINS))
    for name, horizon in BOOK.items():
        items.append(("book", name, lb.load_dataset(name), horizon,
                      lb.season_length(name), N_BOOK_ORIGINS))
    return items


def forecasts_at(history, horizon, season):
    """Every method's forecast from one history, and the recipe's choices."""
    values = history.to_numpy(dtype="float64")
    out = {"naive": np.asarray(lb.naive_forecast(values, horizon))}
    out["AutoARIMA"] = classical_forecast("AutoARIMA", values, horizon,
                                          season)
    recipe = lb.RobustForecaster(horizon, season=season)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", lb.RecipeWarning)
        out[RECIPE] = recipe.fit(values).predict().to_numpy()
    parts = recipe.components_
    out["seasonal naive"] = parts["seasonal naive"].to_numpy()
    for name in ("AutoETS", "AutoTheta"):
        out[name] = parts[name].to_numpy()
    classical = parts[["AutoETS", "AutoTheta"]].mean(axis=1).to_numpy()
    out[_part("classical")] = classical
    if "LSTM" in parts:
        out[_part("single")] = recipe.lstm_members_[
            recipe.chosen_[0]].to_numpy()
        out[_part("ensemble")] = parts["LSTM"].to_numpy()
        out[_part("equal")] = parts[["LSTM", "AutoETS", "AutoTheta"]].mean(
            axis=1).to_numpy()
    report = recipe.report_
    choice = {
        "validation_folds": len(recipe.validation_),
        "lstm_settings": " | ".join(recipe.chosen_),
        "weights": " ".join(f"{n}={w:.3f}" for n, w in
                            recipe.weights_.items()),
        "seasonal_naive_joined": "seasonal naive" in recipe.weights_.index,
        "lstm_left_out": bool("LSTM" in report.index and
                              report.loc["LSTM", "weight"] == 0),
    }
    for name in ("LSTM", "AutoETS", "AutoTheta", "seasonal naive"):
        choice[f"val_MASE {name}"] = (float(report.loc[name,
                                                        "validation MASE"])
                                      if name in report.index else np.nan)
    return out, choice


def _part(key):
    return next(name for name, k in PARTS.items() if k == key)


def run_series(item):
    """Fold rows and choice rows of one series."""
    group, name, series, horizon, season, n_origins = item
    y = series.to_numpy(dtype="float64")
    fold_rows, choice_rows, forecasts = [], [], []
    for t in lb.rolling_origins(len(y), horizon, n_origins):
        keras.backend.clear_session()
        start = time.perf_counter()
        out, choice = forecasts_at(series.iloc[:t], horizon, season)
        seconds = time.perf_counter() - start
        actual = y[t:t + horizon]
        for method, forecast in out.items():
            fold_rows.append({
                "group": group, "series": name, "origin": int(t),
                "method": method,
                "MASE": lb.mase(actual, forecast, y[:t], season),
                "sMAPE": lb.smape(actual, forecast)})
        choice_rows.append({"group": group, "series": name, "origin": int(t),
                            "seconds": round(seconds, 1), **choice})
        forecasts.append({"origin": int(t), "actual": actual, **out})
    return fold_rows, choice_rows, forecasts


def run_part(part, parts, work, limit=None):
    """Run every ``parts``-th series, resuming from ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    items = [it for k, it in enumerate(sample()) if k % parts == part]
    for item in items[:limit]:
        path = work / f"{item[0].replace(' ', '_')}_{item[1]}.pkl"
        if path.exists():
            continue
        start = time.perf_counter()
        folds, choices, forecasts = run_series(item)
        pd.to_pickle((folds, choices, forecasts), path)
        table = pd.DataFrame(folds).groupby("method")["MASE"].mean()
        print(f"{item[0]:18s} {item[1]:8s} recipe {table[RECIPE]:.3f} "
              f"snaive {table['seasonal naive']:.3f} "
              f"ETS {table['AutoETS']:.3f}  "
              f"({time.perf_counter() - start:.0f} s)", flush=True)


# --- the summary ---------------------------------------------------------------

def load_work(work):
    folds, choices = [], []
    for path in sorted(Path(work).glob("*.pkl")):
        f, c = pd.read_pickle(path)[:2]
        folds += f
        choices += c
    return pd.DataFrame(folds), pd.DataFrame(choices)


def by_series(folds):
    """Each series' MASE (mean over its folds): rows series, columns
    methods."""
    return folds.groupby(["series", "method"], sort=False)["MASE"].mean() \
        .unstack("method")


def summary(folds):
    """One row per method and set of series (not the book's): every
    series for the methods that forecast them all, and the series where
    the recipe validated an LSTM for every method, so that the recipe's
    LSTM parts are compared on the same series as the rest."""
    scores = by_series(folds[folds["group"] != "book"])
    best = scores[list(CLASSICAL)].mean().idxmin()
    complete = [m for m in scores.columns if scores[m].notna().all()]
    with_lstm = scores.dropna()
    return pd.concat([
        _summary(scores[complete], "all", best),
        _summary(with_lstm, "with an LSTM", best)], ignore_index=True)


def _summary(scores, name, best):
    oracle = scores[list(CLASSICAL)].min(axis=1)
    rows = []
    for method in scores.columns:
        s = scores[method]
        kind = ("recipe" if method == RECIPE else
                "part of the recipe" if method in PARTS else "reference")
        row = {"series_set": name, "method": method, "kind": kind,
               "series": len(s), "mean_MASE": s.mean(),
               "median_MASE": s.median(),
               "beats_seasonal_naive": int(
                   (s < scores["seasonal naive"]).sum()),
               "best_statsforecast": best}
        for ref, key in (("seasonal naive", "snaive"), (best, "best")):
            if method == ref:
                continue
            boot = lb.series_bootstrap(s, scores[ref])
            row.update({f"diff_{key}": boot["mean_difference"],
                        f"low_{key}": boot["low"],
                        f"high_{key}": boot["high"]})
        ratio = s / oracle
        row.update({"ratio_to_best_of_three_median": ratio.median(),
                    "ratio_to_best_of_three_q90": ratio.quantile(0.9),
                    "ratio_to_best_of_three_max": ratio.max()})
        rows.append(row)
    return pd.DataFrame(rows).sort_values("mean_MASE")


def book_summary(folds):
    """The book's four series: mean MASE over the 10 folds, and the
    Diebold-Mariano test of each method against the dataset's baseline."""
    rows = []
    for name, table in folds[folds["group"] == "book"].groupby("series"):
        per_fold = table.pivot(index="origin", columns="method",
                               values="MASE")
        base = "naive" if lb.season_length(name) == 1 else "seasonal naive"
        for method in per_fold.columns:
            row = {"dataset": name, "method": method,
                   "MASE": per_fold[method].mean(), "baseline": base}
            if not np.allclose(per_fold[method], per_fold[base], atol=1e-3):
                dm = lb.diebold_mariano(per_fold[method], per_fold[base],
                                        lag=1)
                row.update({"diff_baseline": dm["mean_difference"],
                            "low": dm["low"], "high": dm["high"],
                            "p_value": dm["p_value"]})
            rows.append(row)
    return pd.DataFrame(rows)


def main(argv=None):
    parser = part_runs.parser(__doc__, "robustness")
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first LIMIT series of the part")
    parser.add_argument("--development", type=Path, default=None,
                        help="with --summary: the work folder of the first "
                        "version's run on the development sample, stored "
                        "as robustness_development.csv")
    args = parser.parse_args(argv)
    part_runs.one_core_float64()
    if not args.summary:
        run_part(args.part, args.parts, args.work, args.limit)
        return
    folds, choices = load_work(args.work)
    table, book = summary(folds), book_summary(folds)
    save_frame(FOLDS_CSV, folds)
    save_frame(CHOICES_CSV, choices)
    save_frame(SUMMARY_CSV, table)
    if len(book):
        save_frame(BOOK_CSV, book)
    if args.development:
        dev_folds, dev_choices = load_work(args.development)
        dev = dev_folds.merge(dev_choices[["series", "origin", "weights"]],
                              on=["series", "origin"])
        save_frame(DEVELOPMENT_CSV, dev)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))
        print(book.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
