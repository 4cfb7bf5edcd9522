"""Benchmark: LSTMs against baselines and classical models on real series.

Usage (from the repository root; the full run takes about an hour on 2 cores):

    python benchmarks/real_data.py                      # everything
    python benchmarks/real_data.py --stage validation   # choose settings only
    python benchmarks/real_data.py --stage test --datasets airline \
        --methods baselines classical vanilla           # a part of the test
    python benchmarks/real_data.py --summary            # re-print the tables
    python benchmarks/real_data.py --quick              # smoke test, no CSVs

Two runs on different ``--datasets`` may run at the same time (one per
core): each merges its rows into the CSVs under a file lock.

The protocol of Part 6 ("Evaluating forecasts honestly"): expanding-window
rolling origin with ``lb.backtest`` defaults (10 origins ``horizon // 2``
apart, the last fold ending at the end of the data), MASE with each fold's
training seasonal naive scale (``lb.summarize``).

Two stages, so that the test origins are touched once:

1. ``validation``: the data before the first test origin only. Three
   rolling origins (same horizon and step) end there; on them a vanilla
   LSTM (seed 0) is scored for every combination of log or not, seasonal
   difference or not, per-window normalisation or not, and a window of one
   or two seasons. The combination with the lowest validation MASE is the
   dataset's setting (``real_data_settings.csv``); every combination's
   score is kept (``real_data_validation.csv``).
2. ``test``: the 10 test origins, once, with those settings: baselines,
   statsforecast's AutoETS / AutoARIMA / AutoTheta (``season_length`` =
   the dataset's season), and ``lb.LSTMForecaster`` for every architecture
   of Parts 2-5 with 3 seeds (each seed scored alone, and their average
   forecast as the "3-seed ensemble").

The stored test results cover airline, CO2, sunspots and wineind, the four
series of the project's goals (about 45 minutes on a shared 2-core
machine). Seattle's settings are chosen, but its test stage was not run
for the stored tables; ``--stage test --datasets seattle_weather`` adds it.

Results, via ``results_csv.save`` into ``lstmbook/data/results/``:

- ``real_data_folds.csv``: one row per dataset, method, seed and test
  origin (MAE, RMSE, sMAPE, MASE, fit seconds). It is also the resume
  store: a later run replaces only the (dataset, method) rows it computes
  and keeps the others; rows already there are skipped unless ``--force``.
- ``real_data.csv``: one row per dataset and method: the scores averaged
  over folds (LSTM: the mean and standard deviation over seeds of each
  seed's MASE), and the rank within the dataset.
- ``real_data_validation.csv`` and ``real_data_settings.csv`` (above).

Training budget: every fit takes a few hundred gradient steps. CO2 (526
months), sunspots (309 years) and Seattle (1461 days) have many more
windows than airline, so they train with bigger batches and fewer epochs
(see ``DATASETS``; the settings CSV records them).

Computes in float64 with oneDNN's custom kernels off, as the chapters do, so
that a chapter re-running one fold with the same settings gets the same
numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import gc
import itertools
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import RESULTS, save  # noqa: E402

# name -> horizon, candidate windows (1 and 2 "seasons"), training settings.
# Seattle: forecast temp_max a week ahead (7 days; beyond about a week a
# weather forecast from the past alone is little better than climatology),
# with precipitation, temp_min and wind as extra inputs; its season is 1
# (yesterday), so the windows are one and two weeks. Sunspots: windows of
# one and two solar cycles (11 and 22 years).
DATASETS = {
    "airline": dict(horizon=12, windows=(12, 24), epochs=200, batch_size=32),
    "co2": dict(horizon=12, windows=(12, 24), epochs=100, batch_size=128),
    "sunspots": dict(horizon=10, windows=(11, 22), epochs=100, batch_size=64),
    "wineind": dict(horizon=12, windows=(12, 24), epochs=200, batch_size=32),
    "seattle_weather": dict(horizon=7, windows=(7, 14), epochs=60,
                            batch_size=256, target="temp_max"),
}
UNITS = 32
LEARNING_RATE = 1e-3
SEEDS = (0, 1, 2)
N_TEST_ORIGINS = 10
N_VAL_ORIGINS = 3
ARCHITECTURES = lb.forecasting.ARCHITECTURES
RECOMMENDED = "vanilla"  # the book's recipe: vanilla LSTM, chosen transforms
CLASSICAL = ("AutoETS", "AutoARIMA", "AutoTheta")
BASELINES = ("naive", "seasonal naive", "drift", "mean")

FOLDS_CSV = "real_data_folds.csv"
SUMMARY_CSV = "real_data.csv"
VALIDATION_CSV = "real_data_validation.csv"
SETTINGS_CSV = "real_data_settings.csv"


# --- data and protocol -------------------------------------------------------

def load(name):
    """The dataset, its season, horizon and target column (or None)."""
    spec = DATASETS[name]
    return (lb.load_dataset(name), lb.season_length(name), spec["horizon"],
            spec.get("target"))


def target_of(series, target):
    return series[target] if target else series


def first_test_origin(n_obs, horizon, n_origins=N_TEST_ORIGINS):
    """Where the test folds start: the data before it is for validation."""
    return int(lb.rolling_origins(n_obs, horizon, n_origins)[0])


def baseline_name(season):
    """The baseline the goal is measured against (naive when season is 1)."""
    return "seasonal naive" if season > 1 else "naive"


def baselines(season, horizon, target):
    def on(f):
        return lambda history: f(target_of(history, target))
    methods = {
        "naive": on(lambda y: lb.naive_forecast(y, horizon)),
        "seasonal naive": on(
            lambda y: lb.seasonal_naive_forecast(y, horizon, season)),
        "drift": on(lambda y: lb.drift_forecast(y, horizon)),
        "mean": on(lambda y: lb.mean_forecast(y, horizon)),
    }
    if season == 1:  # identical to naive: keep one of them
        del methods["seasonal naive"]
    return methods


def classical(season, horizon, target):
    """statsforecast's automatic models as callables for lb.backtest."""
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    models = {"AutoETS": AutoETS, "AutoARIMA": AutoARIMA,
              "AutoTheta": AutoTheta}

    def wrap(model_class):
        def forecast(history):
            y = target_of(history, target).to_numpy(dtype="float64")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = model_class(season_length=season).forecast(y=y,
                                                                 h=horizon)
            return out["mean"]
        return forecast

    return {name: wrap(cls) for name, cls in models.items()}


