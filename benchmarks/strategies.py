"""Benchmark: recursive, direct and encoder-decoder forecasts, step by step.

Usage: python benchmarks/strategies.py [dataset ...]

The fuller version of the live comparison in the chapter "Forecasting the
future". For each dataset (default: airline, co2), the same LSTM recipe
with the three multi-step strategies

* recursive: a one-step model whose forecasts are fed back as inputs;
* direct: a vector output, one unit per horizon step;
* encoder-decoder: the seq2seq model of Part 4 (direct, as a sequence);

and the naive and seasonal naive baselines are evaluated with the book's
protocol: ``lb.backtest`` defaults (10 origins, horizon 12, origins 6
months apart, the last fold ending at the end of the data), the model
refitted on each fold's history. Records the MAE and MASE per horizon step
(``lb.error_by_step``), and the overall MASE (``lb.summarize``) on the row
with step "all". Computes in float64 with oneDNN's custom kernels off, as
the chapters do. Writes lstmbook/data/results/strategies.csv.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
from results_csv import save  # noqa: E402

HORIZON = 12
# name -> the recipe's data settings (the same as in the chapter)
SETUPS = {
    "airline": dict(n_steps_in=24, log=True, season_diff=12),
    "co2": dict(n_steps_in=24, season_diff=12),
}
STRATEGIES = {
    "recursive": dict(strategy="recursive"),
    "direct": dict(strategy="direct"),
    "encoder-decoder": dict(architecture="encoder_decoder"),
}
EPOCHS = 100


def forecasters(name):
    season = lb.season_length(name)
    methods = {
        strategy: lb.LSTMForecaster(HORIZON, epochs=EPOCHS, **SETUPS[name],
                                    **settings)
        for strategy, settings in STRATEGIES.items()
    }
    methods["naive"] = lambda h: lb.naive_forecast(h, HORIZON)
    methods["seasonal naive"] = lambda h: lb.seasonal_naive_forecast(
        h, HORIZON, season)
    return methods


def run(name):
    series = lb.load_dataset(name)
    season = lb.season_length(name)
    t0 = time.perf_counter()
    results = lb.backtest(series, forecasters(name), horizon=HORIZON,
                          season=season)
    seconds = time.perf_counter() - t0
    mae = lb.error_by_step(results, "MAE")
    mase = lb.error_by_step(results, "MASE")
    overall = lb.summarize(results)
    rows = []
    for method in mae.columns:
        for step in mae.index:
            rows.append({"dataset": name, "method": method, "step": step,
                         "MAE": round(mae.loc[step, method], 4),
                         "MASE": round(mase.loc[step, method], 4)})
        rows.append({"dataset": name, "method": method, "step": "all",
                     "MAE": round(overall.loc[method, "MAE"], 4),
                     "MASE": round(overall.loc[method, "MASE"], 4)})
    print(overall[["MAE", "MASE"]].round(3).to_string())
    print(mase.round(3).to_string())
    print(f"{name}: {seconds:.0f} s", flush=True)
    return rows


def main(names):
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")  # even if a layer exists
    rows = []
    for name in names:
        rows += run(name)
    if set(names) == set(SETUPS):
        save("strategies.csv", rows)
    else:
        print(pd.DataFrame(rows).to_string(index=False))
        print("(not saved: run all datasets to write strategies.csv)")


if __name__ == "__main__":
    main(sys.argv[1:] or list(SETUPS))
