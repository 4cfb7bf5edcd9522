"""Benchmark: the book's global LSTM beside two peer libraries on M3 monthly.

Usage (the peers live in a virtual environment of their own, never in the
book's; from the repository root):

    python -m venv /tmp/peers-venv
    /tmp/peers-venv/bin/python -m pip install \\
        --extra-index-url https://download.pytorch.org/whl/cpu \\
        -r benchmarks/requirements-peers.txt
    /tmp/peers-venv/bin/python -m pip install --no-deps -e .
    nice -n 19 /tmp/peers-venv/bin/python benchmarks/peers.py   # stores
    /tmp/peers-venv/bin/python benchmarks/peers.py --limit 400 --quick

(Where the CPU build of torch is already on disk and that index cannot be
reached, as on the project's machines, leave ``--extra-index-url`` out:
pip takes ``torch==2.13.0+cpu`` from the local wheel.) ``--limit N`` keeps
the first N series (the first few hundred are all short: under about 300,
none is long enough for the book's 18-step windows at validation) and
``--quick`` trains for a few steps only: both are checks of the pipeline
and store nothing. The full run took 35 minutes (2,091 s) on 2 shared cores.

What it measures (issue: "Peers, side by side on the same series and
metric"): on the 1,428 monthly series of M3 (``lstmbook.load_m3``, the
competition's own split, h = 18), the forecasts of

* Nixtla's ``neuralforecast`` ``LSTM`` (PyTorch): one global model over the
  windows of every series, as the library does it. The panel goes to it in
  long format (``unique_id``, ``ds``, ``y``) with ``ds`` the integer step
  of the book's panel (the last training value at 0, the test part at
  1..18; M3 ships no dates) and ``freq=1``.
* skforecast's ``ForecasterRnn`` (Keras, TensorFlow backend): a
  *multivariate* RNN. Its input is one DataFrame whose columns are series
  sharing one index, its samples are the time positions of that index
  (``lags`` rows of every column in, ``steps`` rows of every level out),
  and it refuses missing values (``handles_missing_values_series`` is
  False; ``check_y`` raises on NaN). M3's series have 46 different
  lengths (48 to 126 training values), so the 1,428 series cannot be the
  columns of one frame without NaN, and cutting all of them to the
  shortest (48 values; 30 at validation) would leave one model with
  1,428 inputs and a handful of samples. Its documentation's set-ups for
  several series (N:1, N:M) are one model over series that share an
  index, and one model per series for single series (1:1, 1,428 Keras
  models here); in between, every group of series of the same training
  length (M3's panel is aligned at the forecast origin) is one
  ``ForecasterRnn``
  (``levels`` = every series of the group): 46 models, from 1 to 348
  series each, no value dropped or padded. ``lags`` is cut to
  ``length - 18`` for a group too short for it (at least one sample).
* the book's global LSTM: one member, ``global_lstm.forecaster("M3/monthly",
  CHOSEN, 18, seed=0)`` (``lstmbook.GlobalLSTMForecaster``, float32 as in
  ``global_lstm.py``); ``--ensemble`` adds the median of the nine members
  of ``global_lstm.run`` (three input lengths x three seeds, about nine
  times the time).

Each peer runs with its documented defaults and with one tuned setting,
chosen on validation only: each series' last 18 training values held out
(``global_lstm.panels(subset, "validation")``; the test part is not read),
every setting of ``SETTINGS`` fitted on the rest and scored there; the
setting with the lowest validation OWA is the tuned one, and only it and
the defaults are fitted on the full training parts and scored on the test
part, once. Defaults:

* neuralforecast 3.3.0 ``LSTM(h=18)``: ``input_size=-1`` (3h = 54),
  2 x 128 LSTM encoder, 2 x 128 MLP decoder, direct output, loss MAE,
  ``max_steps=1000``, learning rate 1e-3, batches of 32 series x 128
  windows, robust scaler per window, ``random_seed=1``. The plain defaults
  refuse M3 monthly (its shortest series are shorter than 54 values) and
  the error message names the fix, ``start_padding_enabled=True``; the
  defaults row is run with it and the refusal is quoted in its notes.
* skforecast 0.26.0: ``create_and_compile_model`` defaults (LSTM of 100
  units, dense 64 relu, linear output, Adam 1e-3, MSE; a fresh Adam per
  group instead of the one shared default instance), ``ForecasterRnn``
  defaults (MinMaxScaler per series) and Keras ``fit`` defaults (1 epoch,
  batch 32). ``lags`` has no default: 12 (one season).

Metrics: ``global_lstm.score`` and ``summary`` (sMAPE, MAPE, MASE per
series, means, OWA against Naive2 computed on the same series), as in the
competition chapter. Seconds: training and prediction, measured in this
process one after the other, with ``--threads`` (default 1) threads for
TensorFlow and torch alike: on the shared 2-core machine torch with two
threads took 1.9 s per training step against 0.3 s with one, and the
book's member 70 s against 59 s. Compare the ratios of one run, not
times across runs.

Result of the stored run (test part, 1,428 series; OWA against Naive2):
the book's member 0.836 (sMAPE 13.81, MASE 0.880, 52 s of training);
neuralforecast defaults 1.078 (195 s), tuned (input_size=24) 0.952
(87 s); skforecast defaults 3.626 (one epoch), tuned (30 epochs) 1.298
(210 s). neuralforecast's defaults trained 3.7 times as long as the
book's member at the test stage, 6.9 times at validation (the load of
the shared machine changed between the two).

Writes lstmbook/data/results/peers.csv: one row per library, setting and
stage (validation, test), the book's member included: library, version,
setting, role (defaults / candidate / tuned / book), stage, sMAPE, MAPE,
MASE, OWA, train_seconds, predict_seconds, n_series, notes.
"""

