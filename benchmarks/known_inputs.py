"""Benchmark: does an LSTM gain from inputs known in advance?

Usage (from the repository root):

    python benchmarks/known_inputs.py --part 0 --parts 2 &   # one core each
    python benchmarks/known_inputs.py --part 1 --parts 2
    python benchmarks/known_inputs.py --summary              # merge and store
    python benchmarks/known_inputs.py --validation  # the promotions' known
                                                    # columns, on weeks 1-116

The question: when the future values of an input are known at the
forecast origin (a planned promotion, a law that takes effect on a known
date, the day of the year), does giving them to ``lb.LSTMForecaster``
(``known=[...]``) make its forecast better, and does it gain as much as a
classical model given the same regressor? Three series, each with a
rolling origin (``lb.backtest(..., known=...)``), every model refitted on
each fold's history; at each origin the forecasters that take ``future=``
get the known columns of the horizon after it, nothing else:

* ``promotions`` (``lb.load_promotions``): weekly ``sales``, known
  ``promo1`` and ``promo2`` and the season (``season_sin`` and
  ``season_cos``, the sine and cosine of 2 pi x week / 52: the data have
  week numbers, not dates); horizon 13 (the course's own), 8 origins 4
  weeks apart, so the last is the course's split (history weeks 1-143,
  test weeks 144-156). The season is among the known columns because a
  window of 13 weeks cannot see the yearly cycle; ``--validation``
  checked that choice on weeks 1-116 only (6 origins, weeks 83-103,
  whose folds end before the first test origin): the MIMO LSTM on sales
  alone, with the promotions alone, and with the promotions and the
  season (``known_inputs_validation.csv``). Season 52 for the seasonal naive forecast, the MASE
  scale and AutoARIMA: the first fold trains on 115 weeks, which leaves 63
  yearly differences for the scale.
* ``seatbelts`` (``lb.load_seatbelts``): monthly ``drivers``, known ``law``
  (the seat-belt law, in force from February 1983); horizon 12, 6 origins
  one month apart, 1983-08 to 1984-01, so that every fold's history holds
  at least 6 months under the law and the last fold ends in December 1984;
  season 12. ``kms`` and ``petrol_price`` are left out of the study: they
  are measured, not known in advance (next month's distance driven is
  known only next month), so they could only be past inputs, which is
  another question.
* ``seattle`` (``lb.load_seattle_weather``): daily ``temp_max``, known
  ``doy_sin`` and ``doy_cos`` (sine and cosine of 2 pi x day of year /
  365.25, computed from the dates: the calendar is known for any future
  day); horizon 14, 10 origins 30 days apart over the last year (2015-03-23
  to 2015-12). Season 1: daily temperature has no weekly cycle, so the
  MASE scale is yesterday's value, as ``lb.season_length`` has it for
  this dataset, and ``snaive`` is the naive forecast.

Methods:

* ``snaive``: ``lb.seasonal_naive_forecast`` with the series' season;
* ``arima``: statsforecast's AutoARIMA (``season_length`` = the season),
  the target alone;
* ``arima_x``: the same with the known columns as exogenous regressors
  (``AutoARIMA(...).fit(y, X=history)``, then ``predict(h, X=future)``),
  i.e. regression with ARIMA errors. A regressor that is constant in a
  fold's history is dropped for that fold (it cannot be estimated);
* ``lstm``: ``lb.LSTMForecaster`` (MIMO) fitted on the target only;
* ``lstm_known``, ``lstm_known_recursive``, ``lstm_known_seq2seq``: the
  same with ``known=[...]`` and strategy ``mimo``, ``recursive``,
  ``seq2seq`` (autoregressive decoder).

LSTM settings, fixed before the study and not tuned on its folds: a
window (``n_steps_in``) of 13 weeks, 24 months and 28 days; 32 units; 100
epochs; batch size 32 (256 for the 1,100-1,400 daily windows of Seattle,
as ``real_data.py`` trains Seattle); learning rate 1e-3; ``log=True`` for
the two positive series (promotions, seatbelts), not for temperatures;
``normalize="last"``. One seed (0): the study was planned with seeds 0,
1 and 2, averaged, but those three take over 40 minutes on one core
(measured: seed 0 alone took about 69 minutes of one-core process time on
the shared 2-core machine, 44 of them Seattle), so ``SEEDS`` holds seed 0
only; with more seeds each is scored alone and the mean of the seeds'
forecasts is the method's forecast (the rows named by the method alone).
The classical models see the raw data (no log).

Scores: MASE per fold (each fold's own scale, ``lb.summarize``), and a
Diebold-Mariano test over the folds (``lb.compare``, its lag read from
how the folds overlap) of ``lstm_known`` (and the other two strategies)
against ``lstm``, of ``arima_x`` against ``arima`` and of ``lstm_known``
against ``arima_x``. On seatbelts the 6 folds one month apart share 11
of their 12 months with the next fold, too little independent evidence
for the test (``p_value`` is empty); the table still says in how many
folds each method won. Computes in float64 with one thread per process,
as the other studies.

Stores (``lstmbook/data/results/``): ``known_inputs.csv`` (the backtest
table of every method's forecast: dataset, method, origin, step, date,
actual, forecast, error, scale), ``known_inputs_folds.csv`` (the MASE of
every dataset, method, seed and fold; empty seed for the classical
methods, and with several seeds "mean" for their averaged forecast),
``known_inputs_summary.csv`` (dataset, method, MASE and MAE over the
folds, with several seeds also the mean and standard deviation of the
seeds' MASE, the median seconds per fit, the folds where ``arima_x`` fell
back to AutoARIMA alone) and
``known_inputs_tests.csv`` (the Diebold-Mariano tests). Parts write to
``--work`` first, so a stopped run resumes where it stopped.
"""

