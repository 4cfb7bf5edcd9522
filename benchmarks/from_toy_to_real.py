"""Benchmark: the first real-data LSTM of "From toy to real", over seeds.

Usage: python benchmarks/from_toy_to_real.py [n_seeds]

The chapter trains one seed of each experiment live; this script repeats
them over several seeds so the chapter can say how typical its seed is.
The pipeline is the chapter's, step by step: airline passengers split by
time into train (1949-1958), validation (1959) and test (1960); a min-max
scaler; windows of ``n_steps_in`` months in and 12 out; one LSTM(32) layer
and a Dense(12) head; 500 full-batch epochs of Adam; the 12-month forecast
from the last window before the validation year and before the test year,
scaled back to passengers.

Two experiments:

* ``scaler``: the scaler fitted on the training part only ("honest") or
  on the whole series ("leaky"), 12 steps in; MAE on the test year.
* ``window``: 3, 6, 12 or 24 steps in, honest scaler; MAE on the
  validation year (where the window length is chosen) and the test year.

Computes in float64 with oneDNN's custom kernels off, as the chapter does,
so the chapter's seed reproduces its rows exactly.
Writes lstmbook/data/results/from_toy_to_real.csv.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import save  # noqa: E402

HORIZON = 12
EPOCHS = 500
UNITS = 32


def first_lstm(n_steps_in, leaky, seed):
    """The chapter's pipeline; returns (validation MAE, test MAE)."""
    airline = lb.load_airline()
    train, val, test = lb.chronological_split(airline, test_size=HORIZON,
                                              val_size=HORIZON)
    scaler = lb.Scaler("minmax").fit(airline if leaky else train)
    X, y = lb.split_sequence(scaler.transform(train), n_steps_in, HORIZON)
    X = X.reshape((X.shape[0], n_steps_in, 1))
    lb.set_seed(seed)
    model = lb.vanilla_lstm((n_steps_in, 1), HORIZON, units=UNITS)
    lb.fit(model, X, y, epochs=EPOCHS, batch_size=None)

    def forecast(history):
        window = scaler.transform(history.to_numpy()[-n_steps_in:])
        yhat = lb.predict(model, window.reshape((1, n_steps_in, 1)))
        return scaler.inverse_transform(yhat).ravel()

    return (lb.mae(val, forecast(train)),
            lb.mae(test, forecast(pd.concat([train, val]))))


def main(n_seeds=10):
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    rows = []
    settings = ([("scaler", "honest", 12, False, s) for s in range(n_seeds)]
                + [("scaler", "leaky", 12, True, s) for s in range(n_seeds)]
                + [("window", str(n), n, False, s) for n in (3, 6, 12, 24)
                   for s in range(max(1, n_seeds // 2))])
    print(f"{'experiment':10s} {'setting':8s} {'seed':>4s} {'val MAE':>8s} "
          f"{'test MAE':>8s} {'time':>6s}")
    for experiment, setting, n_steps_in, leaky, seed in settings:
        start = time.perf_counter()
        val_mae, test_mae = first_lstm(n_steps_in, leaky, seed)
        seconds = time.perf_counter() - start
        print(f"{experiment:10s} {setting:8s} {seed:4d} {val_mae:8.2f} "
              f"{test_mae:8.2f} {seconds:5.1f}s", flush=True)
        rows.append({"experiment": experiment, "setting": setting,
                     "n_steps_in": n_steps_in, "seed": seed,
                     "val_mae": round(val_mae, 4),
                     "test_mae": round(test_mae, 4),
                     "epochs": EPOCHS, "units": UNITS})
    table = pd.DataFrame(rows)
    print(table.groupby(["experiment", "setting"], sort=False)[
        ["val_mae", "test_mae"]].agg(["mean", "std"]).round(1))
    save("from_toy_to_real.csv", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