import argparse
import contextlib
import io
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

from results_csv import save

SUBSET, HORIZON = "M3/monthly", 18
TABLE = "peers.csv"
COLUMNS = ("library", "version", "setting", "role", "stage", "sMAPE", "MAPE",
           "MASE", "OWA", "train_seconds", "predict_seconds", "n_series",
           "notes")
BOOK = "lstmbook"
MEMBER = "one member (n_in=18, seed 0)"

#: Per peer: setting name -> (description, parameters). The first is the
#: library's defaults; the others are the candidates for the tuned setting.
SETTINGS = {
    "neuralforecast": {
        "defaults": (
            "LSTM(h=18) defaults: input_size=-1 (3h=54), 2x128 LSTM, MLP "
            "decoder 2x128, loss MAE, max_steps=1000, lr 1e-3, 32 series x "
            "128 windows per batch, robust scaler, seed 1; "
            "start_padding_enabled=True", {}),
        "input_size=24": (
            "defaults but input_size=24 (two seasons)", {"input_size": 24}),
    },
    "skforecast": {
        "defaults": (
            "ForecasterRnn, create_and_compile_model and Keras fit defaults: "
            "LSTM 100, dense 64, Adam 1e-3, MSE, MinMaxScaler, 1 epoch, "
            "batch 32; lags=12 (no default); one model per series length",
            {"lags": 12, "epochs": None}),
        "lags=12, 30 epochs": (
            "defaults but 30 epochs", {"lags": 12, "epochs": 30}),
        "lags=24, 30 epochs": (
            "defaults but lags=24 (cut to length-18 where shorter) and "
            "30 epochs", {"lags": 24, "epochs": 30}),
    },
}


# --- the panel in the forms the peers take ----------------------------------

def long_format(panel):
    """``panel`` (one column per series, index = step) as neuralforecast's
    long frame: ``unique_id``, ``ds`` (the integer step), ``y``; missing
    values (before a series starts) left out, series in column order."""
    ids = np.repeat(np.asarray(panel.columns, dtype=object), len(panel))
    ds = np.tile(np.asarray(panel.index, dtype="int64"), panel.shape[1])
    y = panel.to_numpy(dtype="float64").T.ravel()
    keep = ~np.isnan(y)
    return pd.DataFrame({"unique_id": ids[keep], "ds": ds[keep],
                         "y": y[keep]})


def wide_format(forecast, column, series, horizon=HORIZON):
    """A long forecast (``unique_id``, ``ds``, ``column``) back to one column
    per series, rows 1..horizon in time order, columns as ``series``."""
    frame = forecast.reset_index() if "unique_id" not in forecast else forecast
    wide = frame.pivot(index="ds", columns="unique_id", values=column)
    wide = wide.sort_index()
    if len(wide) != horizon:
        raise ValueError(f"{len(wide)} forecast steps, expected {horizon}")
    wide.index = pd.RangeIndex(1, horizon + 1, name="step")
    return wide.reindex(columns=list(series))