def forecaster(name, settings, architecture=RECOMMENDED, seeds=SEEDS,
               **overrides):
    """The LSTMForecaster a dataset's settings describe."""
    spec = DATASETS[name]
    kwargs = dict(
        horizon=spec["horizon"], n_steps_in=int(settings["n_steps_in"]),
        architecture=architecture, units=UNITS, epochs=spec["epochs"],
        batch_size=spec["batch_size"], learning_rate=LEARNING_RATE,
        log=bool(settings["log"]),
        season_diff=int(settings["season_diff"]) or None,
        normalize="last" if bool(settings["normalize"]) else None,
        seeds=seeds, target=spec.get("target"))
    kwargs.update(overrides)
    return lb.LSTMForecaster(**kwargs)


class SeedRuns:
    """Fit one multi-seed LSTMForecaster per fold; score each seed alone.

    ``member(seed)`` is a callable for lb.backtest that returns that seed's
    forecast, ``member("ensemble")`` the average of all seeds (exactly what
    ``LSTMForecaster(seeds=SEEDS)`` forecasts). The models are fitted once
    per history, by whichever member is called first.
    """

    def __init__(self, make):
        self.make = make
        self.key = None
        self.seconds = {}

    def _run(self, history):
        key = (len(history), history.index[-1])
        if key != self.key:
            keras.backend.clear_session()
            gc.collect()
            model = self.make()
            start = time.perf_counter()
            model.fit(history)
            per_fit = (time.perf_counter() - start) / len(model.seeds)
            out = {"ensemble": np.asarray(model.predict())}
            members = model.predict_members()
            for seed in model.seeds:
                out[seed] = members[seed].to_numpy()
            self.key, self.out = key, out
            self.seconds[history.index[-1]] = per_fit
        return self.out

    def member(self, which):
        return lambda history: self._run(history)[which]