import os
import sys
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import lstmbook as lb  # noqa: E402
import part_runs  # noqa: E402
from results_csv import save, save_frame  # noqa: E402

DATASETS = ("promotions", "seatbelts", "seattle")
#: dataset -> target, known columns, backtest folds, LSTM data settings
SETTINGS = {
    "promotions": dict(target="sales", known=["promo1", "promo2",
                                              "season_sin", "season_cos"],
                       folds=dict(horizon=13, n_origins=8, step=4,
                                  season=52),
                       lstm=dict(n_steps_in=13, log=True, batch_size=32)),
    "seatbelts": dict(target="drivers", known=["law"],
                      folds=dict(horizon=12, n_origins=6, step=1,
                                 season=12),
                      lstm=dict(n_steps_in=24, log=True, batch_size=32)),
    "seattle": dict(target="temp_max", known=["doy_sin", "doy_cos"],
                    folds=dict(horizon=14, n_origins=10, step=30, season=1),
                    lstm=dict(n_steps_in=28, log=False, batch_size=256)),
}
#: the first origin of each study, checked against the backtest's folds
FIRST_ORIGIN = {"promotions": 116, "seatbelts": "1983-08-01",
                "seattle": "2015-03-23"}
LSTM = dict(units=32, epochs=100, learning_rate=1e-3, normalize="last")
#: one seed: three would take over 40 min on one core (see above); with
#: more, the method's forecast is the mean of the seeds' forecasts
SEEDS = (0,)
#: LSTM method -> LSTMForecaster settings; None: no known inputs
LSTM_METHODS = {
    "lstm": None,
    "lstm_known": dict(strategy="mimo"),
    "lstm_known_recursive": dict(strategy="recursive"),
    "lstm_known_seq2seq": dict(strategy="seq2seq", decoder="autoregressive"),
}
CLASSICAL = ("snaive", "arima", "arima_x")
METHODS = (*CLASSICAL, *LSTM_METHODS)
#: (a, b): is a's MASE different from b's?
TESTS = (("lstm_known", "lstm"), ("lstm_known_recursive", "lstm"),
         ("lstm_known_seq2seq", "lstm"), ("arima_x", "arima"),
         ("lstm_known", "arima_x"))
