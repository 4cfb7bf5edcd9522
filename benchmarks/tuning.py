"""Benchmark: which hyper-parameters of an LSTM forecaster matter, honestly.

Usage: python benchmarks/tuning.py

The airline series (``lb.load_airline()``), forecast 12 months ahead with
``lb.LSTMForecaster(season_diff=12, normalize=None)`` (the transforms
``benchmarks/real_data.py`` chose for airline on the same validation
folds, before any test fold was scored) and a stack of LSTM layers built
by ``lb.stacked_lstm``. Two sets of folds that never overlap:

* **validation**: 3 rolling origins (months 54, 60 and 66) whose forecasts
  end before month 78; the settings are chosen here;
* **test**: the book's 10 rolling origins (months 78 to 132, the last
  fold ending with the data), MASE with the seasonal naive scale of each
  fold (season 12), the protocol of Part 6.

Two studies:

* ``one at a time``: start from the default settings (window 12 months,
  32 units, 1 layer, no dropout, learning rate 0.001, all windows in one
  batch, 200 epochs) and change one setting at a time (a few values each,
  kept few so the run takes ~14 minutes on 2 shared cores), each with
  seeds 0 and 1, scored on validation and test folds;
* ``random search``: 10 settings drawn at random from a grid, seed 0,
  scored on the validation folds; the best is the one a practitioner would
  choose. Every setting is also scored on the test folds, only to measure
  how well the validation ranking predicted the test ranking (in a real
  project the test folds are used once, for the chosen setting).

Computes in float64 with oneDNN's custom kernels off, as the chapters do,
so the chapter "Choosing hyper-parameters" re-checks rows of the table.
Writes lstmbook/data/results/tuning.csv: one row per study, setting and
seed. ``batch_size`` is empty for "all windows in one batch";
``seconds`` is the time of all validation and test fits of the row;
``chosen`` is True on the one row with the lowest validation MASE among
the random settings and the default (seed 0): the setting a practitioner
would pick, on validation scores only.
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import save  # noqa: E402

HORIZON, SEASON = 12, 12
VAL_END, VAL_ORIGINS = 78, 3  # validation forecasts end before month 78

DEFAULT = dict(n_steps_in=12, units=32, layers=1, dropout=0.0,
               learning_rate=1e-3, batch_size=None, epochs=200)
ONE_AT_A_TIME = {
    "n_steps_in": [3, 12, 24],
    "units": [4, 32, 128],
    "layers": [1, 2],
    "dropout": [0.0, 0.3],
    "learning_rate": [1e-4, 1e-3, 1e-2],
    "batch_size": [16, None],
    "epochs": [50, 200, 400],
}
SEEDS = (0, 1)
GRID = {
    "n_steps_in": [6, 12, 18, 24],
    "units": [8, 16, 32, 64],
    "layers": [1, 2],
    "dropout": [0.0, 0.1, 0.3],
    "learning_rate": [3e-4, 1e-3, 3e-3, 1e-2],
    "batch_size": [16, 32, None],
    "epochs": [100, 200, 400],
}
N_RANDOM = 10


def forecaster(settings, seed):
    """The airline recipe with these hyper-parameters and one seed."""
    units, layers = settings["units"], settings["layers"]
    dropout, rate = settings["dropout"], settings["learning_rate"]

    def build(input_shape, output_shape):
        return lb.stacked_lstm(input_shape, output_shape,
                               units=(units,) * layers, dropout=dropout,
                               optimizer=keras.optimizers.Adam(rate))

    return lb.LSTMForecaster(
        HORIZON, settings["n_steps_in"], architecture=build,
        epochs=settings["epochs"], batch_size=settings["batch_size"],
        season_diff=SEASON, normalize=None, seeds=(seed,))


def score(series, settings, seed, n_origins):
    """Mean MASE over the rolling-origin folds of ``series``."""
    model = forecaster(settings, seed)
    results = lb.backtest(series, {"lstm": model}, HORIZON,
                          n_origins=n_origins, season=SEASON)
    return float(lb.summarize(results).loc["lstm", "MASE"]), model.n_params


def score_validation(series, settings, seed):
    """A row's ``val_mase`` and ``n_params``: the validation folds only."""
    return score(series.iloc[:VAL_END], settings, seed, VAL_ORIGINS)


def score_test(series, settings, seed):
    """A row's ``test_mase``: the book's 10 test folds."""
    return score(series, settings, seed, 10)[0]


def evaluate(series, study, factor, settings, seed):
    start = time.perf_counter()
    val, n_params = score_validation(series, settings, seed)
    test = score_test(series, settings, seed)
    row = {"study": study, "factor": factor, **settings, "seed": seed,
           "n_params": n_params, "val_mase": round(val, 6),
           "test_mase": round(test, 6),
           "seconds": round(time.perf_counter() - start, 1)}
    print(", ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    return row


def random_settings(n, seed=0):
    """``n`` distinct settings drawn from GRID, none equal to DEFAULT."""
    rng = np.random.default_rng(seed)
    drawn = []
    while len(drawn) < n:
        settings = {k: values[rng.integers(len(values))]
                    for k, values in GRID.items()}
        settings = {k: (v.item() if hasattr(v, "item") else v)
                    for k, v in settings.items()}
        if settings not in drawn and settings != DEFAULT:
            drawn.append(settings)
    return drawn


def main():
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    series = lb.load_airline()
    rows = []
    done = []
    for factor, values in ONE_AT_A_TIME.items():
        for value in values:
            settings = {**DEFAULT, factor: value}
            label = "default" if settings == DEFAULT else factor
            if settings in done:
                continue
            done.append(settings)
            for seed in SEEDS:
                rows.append(evaluate(series, "one at a time", label,
                                     settings, seed))
    for settings in random_settings(N_RANDOM):
        rows.append(evaluate(series, "random search", "random", settings, 0))
    # The setting a practitioner would pick: the lowest validation MASE
    # among the random settings and the default (seed 0). Test scores play
    # no part in the choice.
    candidates = [r for r in rows if r["study"] == "random search"
                  or (r["factor"] == "default" and r["seed"] == 0)]
    best = min(candidates, key=lambda r: r["val_mase"])
    for row in rows:
        row["chosen"] = row is best
    save("tuning.csv", rows)


if __name__ == "__main__":
    main()