# --- scoring -----------------------------------------------------------------

def fold_scores(results):
    """One row per method and origin: MAE, RMSE, sMAPE, MASE of that fold.

    Averaging these over origins gives exactly ``lb.summarize``.
    """
    rows = []
    for (method, origin), fold in results.groupby(["method", "origin"],
                                                  sort=False):
        fold_mae = lb.mae(fold["actual"], fold["forecast"])
        rows.append({
            "method": method,
            "origin": pd.Timestamp(origin).date().isoformat(),
            "MAE": fold_mae, "RMSE": lb.rmse(fold["actual"], fold["forecast"]),
            "sMAPE": lb.smape(fold["actual"], fold["forecast"]),
            "MASE": fold_mae / fold["scale"].iloc[0],
        })
    table = pd.DataFrame(rows)
    check = lb.summarize(results)["MASE"]
    mine = table.groupby("method")["MASE"].mean()
    assert np.allclose(mine.loc[check.index], check), "scores disagree"
    return table


# --- stage 1: validation -----------------------------------------------------

def grid(name, season, positive):
    """The transform combinations searched on the validation origins."""
    logs = (False, True) if positive else (False,)
    return [dict(log=log, season_diff=diff * season, normalize=norm,
                 n_steps_in=window)
            for window, log, diff, norm in itertools.product(
                DATASETS[name]["windows"], logs, (0, 1), (False, True))]


def describe(settings):
    parts = [p for p, on in (("log", settings["log"]),
                             ("diff", settings["season_diff"]),
                             ("norm", settings["normalize"])) if on]
    return "+".join(parts) or "none"


def validate(name, seeds=(0,)):
    series, season, horizon, target = load(name)
    cut = first_test_origin(len(series), horizon)
    head = series.iloc[:cut]
    y = target_of(series, target)
    positive = bool((y > 0).all())
    origins = lb.rolling_origins(cut, horizon, N_VAL_ORIGINS)
    base = baseline_name(season)
    ref = lb.backtest(head, {base: baselines(season, horizon, target)[base]},
                      horizon, N_VAL_ORIGINS, season=season, target=target)
    ref_mase = float(lb.summarize(ref)["MASE"].iloc[0])
    rows = []
    for settings in grid(name, season, positive):
        start = time.perf_counter()
        runs = SeedRuns(lambda: forecaster(name, settings, seeds=seeds))
        res = lb.backtest(head, {s: runs.member(s) for s in seeds}, horizon,
                          N_VAL_ORIGINS, season=season, target=target)
        mase = lb.summarize(res)["MASE"]
        row = {"dataset": name, "transforms": describe(settings),
               "log": settings["log"], "season_diff": settings["season_diff"],
               "normalize": settings["normalize"],
               "n_steps_in": settings["n_steps_in"],
               "val_MASE": float(mase.mean()),
               "baseline": base, "baseline_val_MASE": ref_mase,
               "val_origins": " ".join(str(series.index[t].date())
                                       for t in origins),
               "seeds": " ".join(map(str, seeds)),
               "seconds": time.perf_counter() - start}
        rows.append(row)
        print(f"  {name:16s} {row['transforms']:14s} window "
              f"{row['n_steps_in']:2d}  val MASE {row['val_MASE']:.3f}  "
              f"({row['seconds']:.0f} s)", flush=True)
    table = pd.DataFrame(rows)
    table["rank"] = table["val_MASE"].rank(method="first").astype(int)
    table["chosen"] = table["rank"] == 1
    return table


# --- stage 2: test -----------------------------------------------------------

def method_groups(requested):
    """Expand --methods into (group, names) pairs."""
    out = []
    for item in requested:
        if item == "baselines":
            out.append(("baseline", None))
        elif item == "classical":
            out.append(("classical", None))
        elif item == "lstm":
            out.extend(("lstm", arch) for arch in ARCHITECTURES)
        elif item in ARCHITECTURES:
            out.append(("lstm", item))
        else:
            raise SystemExit(f"unknown method {item!r}: use baselines, "
                             f"classical, lstm or one of {ARCHITECTURES}")
    return out


