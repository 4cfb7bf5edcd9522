"""Benchmark: Keras ``model.fit`` vs ``lstmbook.fit`` on the eleven listings.

Usage: python benchmarks/fit.py

For each listing of the original tutorials (same data, architecture and
epochs), two copies of the model start from the same initial weights; one is
trained with ``model.fit(X, y, epochs=..., verbose=0)`` as the tutorials
write it, the other with ``lb.fit(model, X, y, epochs=...)``. Prints the time
of each, their ratio, and both forecasts for the tutorial's input. Times
include tracing (what a reader waits for). Run on an idle machine.
"""

import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import lstmbook as lb  # noqa: E402
from listings import listings  # noqa: E402
from results_csv import save  # noqa: E402



def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main():
    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs; TensorFlow backend, Keras fit vs lb.fit")
    header = (f"{'listing':24s} {'epochs':>6s} {'keras s':>8s} "
              f"{'lstmbook s':>10s} {'ratio':>6s}  {'keras forecast':28s} "
              f"{'lstmbook forecast':28s} {'3 s.f.':>6s}")
    print(header)
    print("-" * len(header))
    totals = np.zeros(2)
    all_agree = True
    rows = []
    for name, build, X, y, epochs, x_input, _ in listings():
        lb.set_seed(1)
        ours, theirs = build(), build()
        theirs.set_weights(ours.get_weights())
        t_keras = timed(lambda: theirs.fit(X, y, epochs=epochs, verbose=0))
        t_ours = timed(lambda: lb.fit(ours, X, y, epochs=epochs))
        p_keras = theirs.predict(x_input, verbose=0).ravel()
        p_ours = lb.predict(ours, x_input).ravel()
        agree = np.array_equal(np.array([float(f"{v:.3g}") for v in p_keras]),
                               np.array([float(f"{v:.3g}") for v in p_ours]))
        all_agree &= agree
        totals += (t_keras, t_ours)
        rows.append({"listing": name, "epochs": epochs,
                     "keras_seconds": round(t_keras, 2),
                     "lstmbook_seconds": round(t_ours, 2),
                     "speedup": round(t_keras / t_ours, 1),
                     "keras_forecast": " ".join(f"{v:.3f}" for v in p_keras),
                     "lstmbook_forecast": " ".join(f"{v:.3f}"
                                                   for v in p_ours),
                     "agree_3sf": agree})
        fmt = " ".join(f"{v:.3f}" for v in p_keras)
        fmt_ours = " ".join(f"{v:.3f}" for v in p_ours)
        print(f"{name:24s} {epochs:6d} {t_keras:8.2f} {t_ours:10.2f} "
              f"{t_keras / t_ours:6.1f}  {fmt:28s} {fmt_ours:28s} "
              f"{'yes' if agree else 'NO':>6s}")
    print("-" * len(header))
    print(f"{'total':24s} {'':6s} {totals[0]:8.2f} {totals[1]:10.2f} "
          f"{totals[0] / totals[1]:6.1f}")
    print(f"forecasts agree to 3 significant figures: "
          f"{'all' if all_agree else 'NOT all'}")
    save("fit.csv", rows)


if __name__ == "__main__":
    main()