def length_groups(panel):
    """``{length: frame}``: the series of each training length, aligned at
    the end, as one frame without missing values (index 0..length-1)."""
    lengths = panel.notna().sum()
    groups = {}
    for length in sorted(set(lengths.tolist())):
        if length == 0:
            continue
        names = [c for c in panel.columns if lengths[c] == length]
        part = panel[names].iloc[len(panel) - length:]
        if part.isna().any().any():
            raise ValueError(f"series of length {length} have gaps")
        groups[length] = part.reset_index(drop=True)
    return groups


def group_lags(lags, length, horizon=HORIZON):
    """The lags of a group's model: ``lags``, cut so that a series of
    ``length`` values gives at least one training sample."""
    return max(1, min(lags, length - horizon))


def choose(rows, library):
    """The tuned setting of ``library``: the lowest validation OWA among its
    settings (the first, i.e. the defaults, on a tie)."""
    scored = [r for r in rows if r["library"] == library
              and r["stage"] == "validation"
              and r.get("OWA") not in (None, "")
              and np.isfinite(float(r["OWA"]))]
    if not scored:
        raise ValueError(f"no validation score for {library}")
    order = list(SETTINGS[library])
    scored.sort(key=lambda r: (float(r["OWA"]), order.index(r["setting"])))
    return scored[0]["setting"]


# --- the three methods: (forecast frame, train s, predict s, notes) ---------

def run_neuralforecast(train, params, seed_steps=None):
    """neuralforecast's LSTM on ``train``; the forecast as a wide frame."""
    import logging

    from neuralforecast import NeuralForecast
    from neuralforecast.models import LSTM

    for name in ("pytorch_lightning", "lightning", "lightning.pytorch",
                 "lightning_fabric"):
        logging.getLogger(name).setLevel(logging.ERROR)
    quiet = dict(enable_progress_bar=False, logger=False,
                 enable_model_summary=False, enable_checkpointing=False)
    if seed_steps:  # --quick
        quiet["max_steps"] = seed_steps
    df = long_format(train)
    notes = []

    def fit(extra):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Input size too small" etc.
            model = LSTM(h=HORIZON, **params, **extra, **quiet)
            nf = NeuralForecast(models=[model], freq=1)
            nf.fit(df)
        return nf, time.perf_counter() - start

    try:
        nf, seconds = fit({})
    except Exception as error:  # the plain defaults refuse short series
        message = " ".join(str(error).split())
        if "start_padding_enabled" not in message:
            raise
        notes.append(f"refused without start_padding_enabled=True: "
                     f"{type(error).__name__}: {message}")
        nf, seconds = fit({"start_padding_enabled": True})
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecast = nf.predict()
    predict = time.perf_counter() - start
    return (wide_format(forecast, "LSTM", train.columns), seconds, predict,
            "; ".join(notes))


def run_skforecast(train, params, seed=0, quick_epochs=None):
    """skforecast's ForecasterRnn, one model per group of series of one
    length; the forecast as a wide frame."""
    import keras
    from keras.losses import MeanSquaredError
    from keras.optimizers import Adam
    from skforecast.deep_learning import (ForecasterRnn,
                                          create_and_compile_model)

    keras.utils.set_random_seed(seed)
    epochs = params["epochs"]
    if quick_epochs and epochs:
        epochs = quick_epochs
    fit_kwargs = {"verbose": 0}  # display only
    if epochs is not None:
        fit_kwargs["epochs"] = epochs
    forecasts, train_s, predict_s, cut = [], 0.0, 0.0, []
    groups = length_groups(train)
    for length, frame in groups.items():
        lags = group_lags(params["lags"], length)
        if lags != params["lags"]:
            cut.append(length)
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = create_and_compile_model(
                series=frame, lags=lags, steps=HORIZON,
                compile_kwargs={"optimizer": Adam(),
                                "loss": MeanSquaredError()})
            forecaster = ForecasterRnn(
                estimator=model, levels=list(frame.columns), lags=lags,
                fit_kwargs=dict(fit_kwargs))
            forecaster.fit(frame)
        train_s += time.perf_counter() - start
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            long = forecaster.predict()
        predict_s += time.perf_counter() - start
        long = long.rename_axis("ds").reset_index().rename(
            columns={"level": "unique_id"})
        forecasts.append(wide_format(long, "pred", frame.columns))
        keras.backend.clear_session()
    notes = (f"{len(groups)} models, one per training length "
             f"({min(groups)}..{max(groups)} values; "
             f"{min(len(f.columns) for f in groups.values())}.."
             f"{max(len(f.columns) for f in groups.values())} series each)")
    if cut:
        notes += (f"; lags cut to length-18 for the {len(cut)} lengths "
                  f"under {params['lags'] + HORIZON}")
    forecast = pd.concat(forecasts, axis=1).reindex(columns=train.columns)
    return forecast, train_s, predict_s, notes