def test_group(name, family, arch, settings, n_origins=N_TEST_ORIGINS,
               seeds=SEEDS, **overrides):
    """Fold scores of one method group on the test origins of ``name``."""
    series, season, horizon, target = load(name)
    kw = dict(horizon=horizon, n_origins=n_origins, season=season,
              target=target)
    if family == "baseline":
        res = lb.backtest(series, baselines(season, horizon, target), **kw)
        table = fold_scores(res).assign(family="baseline", architecture="",
                                        seed="", fit_s=np.nan)
    elif family == "classical":
        methods = classical(season, horizon, target)
        seconds = {}

        def timed(f, method):
            def run(history):
                start = time.perf_counter()
                out = f(history)
                seconds[(method, history.index[-1])] = (
                    time.perf_counter() - start)
                return out
            return run

        res = lb.backtest(series, {m: timed(f, m) for m, f in
                                   methods.items()}, **kw)
        table = fold_scores(res).assign(family="classical", architecture="",
                                        seed="")
        ends = {pd.Timestamp(o).date().isoformat(): series.index[
            series.index.get_loc(pd.Timestamp(o)) - 1]
            for o in table["origin"].unique()}
        table["fit_s"] = [seconds[(m, ends[o])] for m, o in
                          zip(table["method"], table["origin"])]
    else:
        runs = SeedRuns(lambda: forecaster(name, settings, arch, seeds,
                                           **overrides))
        members = [*seeds, "ensemble"] if len(seeds) > 1 else list(seeds)
        res = lb.backtest(series, {str(m): runs.member(m) for m in members},
                          **kw)
        table = fold_scores(res)
        table["seed"] = table["method"]
        table["method"] = f"LSTM {arch}"
        table["family"] = "lstm"
        table["architecture"] = arch
        ends = {pd.Timestamp(o).date().isoformat(): series.index[
            series.index.get_loc(pd.Timestamp(o)) - 1]
            for o in table["origin"].unique()}
        table["fit_s"] = [runs.seconds[ends[o]] for o in table["origin"]]
    table["origin_index"] = [series.index.get_loc(pd.Timestamp(o))
                             for o in table["origin"]]
    table.insert(0, "dataset", name)
    return table[["dataset", "method", "family", "architecture", "seed",
                  "origin", "origin_index", "MAE", "RMSE", "sMAPE", "MASE",
                  "fit_s"]]


def summarize_folds(folds):
    """One row per dataset and method (LSTM: seed mean +- sd; ensemble)."""
    folds = folds.copy()
    folds["seed"] = folds["seed"].fillna("").astype(str)
    rows = []
    metrics = ["MAE", "RMSE", "sMAPE", "MASE"]
    for (name, method), g in folds.groupby(["dataset", "method"], sort=False):
        family, arch = g["family"].iloc[0], g["architecture"].iloc[0]
        arch = "" if pd.isna(arch) else arch
        base = {"dataset": name, "family": family, "architecture": arch}
        if family != "lstm":
            rows.append({**base, "method": method, "seeds": "",
                         **g[metrics].mean().to_dict(), "MASE_sd": np.nan,
                         "fit_s": g["fit_s"].mean(),
                         "n_origins": g["origin"].nunique()})
            continue
        single = g[g["seed"] != "ensemble"]
        per_seed = single.groupby("seed")[metrics].mean()
        rows.append({**base, "method": method,
                     "seeds": f"mean of {len(per_seed)}",
                     **per_seed.mean().to_dict(),
                     "MASE_sd": per_seed["MASE"].std(ddof=1)
                     if len(per_seed) > 1 else np.nan,
                     "fit_s": single["fit_s"].mean(),
                     "n_origins": single["origin"].nunique()})
        ens = g[g["seed"] == "ensemble"]
        if len(ens):
            rows.append({**base, "method": f"{method} (ensemble)",
                         "seeds": f"ensemble of {len(per_seed)}",
                         **ens[metrics].mean().to_dict(), "MASE_sd": np.nan,
                         "fit_s": ens["fit_s"].mean() * len(per_seed),
                         "n_origins": ens["origin"].nunique()})
    table = pd.DataFrame(rows)
    table["rank"] = (table.groupby("dataset")["MASE"]
                     .rank(method="min").astype(int))
    order = {n: i for i, n in enumerate(DATASETS)}
    table = table.sort_values(["dataset", "MASE"],
                              key=lambda c: c.map(order) if c.name ==
                              "dataset" else c)
    return table[["dataset", "method", "family", "architecture", "seeds",
                  "MASE", "MASE_sd", "MAE", "RMSE", "sMAPE", "rank",
                  "n_origins", "fit_s"]].reset_index(drop=True)


