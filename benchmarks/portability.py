"""Benchmark: are the book's numbers the same on every CPU?

Usage: python benchmarks/portability.py

Trains the vanilla LSTM of chapter "Reproducibility and speed" (seed 7,
300 epochs, relu, the series 10..90) in a fresh process for each of several
settings and prints the forecast to 10 significant digits:

* in float32 and in float64 (``keras.config.set_floatx``);
* with TensorFlow's oneDNN custom kernels on (its default on recent Intel
  CPUs) and off (``TF_ENABLE_ONEDNN_OPTS=0``);
* with oneDNN's instruction set capped (``ONEDNN_MAX_CPU_ISA``) to what an
  older or a different CPU offers: SSE4.1, AVX2, or whatever this machine
  has. That is how one machine can stand in for several.

A float32 matrix product on x86 goes through oneDNN's GEMM, which picks a
kernel for the instruction set; different kernels add the same numbers in a
different order, and training magnifies those last-bit differences. float64
products run in TensorFlow's own portable code, so every row of float64
should show the same forecast.
"""

import os
import subprocess
import sys

from results_csv import save

PROBE = r"""
import os
import keras
import numpy as np
import lstmbook as lb
keras.config.set_floatx(os.environ["PROBE_FLOATX"])
X, y = lb.split_sequence(np.arange(10, 100, 10), 3)
lb.set_seed(7)
model = lb.vanilla_lstm((3, 1), 1, units=50, activation="relu")
lb.fit(model, X.reshape((*X.shape, 1)), y, epochs=300)
print(repr(float(lb.predict(model, np.array([[[70], [80], [90]]]))[0, 0])))
"""

SETTINGS = [
    ("oneDNN on, all instructions", {"TF_ENABLE_ONEDNN_OPTS": "1"}),
    ("oneDNN on, capped at AVX2", {"TF_ENABLE_ONEDNN_OPTS": "1",
                                   "ONEDNN_MAX_CPU_ISA": "AVX2"}),
    ("oneDNN off, all instructions", {"TF_ENABLE_ONEDNN_OPTS": "0"}),
    ("oneDNN off, capped at AVX2", {"TF_ENABLE_ONEDNN_OPTS": "0",
                                    "ONEDNN_MAX_CPU_ISA": "AVX2"}),
    ("oneDNN off, capped at SSE4.1", {"TF_ENABLE_ONEDNN_OPTS": "0",
                                      "ONEDNN_MAX_CPU_ISA": "SSE41"}),
]


def forecast(floatx, env):
    """Run the probe in a fresh process; return its forecast."""
    full = {**os.environ, **env, "PROBE_FLOATX": floatx,
            "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=full,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    rows = []
    for floatx in ("float32", "float64"):
        for name, env in SETTINGS:
            value = forecast(floatx, env)
            rows.append({"dtype": floatx, "setting": name,
                         "forecast": f"{value:.10g}"})
            print(f"{floatx}  {name:30s} {value:.10g}", flush=True)
    for floatx in ("float32", "float64"):
        distinct = {r["forecast"] for r in rows if r["dtype"] == floatx}
        print(f"{floatx}: {len(distinct)} distinct forecast(s) over "
              f"{len(SETTINGS)} settings")
    save("portability.csv", rows)


if __name__ == "__main__":
    main()