def run_book(train, seed=0, n_in=HORIZON, quick_epochs=None):
    """One member of the book's global LSTM (``global_lstm.CHOSEN``)."""
    import global_lstm

    member = global_lstm.forecaster(SUBSET, global_lstm.CHOSEN, n_in, seed)
    if quick_epochs:
        member.epochs = quick_epochs
    start = time.perf_counter()
    member.fit(train)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    forecast = member.predict()
    return member, forecast, seconds, time.perf_counter() - start


def run_book_ensemble(train, quick_epochs=None):
    """The median of the nine members of ``global_lstm.run``."""
    import global_lstm
    import lstmbook as lb

    members, train_s = [], 0.0
    for n_in in global_lstm.lengths(SUBSET):
        for seed in global_lstm.SEEDS:
            member, _, seconds, _ = run_book(train, seed, n_in, quick_epochs)
            members.append(member)
            train_s += seconds
    start = time.perf_counter()
    forecast = lb.MedianEnsemble(members).predict()
    return forecast, train_s, time.perf_counter() - start, len(members)


# --- the run -----------------------------------------------------------------

def configure(threads):
    """The same number of threads for TensorFlow and torch; float32 Keras."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    import keras

    keras.config.set_floatx("float32")  # as global_lstm.py
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(threads)


def versions():
    """Installed versions of the three libraries."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("neuralforecast", "skforecast", BOOK):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def row(library, version, setting, role, stage, train, truth, forecast,
        train_s, predict_s, notes):
    """A table row: the mean scores of one forecast and its seconds."""
    import global_lstm

    scores = {"sMAPE": "", "MAPE": "", "MASE": "", "OWA": "", "n_series": 0}
    if forecast is not None:  # None: the library failed, no scores
        if forecast.reindex(columns=truth.columns).isna().any().any():
            raise ValueError(f"{library} {setting}: missing forecasts")
        scores = global_lstm.summary(
            SUBSET, stage, setting,
            global_lstm.score(SUBSET, train, truth, forecast), train_s, 1)
    return {"library": library, "version": version, "setting": setting,
            "role": role, "stage": stage,
            **{k: scores[k] for k in ("sMAPE", "MAPE", "MASE", "OWA",
                                      "n_series")},
            "train_seconds": round(train_s, 1),
            "predict_seconds": round(predict_s, 1), "notes": notes}


def run_peer(library, setting, train, args):
    """One peer and setting; a failure becomes a row, not an exception."""
    _, params = SETTINGS[library][setting]
    try:
        if library == "neuralforecast":
            return run_neuralforecast(train, params,
                                      10 if args.quick else None)
        return run_skforecast(train, params,
                              quick_epochs=2 if args.quick else None)
    except Exception as error:  # record it honestly, go on
        message = " ".join(str(error).split())[:300]
        return None, 0.0, 0.0, f"FAILED: {type(error).__name__}: {message}"