def goals(summary):
    """The project's goals, checked on the summary table."""
    lines = []
    recipe = f"LSTM {RECOMMENDED}"
    best_lstm = {}
    for name in DATASETS:
        s = summary[summary["dataset"] == name].set_index("method")
        if recipe not in s.index:
            continue
        base = baseline_name(lb.season_length(name))
        lstm = s.loc[recipe, "MASE"]
        best_lstm[name] = s[s["family"] == "lstm"]["MASE"].min()
        classic = s[s["family"] == "classical"]["MASE"]
        lines.append(
            f"{name:16s} recipe {lstm:.3f} (sd {s.loc[recipe, 'MASE_sd']:.3f})"
            f"  {base} {s.loc[base, 'MASE']:.3f}  beats it: "
            f"{lstm < s.loc[base, 'MASE']}  best classical "
            f"{classic.idxmin()} {classic.min():.3f}  ratio "
            f"{lstm / classic.min():.2f}  beats AutoETS: "
            f"{lstm < s.loc['AutoETS', 'MASE']}")
    return "\n".join(lines)


# --- files -------------------------------------------------------------------

def read(name):
    path = RESULTS / name
    return pd.read_csv(path, keep_default_na=True) if path.exists() else None


def write(name, table):
    table = table.copy()
    for col in table.columns:
        if table[col].dtype.kind == "f":
            table[col] = table[col].round(5)
    save(name, table.astype(object).where(table.notna(), "")
         .to_dict("records"))


def run_validation(datasets, force, seeds):
    old = read(VALIDATION_CSV)
    tables = [] if old is None else [old[~old["dataset"].isin(
        datasets if force else [])]]
    for name in datasets:
        if not force and old is not None and (old["dataset"] == name).any():
            print(f"validation {name}: stored, skipped (--force to redo)")
            continue
        print(f"validation {name}", flush=True)
        tables.append(validate(name, seeds))
        table = pd.concat(tables, ignore_index=True)
        write(VALIDATION_CSV, table)
        write_settings(table)