STEPS_CSV, FOLDS_CSV = "known_inputs.csv", "known_inputs_folds.csv"
SUMMARY_CSV, TESTS_CSV = "known_inputs_summary.csv", "known_inputs_tests.csv"


def load(name):
    """The study's table: the target and its known columns, nothing else."""
    s = SETTINGS[name]
    if name == "seattle":
        data = lb.load_seattle_weather()
        data = data.join(lb.calendar_features(data.index))
    else:
        data = lb.load_dataset(name)
    if name == "promotions":  # week numbers: the 52-week season by hand
        angle = 2 * np.pi * data.index.to_numpy() / 52
        data["season_sin"], data["season_cos"] = np.sin(angle), np.cos(angle)
    return data[[s["target"], *s["known"]]]


def arima_forecast(y, horizon, season, X=None, X_future=None):
    """AutoARIMA's mean forecast, with exogenous regressors if given."""
    from statsforecast.models import AutoARIMA

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AutoARIMA(season_length=season)
        if X is None:
            return model.fit(y).predict(horizon)["mean"]
        return model.fit(y, X=X).predict(horizon, X=X_future)["mean"]


def classical(name, fallbacks):
    """``{method: forecaster}`` of the three classical methods.

    ``arima_x`` takes ``future=`` (the known columns of the horizon); a
    known column that does not vary in the history is dropped for that
    fit. If AutoARIMA with regressors fails, the fold falls back to
    AutoARIMA alone and ``fallbacks`` records it.
    """
    s = SETTINGS[name]
    target, known = s["target"], s["known"]
    h, season = s["folds"]["horizon"], s["folds"]["season"]

    def snaive(history):
        return lb.seasonal_naive_forecast(history[target], h, season)

    def arima(history):
        return arima_forecast(history[target].to_numpy("float64"), h, season)

    def arima_x(history, future):
        y = history[target].to_numpy("float64")
        varying = [c for c in known if history[c].nunique() > 1]
        if not varying:
            fallbacks.append((str(history.index[-1]), "constant regressors"))
            return arima_forecast(y, h, season)
        try:
            return arima_forecast(
                y, h, season, X=history[varying].to_numpy("float64"),
                X_future=future[varying].to_numpy("float64"))
        except Exception as error:  # noqa: BLE001 - recorded, then fallback
            fallbacks.append((str(history.index[-1]), repr(error)))
            return arima_forecast(y, h, season)

    return {"snaive": snaive, "arima": arima, "arima_x": arima_x}


def lstm(name, method, seed):
    """The forecaster of one LSTM method and seed, as lb.backtest calls it."""
    s = SETTINGS[name]
    h, target = s["folds"]["horizon"], s["target"]
    settings = dict(**LSTM, **s["lstm"], seeds=(seed,))
    if LSTM_METHODS[method] is None:
        forecaster = lb.LSTMForecaster(h, **settings)
        return lambda history: forecaster(history[target])
    return lb.LSTMForecaster(h, **settings, **LSTM_METHODS[method],
                             target=target, known=s["known"])


def jobs():
    """Every (dataset, method, seed) job: all of seed 0 (and the classical
    methods) first, so that a stopped run has one whole seed; within a
    seed the costly ones first, spread across the parts."""
    out = []
    for seed in SEEDS:
        out += [(name, method, seed) for name in ("seattle", "promotions",
                                                  "seatbelts")
                for method in ("lstm_known_seq2seq", "lstm_known_recursive",
                               "lstm_known", "lstm")]
        if seed == SEEDS[0]:
            out += [(name, "classical", None) for name in DATASETS]
    return out