def stage_rows(stage, settings, role_of, train, truth, args, found):
    """The book's member, then every peer setting of ``settings``."""
    import global_lstm

    rows = []
    quick = 2 if args.quick else None
    threads = f"float32, {args.threads} thread(s)"
    _, forecast, train_s, predict_s = run_book(train, quick_epochs=quick)
    rows.append(row(BOOK, found[BOOK], MEMBER, "book", stage, train, truth,
                    forecast, train_s, predict_s,
                    f"global_lstm.forecaster(CHOSEN, 18, seed=0), CHOSEN = "
                    f"{global_lstm.CHOSEN}; {threads}"))
    print(rows[-1], flush=True)
    if args.ensemble and stage == "test":
        forecast, train_s, predict_s, k = run_book_ensemble(train, quick)
        rows.append(row(BOOK, found[BOOK], f"ensemble of {k} members",
                        "book", stage, train, truth, forecast, train_s,
                        predict_s, f"median of global_lstm.run's members "
                        f"(input lengths x seeds); {threads}"))
        print(rows[-1], flush=True)
    for library, names in settings.items():
        for setting in names:
            description, _ = SETTINGS[library][setting]
            forecast, train_s, predict_s, notes = run_peer(
                library, setting, train, args)
            rows.append(row(library, found[library], setting,
                            role_of(library, setting), stage, train, truth,
                            forecast, train_s, predict_s,
                            "; ".join(n for n in (description, notes, threads)
                                      if n)))
            print(rows[-1], flush=True)
    return rows


def print_table(rows):
    """The table, one line a row, and the training-time ratio."""
    cols = ("library", "setting", "role", "stage", "sMAPE", "MASE", "OWA",
            "train_seconds", "predict_seconds")
    frame = pd.DataFrame(rows)
    frame["setting"] = frame["setting"].str.slice(0, 40)
    print(frame[list(cols)].to_string(index=False))
    ratio = training_ratio(rows)
    if ratio is not None:
        print(f"training time, neuralforecast defaults / book member (test): "
              f"{ratio:.2f}")


def training_ratio(rows):
    """neuralforecast's default training seconds over the book member's, on
    the test stage of one run (None where either is missing)."""
    def seconds(library, setting):
        for r in rows:
            if (r["library"], r["setting"], r["stage"]) == (
                    library, setting, "test") and r["OWA"] != "":
                return float(r["train_seconds"])
        return None

    nf, book = seconds("neuralforecast", "defaults"), seconds(BOOK, MEMBER)
    return nf / book if nf and book else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N series (nothing is stored)")
    parser.add_argument("--quick", action="store_true",
                        help="a few training steps only (nothing is stored)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for TensorFlow and torch (default 1)")
    parser.add_argument("--ensemble", action="store_true",
                        help="also the book's nine-member ensemble (test)")
    parser.add_argument("--peers", nargs="+", choices=list(SETTINGS),
                        default=list(SETTINGS))
    args = parser.parse_args()
    configure(args.threads)
    import global_lstm

    found = versions()
    start = time.perf_counter()
    train, truth = global_lstm.panels(SUBSET, "validation", args.limit)
    rows = stage_rows("validation",
                      {p: list(SETTINGS[p]) for p in args.peers},
                      lambda lib, s: "defaults" if s == "defaults"
                      else "candidate", train, truth, args, found)
    tuned = {}
    for library in args.peers:
        try:
            tuned[library] = choose(rows, library)
        except ValueError:
            tuned[library] = "defaults"
        for r in rows:
            if r["library"] == library and r["setting"] == tuned[library] \
                    and r["setting"] != "defaults":
                r["role"] = "tuned"
        print(f"{library}: tuned setting chosen on validation: "
              f"{tuned[library]}", flush=True)
    train, truth = global_lstm.panels(SUBSET, "test", args.limit)
    chosen = {p: list(dict.fromkeys(["defaults", tuned[p]]))
              for p in args.peers}
    test = stage_rows("test", chosen,
                      lambda lib, s: "defaults" if s == "defaults"
                      else "tuned", train, truth, args, found)
    for r in test:
        if r["role"] == "defaults" and tuned.get(r["library"]) == "defaults":
            r["notes"] += "; validation chose the defaults as tuned setting"
    rows += test
    ratio = training_ratio(rows)
    for r in rows:
        if r["library"] == BOOK and r["stage"] == "test" and ratio:
            r["notes"] += (f"; neuralforecast defaults trained {ratio:.2f}x "
                           "as long as this member, same run")
            break
    print(f"whole run: {time.perf_counter() - start:.0f} s", flush=True)
    print_table(rows)
    if args.limit or args.quick:
        return
    save(TABLE, [{k: r[k] for k in COLUMNS} for r in rows])


if __name__ == "__main__":
    sys.exit(main())
