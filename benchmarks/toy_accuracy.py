"""Benchmark: how reliably the book's recipe hits the toy answers, by seed.

Usage: python benchmarks/toy_accuracy.py [n_seeds]

For each of the eleven toy problems of Parts 2-5 (the tutorials' data,
architectures and ``relu``), trains with the book's recipe (1000 epochs with
``lb.fit``) and with the tutorials' epochs, over several seeds, and records
the largest relative error of the forecast against the true answer. For the
two univariate multi-step problems it also records 2000 epochs and the
level-normalised recipe of the multi-step chapters (subtract each window's
last value from the window and its targets, add it back to the forecast).
Computes in float64 with oneDNN's custom kernels off, as the chapters do, so
that a chapter's seed reproduces its row of the table.
Writes lstmbook/data/results/toy_accuracy.csv.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import lstmbook as lb  # noqa: E402
from listings import listings  # noqa: E402
from results_csv import save  # noqa: E402

LEVEL_NORMALISED = {"vector output", "encoder-decoder"}


def error_pct(model, x_input, truth, level=0.0):
    yhat = lb.predict(model, x_input - level).ravel() + level
    truth = np.ravel(truth)
    return float(np.max(np.abs(yhat - truth) / np.abs(truth)) * 100)


def runs(name, X, y, tutorial_epochs, x_input):
    """Yield ``(recipe, X, y, epochs, level)`` to train for one problem.

    ``level`` is what to subtract from the input and add back to the
    forecast (non-zero only for the level-normalised recipe).
    """
    yield "tutorial epochs", X, y, tutorial_epochs, 0.0
    yield "book recipe (1000 epochs)", X, y, 1000, 0.0
    if name in LEVEL_NORMALISED:
        yield "2000 epochs", X, y, 2000, 0.0
        last = X[:, -1:, :]  # each window's last value
        y_shift = last[:, :, 0] if y.ndim == 2 else last
        yield ("level-normalised, 1000 epochs", X - last, y - y_shift, 1000,
               float(x_input[0, -1, 0]))


def main(n_seeds=5):
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    rows = []
    print(f"{'problem':24s} {'recipe':32s} max error % per seed")
    for name, build, X, y, epochs, x_input, truth in listings():
        for recipe, X_fit, y_fit, n_epochs, level in runs(
                name, X, y, epochs, x_input):
            errors = []
            for seed in range(n_seeds):
                lb.set_seed(seed)
                model = build()
                lb.fit(model, X_fit, y_fit, epochs=n_epochs)
                errors.append(error_pct(model, x_input, truth, level))
            rows.append({"problem": name, "recipe": recipe,
                         "epochs": n_epochs,
                         **{f"seed_{s}": round(e, 2)
                            for s, e in enumerate(errors)},
                         "max": round(max(errors), 2)})
            print(f"{name:24s} {recipe:32s} "
                  + " ".join(f"{e:5.2f}" for e in errors), flush=True)
    save("toy_accuracy.csv", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
