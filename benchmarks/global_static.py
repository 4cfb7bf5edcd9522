"""Benchmark: a static input (the M3 category) in the global LSTM.

Usage:
    python benchmarks/global_static.py            # both stages, ~25 min
    python benchmarks/global_static.py --limit 60 # a quick look, not stored

M3 monthly (1,428 series) with the competition chapter's chosen form
(``benchmarks/global_lstm.py``'s ``CHOSEN``: logs, the M4 seasonal
adjustment, windows relative to their last value, each series' last 24
windows, MAE loss, 30 epochs, no series codes) and its middle input length
(18 months), trained twice per seed: as it is, and with
``static=["category"]``, each series' M3 category
(``lb.load_m3_categories``: micro, industry, macro, finance, demographic,
other) as a one-hot static input on every step. Without series codes, the
category is all the model knows about which series it reads.

Both stages of ``global_lstm.py``: ``validation`` scores the forecast of
each series' last 18 training values from the values before them (the
test part is never read), ``test`` the competition's own test part. Three
seeds per variant, scored alone and as their median (sMAPE, MASE, OWA
against Naive2, per category too). Float32 and one process, as
``global_lstm.py``.

Stores ``global_static.csv`` (stage, variant, members: mean sMAPE, MASE,
OWA, seconds), ``global_static_categories.csv`` (the same for the
medians, per category) and ``global_static_series.csv`` (the medians'
scores and Naive2's, per series) for "Inputs known in advance". Measured:
about 12 minutes on one core of the shared 2-core machine.
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
from global_lstm import CHOSEN, forecaster, panels, score  # noqa: E402
from results_csv import save_frame  # noqa: E402

SUBSET = "M3/monthly"
N_STEPS_IN = 18
SEEDS = (0, 1, 2)
VARIANTS = {"no static input": None, "category": ["category"]}
SUMMARY_CSV = "global_static.csv"
CATEGORIES_CSV = "global_static_categories.csv"
SERIES_CSV = "global_static_series.csv"


def member(static, seed):
    """One member of the chosen form, with or without the static input."""
    model = forecaster(SUBSET, CHOSEN, N_STEPS_IN, seed)
    if static is None:
        return model
    settings = model.get_params()
    return lb.GlobalLSTMForecaster(**{**settings, "static": static})


def owa(rows):
    """Mean sMAPE, MASE and OWA of per-series score rows."""
    frame = pd.DataFrame(rows)
    smape, mase = frame["sMAPE"].mean(), frame["MASE"].mean()
    return {"sMAPE": smape, "MASE": mase, "OWA": 0.5 * (
        smape / frame["naive2_sMAPE"].mean()
        + mase / frame["naive2_MASE"].mean()), "n_series": len(frame)}


def run(stage, limit):
    """Summary rows, per-category rows and per-series rows of one
    stage."""
    train, truth = panels(SUBSET, stage, limit)
    categories = lb.load_m3_categories("monthly").loc[train.columns]
    static = categories.to_frame()
    rows, by_category, by_series = [], [], []
    for variant, names in VARIANTS.items():
        forecasts, total = [], 0.0
        for seed in SEEDS:
            model = member(names, seed)
            start = time.perf_counter()
            model.fit(train, static=static if names else None)
            forecast = model.predict()
            seconds = time.perf_counter() - start
            total += seconds
            forecasts.append(forecast)
            rows.append({"stage": stage, "variant": variant,
                         "members": f"seed {seed}", **owa(score(
                             SUBSET, train, truth, forecast)),
                         "seconds": seconds})
            print(rows[-1], flush=True)
        median = pd.DataFrame(np.median(np.stack(forecasts), axis=0),
                              index=forecasts[0].index,
                              columns=forecasts[0].columns)
        scored = score(SUBSET, train, truth, median)
        rows.append({"stage": stage, "variant": variant,
                     "members": "median of 3", **owa(scored),
                     "seconds": total})
        print(rows[-1], flush=True)
        by_series += [{"stage": stage, "variant": variant, **r}
                      for r in scored]
        for category in sorted(set(categories)):
            part = [r for r in scored if categories[r["series"]] == category]
            by_category.append({"stage": stage, "variant": variant,
                                "category": category, **owa(part)})
    return rows, by_category, by_series


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N series (nothing is stored)")
    parser.add_argument("--stages", nargs="*", default=["validation", "test"],
                        choices=("validation", "test"))
    args = parser.parse_args()
    keras.config.set_floatx("float32")  # as global_lstm.py
    tables = ([], [], [])
    for stage in args.stages:
        for table, part in zip(tables, run(stage, args.limit)):
            table += part
    if not args.limit:
        for name, table in zip((SUMMARY_CSV, CATEGORIES_CSV, SERIES_CSV),
                               tables):
            save_frame(name, pd.DataFrame(table))


if __name__ == "__main__":
    main()