def write_settings(validation):
    rows = []
    for name in DATASETS:
        v = validation[(validation["dataset"] == name)
                       & validation["chosen"].astype(bool)]
        if v.empty:
            continue
        v = v.iloc[0]
        series, season, horizon, target = load(name)
        spec = DATASETS[name]
        rows.append({
            "dataset": name, "target": target or "", "horizon": horizon,
            "season": season, "baseline": baseline_name(season),
            "first_test_origin": str(series.index[first_test_origin(
                len(series), horizon)].date()),
            "n_test_origins": N_TEST_ORIGINS, "step": max(1, horizon // 2),
            "val_origins": v["val_origins"], "transforms": v["transforms"],
            "log": bool(v["log"]), "season_diff": int(v["season_diff"]),
            "normalize": bool(v["normalize"]),
            "n_steps_in": int(v["n_steps_in"]), "val_MASE": v["val_MASE"],
            "units": UNITS, "epochs": spec["epochs"],
            "batch_size": spec["batch_size"], "learning_rate": LEARNING_RATE,
            "seeds": " ".join(map(str, SEEDS)),
        })
    write(SETTINGS_CSV, pd.DataFrame(rows))


def settings_for(name):
    settings = read(SETTINGS_CSV)
    if settings is None or not (settings["dataset"] == name).any():
        raise SystemExit(f"no chosen settings for {name}: run "
                         f"--stage validation --datasets {name} first.")
    return settings.set_index("dataset").loc[name].to_dict()


@contextlib.contextmanager
def locked():
    """Hold a lock on the results while reading and rewriting them.

    Two runs on different datasets (``--datasets``) can then share the
    machine's cores and still merge their rows into the same CSVs.
    """
    path = Path(tempfile.gettempdir()) / "lstmbook-real_data.lock"
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def sort_folds(folds):
    order = {n: i for i, n in enumerate(DATASETS)}
    key = folds["dataset"].map(order)
    return (folds.assign(_key=key)
            .sort_values(["_key", "family", "method", "seed",
                          "origin_index"], kind="stable",
                         key=lambda c: c.astype(str) if c.name in (
                             "seed", "family", "method") else c)
            .drop(columns="_key").reset_index(drop=True))


def run_test(datasets, requested, force):
    for name in datasets:
        for family, arch in method_groups(requested):
            if family == "lstm":
                mask = lambda f: (f["dataset"] == name) & (  # noqa: E731
                    f["architecture"] == arch)
            else:
                mask = lambda f: (f["dataset"] == name) & (  # noqa: E731
                    f["family"] == family)
            label = f"{name} {arch or family}"
            folds = read(FOLDS_CSV)
            if folds is not None and mask(folds).any() and not force:
                print(f"test {label}: stored, skipped (--force to redo)")
                continue
            start = time.perf_counter()
            print(f"test {label} ...", flush=True)
            settings = settings_for(name) if family == "lstm" else None
            table = test_group(name, family, arch, settings)
            with locked():
                folds = read(FOLDS_CSV)  # another run may have added rows
                folds = table if folds is None else pd.concat(
                    [folds[~mask(folds)], table], ignore_index=True)
                write(FOLDS_CSV, sort_folds(folds))
                summary = summarize_folds(folds)
                write(SUMMARY_CSV, summary)
            print(f"test {label}: {time.perf_counter() - start:.0f} s")
            show(summary[summary["dataset"] == name])


def show(summary):
    cols = ["dataset", "method", "MASE", "MASE_sd", "MAE", "RMSE", "sMAPE",
            "rank", "fit_s"]
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(summary[cols].round(3).to_string(index=False), flush=True)


def quick():
    """A smoke test of every code path in a minute: nothing is written."""
    name = "airline"
    settings = dict(log=True, season_diff=12, normalize=True, n_steps_in=12)
    for family, arch in [("baseline", None), ("classical", None),
                         ("lstm", "vanilla"), ("lstm", "conv_lstm")]:
        table = test_group(name, family, arch, settings, n_origins=2,
                           seeds=(0, 1), epochs=5)
        print(table.round(3).to_string(index=False))
    print(summarize_folds(table).round(3).to_string(index=False))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", choices=("validation", "test", "all"),
                        default="all")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS),
                        choices=list(DATASETS))
    parser.add_argument("--methods", nargs="+",
                        default=["baselines", "classical", "lstm"],
                        help="baselines, classical, lstm, or architectures")
    parser.add_argument("--force", action="store_true",
                        help="recompute results that are already stored")
    parser.add_argument("--val-seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--summary", action="store_true",
                        help="print the stored tables and the goals")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    keras.config.set_floatx("float64")  # as the chapters compute
    if args.quick:
        return quick()
    start = time.perf_counter()
    if not args.summary:
        if args.stage in ("validation", "all"):
            run_validation(args.datasets, args.force, tuple(args.val_seeds))
        if args.stage in ("test", "all"):
            run_test(args.datasets, args.methods, args.force)
    folds = read(FOLDS_CSV)
    if folds is not None:
        summary = summarize_folds(folds)
        show(summary)
        print(goals(summary))
    settings = read(SETTINGS_CSV)
    if settings is not None:
        print(settings.to_string(index=False))
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
