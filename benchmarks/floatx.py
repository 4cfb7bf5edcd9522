"""Benchmark: training time in float32 against float64, on the eleven listings.

Usage: python benchmarks/floatx.py

The chapters compute in float64 so that their printed digits are the same on
every CPU (chapter "Reproducibility and speed"). This measures what that
costs: each of the original tutorials' eleven listings (data, architecture,
epochs as the tutorials have them) trained with ``lb.fit`` from seed 1, once
with Keras building every layer in float32 and once in float64. Each type
runs in a process of its own (Keras fixes its layers' default type when the
first layer is built). Times include tracing. Run on an idle machine.
"""

import json
import os
import platform
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from results_csv import save  # noqa: E402

DTYPES = ("float32", "float64")


def time_listings(dtype):
    """Seconds of ``lb.fit`` per listing, with Keras set to ``dtype``."""
    import keras

    keras.config.set_floatx(dtype)
    import lstmbook as lb
    from listings import listings

    times = {}
    for name, build, X, y, epochs, _, _ in listings():
        lb.set_seed(1)
        model = build()
        start = time.perf_counter()
        lb.fit(model, X, y, epochs=epochs)
        times[name] = time.perf_counter() - start
    return times


def main():
    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs; lb.fit, one process per float type")
    times = {}
    for dtype in DTYPES:
        out = subprocess.run(
            [sys.executable, __file__, "--child", dtype], check=True,
            capture_output=True, text=True).stdout
        times[dtype] = json.loads(out.strip().splitlines()[-1])
    header = f"{'listing':24s} {'float32 s':>9s} {'float64 s':>9s} {'ratio':>6s}"
    print(header)
    print("-" * len(header))
    rows = []
    for name in times["float32"]:
        t32, t64 = times["float32"][name], times["float64"][name]
        rows.append({"listing": name, "float32_seconds": round(t32, 2),
                     "float64_seconds": round(t64, 2),
                     "ratio": round(t64 / t32, 2)})
        print(f"{name:24s} {t32:9.2f} {t64:9.2f} {t64 / t32:6.2f}")
    print("-" * len(header))
    total32 = sum(times["float32"].values())
    total64 = sum(times["float64"].values())
    print(f"{'total':24s} {total32:9.2f} {total64:9.2f} "
          f"{total64 / total32:6.2f}")
    save("floatx.csv", rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(time_listings(sys.argv[2])))
    else:
        main()