def run_job(name, method, seed):
    """The backtest table of one job, its seconds per fit, its fallbacks."""
    s = SETTINGS[name]
    fits, fallbacks = [], []
    if method == "classical":
        forecasters = classical(name, fallbacks)
    else:
        forecasters = {method: lstm(name, method, seed)}
    results = lb.backtest(load(name), {m: part_runs.timed(f, fits) for m, f in
                                       forecasters.items()},
                          target=s["target"], known=s["known"],
                          progress=False, **s["folds"])
    first = results["origin"].min()
    assert str(first)[:10] == str(FIRST_ORIGIN[name]), f"other folds {first}"
    results["seed"] = "" if seed is None else str(seed)
    return results, fits, fallbacks


def job_path(work, name, method, seed):
    return work / f"{name}_{method}_{'' if seed is None else seed}.pkl"


def run_part(part, parts, work):
    work.mkdir(parents=True, exist_ok=True)
    for k, (name, method, seed) in enumerate(jobs()):
        path = job_path(work, name, method, seed)
        if k % parts != part or path.exists():
            continue
        start = time.perf_counter()
        results, fits, fallbacks = run_job(name, method, seed)
        pd.to_pickle((results, fits, fallbacks), path)
        mase = lb.summarize(results)["MASE"].round(3).to_dict()
        print(f"{name:10s} {method:20s} {seed!s:4s} {mase} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)


def seed_mean(results):
    """The LSTM rows of all seeds -> one forecast per method: their mean."""
    keys = ["method", "origin", "step", "date"]
    out = results.groupby(keys, sort=False).agg(
        actual=("actual", "first"), forecast=("forecast", "mean"),
        scale=("scale", "first")).reset_index()
    out["error"] = out["forecast"] - out["actual"]
    return out


def fold_rows(name, results, seed):
    by_fold = lb.mase_by_fold(results)
    return [{"dataset": name, "method": m, "seed": seed,
             "origin": str(o)[:10], "MASE": by_fold.loc[o, m]}
            for m in by_fold.columns for o in by_fold.index]


def summaries(work):
    """The four stored tables from the parts' results."""
    columns = ["method", "origin", "step", "date", "actual", "forecast",
               "error", "scale"]
    steps, folds, rows, tests = [], [], [], []
    # the seeds every LSTM job has finished (a stopped run: seed 0 only)
    seeds = [sd for sd in SEEDS if all(
        job_path(work, name, m, sd).exists() for name in DATASETS
        for m in LSTM_METHODS)]
    print(f"LSTM seeds: {seeds}")
    for name in DATASETS:
        parts = {(m, sd): pd.read_pickle(job_path(work, name, m, sd))
                 for m, sd in [("classical", None)]
                 + [(m, sd) for m in LSTM_METHODS for sd in seeds]}
        classic, _, _ = parts[("classical", None)]
        per_seed = pd.concat([parts[(m, sd)][0] for m in LSTM_METHODS
                              for sd in seeds], ignore_index=True)
        results = pd.concat([classic[columns], seed_mean(per_seed)],
                            ignore_index=True)
        steps.append(results.assign(dataset=name)[["dataset", *columns]])
        folds += fold_rows(name, classic, "")
        if len(seeds) > 1:
            folds += fold_rows(name, seed_mean(per_seed), "mean")
        for sd in seeds:
            folds += fold_rows(name, per_seed[per_seed["seed"] == str(sd)],
                               str(sd))
        overall = lb.summarize(results)
        seed_scores = {sd: lb.summarize(per_seed[per_seed["seed"] == str(sd)])
                       ["MASE"] for sd in seeds}
        _, classic_fits, fallbacks = parts[("classical", None)]
        n = len(lb.rolling_origins(len(load(name)),
                                   SETTINGS[name]["folds"]["horizon"],
                                   SETTINGS[name]["folds"]["n_origins"],
                                   SETTINGS[name]["folds"]["step"]))
        for method in METHODS:
            row = {"dataset": name, "method": method,
                   "MASE": overall.loc[method, "MASE"],
                   "MAE": overall.loc[method, "MAE"]}
            if method in LSTM_METHODS:
                scores = [seed_scores[sd][method] for sd in seeds]
                fits = [f for sd in seeds for f in parts[(method, sd)][1]]
                if len(seeds) > 1:
                    row.update(seeds_mean=np.mean(scores),
                               seeds_sd=np.std(scores, ddof=1))
                row.update(fit_s=float(np.median(fits)), fallbacks=0)
            else:
                k = CLASSICAL.index(method)
                if len(seeds) > 1:
                    row.update(seeds_mean=np.nan, seeds_sd=np.nan)
                row.update(fit_s=float(np.median(classic_fits[k::3])),
                           fallbacks=len(fallbacks) if method == "arima_x"
                           else 0)
            rows.append(row)
        by_fold = lb.mase_by_fold(results)
        for a, b in TESTS:
            row = {"dataset": name, "a": a, "b": b,
                   "MASE_a": by_fold[a].mean(), "MASE_b": by_fold[b].mean(),
                   "difference": by_fold[a].mean() - by_fold[b].mean(),
                   "low": np.nan, "high": np.nan, "p_value": np.nan,
                   "folds": n, "lag": lb.significance.fold_overlap(results),
                   "a_better_folds": int((by_fold[a] < by_fold[b]).sum())}
            try:
                test = lb.compare(results, a, b)
                row.update(low=test["low"], high=test["high"],
                           p_value=test["p_value"])
            except ValueError as error:  # too few independent folds
                print(f"{name}: {a} vs {b}: no test ({error})")
            tests.append(row)
    return (pd.concat(steps, ignore_index=True), pd.DataFrame(folds),
            pd.DataFrame(rows), pd.DataFrame(tests))


VALIDATION_CSV = "known_inputs_validation.csv"
#: --validation: the promotions' known columns, tried on weeks 1-116 only
VALIDATION = {"sales alone": None, "promotions": ["promo1", "promo2"],
              "promotions and season": ["promo1", "promo2", "season_sin",
                                        "season_cos"]}


def validation():
    """The MIMO LSTM on the promotions' first 116 weeks (6 origins, weeks
    83-103; every fold ends before the study's first test origin), seeds 0
    and 1, with each set of known columns; MASE with the naive scale."""
    data = load("promotions").iloc[:116]
    rows = []
    for variant, known in VALIDATION.items():
        for seed in (0, 1):
            model = lb.LSTMForecaster(13, **LSTM, **SETTINGS["promotions"][
                "lstm"], seeds=(seed,), target="sales", known=known)
            results = lb.backtest(data[["sales", *(known or [])]],
                                  {variant: model}, 13, n_origins=6, step=4,
                                  target="sales", known=known)
            rows.append({"variant": variant, "seed": seed, "MASE":
                         lb.summarize(results)["MASE"].iloc[0]})
            print(rows[-1], flush=True)
    save(VALIDATION_CSV, rows)


def main(argv=None):
    cli = part_runs.parser(__doc__, "known-inputs")
    cli.add_argument("--validation", action="store_true",
                     help="check the promotions' known columns on weeks "
                     "1-116 and store known_inputs_validation.csv")
    args = cli.parse_args(argv)
    part_runs.one_core_float64()
    if args.validation:
        validation()
        return
    if not args.summary:
        run_part(args.part, args.parts, args.work)
        return
    steps, folds, table, tests = summaries(args.work)
    steps["origin"] = steps["origin"].astype(str).str[:10]
    steps["date"] = steps["date"].astype(str).str[:10]
    save_frame(STEPS_CSV, steps)
    save_frame(FOLDS_CSV, folds)
    save_frame(SUMMARY_CSV, table)
    save_frame(TESTS_CSV, tests)
    with pd.option_context("display.width", 200):
        print(table.round(3).to_string(index=False))
        print(tests.round(3).to_string(index=False))


if __name__ == "__main__":
    sys.exit(main())
