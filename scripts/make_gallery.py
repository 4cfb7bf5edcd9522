"""Write chapters/appendix/template-gallery.md: every framing x architecture.

Usage: python scripts/make_gallery.py

The gallery is generated so that its 37 toy templates stay consistent with
each other. After them come the real-data recipes (``REAL_DATA``): a CSV
with dates to a dated forecast with intervals and a saved model, one
global model over many series, one series with inputs known in
advance, and a forecast distribution checked on a backtest. tests/test_template_gallery.py checks that the
committed page is what this script writes, briefly trains every toy
template, and runs each real-data recipe in full in a fresh process.
"""

import textwrap
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "chapters" / "appendix" / \
    "template-gallery.md"

TABLE = """\
in1 = np.arange(10, 100, 10)                  # 10, 20, ..., 90
in2 = in1 + 5                                 # 15, 25, ..., 95
table = np.column_stack([in1, in2, in1 + in2])  # inputs first, output last"""

SERIES = "series = np.arange(10, 100, 10)  # 10, 20, ..., 90"


def new_inputs(first, stop):
    """Code for one window of the two input series, rows first..stop-1."""
    rows = ", ".join(f"[{10 * k}, {10 * k + 5}]" for k in range(first, stop))
    return f"np.array([[{rows}]])"

# framing key -> (title, explanation, code that defines X, y, x_input for a
# given n_steps_in, and what the forecast should be close to)
FRAMINGS = {
    "univariate": (
        "Univariate, one step",
        "One series; forecast the value after the window.",
        lambda n: f"""{SERIES}
X, y = lb.split_sequence(series, n_steps_in={n})
X = X.reshape((*X.shape, 1))              # add the features axis
x_input = series[-{n}:].reshape((1, {n}, 1))  # the last window""",
        "100",
    ),
    "multiple-input": (
        "Multiple input series, one step",
        "Two inputs explain an output measured at the same time; the target "
        "is the output at the window's last step.",
        lambda n: f"""{TABLE}
X, y = lb.split_sequences(table, n_steps_in={n})
x_input = {new_inputs(11 - n, 11)}""",
        "205",
    ),
    "multiple-parallel": (
        "Multiple parallel series, one step",
        "Every column is forecast, one step after the window.",
        lambda n: f"""{TABLE}
X, y = lb.split_parallel_sequences(table, n_steps_in={n})
x_input = table[-{n}:].reshape((1, {n}, 3))  # the last window""",
        "[100, 105, 205]",
    ),
    "univariate-multi-step": (
        "Univariate, multi-step",
        "One series; forecast the next two values at once.",
        lambda n: f"""{SERIES}
X, y = lb.split_sequence(series, n_steps_in={n}, n_steps_out=2)
X = X.reshape((*X.shape, 1))
x_input = series[-{n}:].reshape((1, {n}, 1))""",
        "[100, 110]",
    ),
    "multiple-input-multi-step": (
        "Multiple input series, multi-step",
        "Two inputs; forecast the output at the window's last step and the "
        "step after it.",
        lambda n: f"""{TABLE}
X, y = lb.split_sequences(table, n_steps_in={n}, n_steps_out=2)
x_input = {new_inputs(10 - n, 10)}""",
        "[185, 205]",
    ),
    "multiple-parallel-multi-step": (
        "Multiple parallel series, multi-step",
        "Every column is forecast, two steps after the window.",
        lambda n: f"""{TABLE}
X, y = lb.split_parallel_sequences(table, n_steps_in={n}, n_steps_out=2)
x_input = table[-{n}:].reshape((1, {n}, 3))""",
        "[[100, 105, 205], [110, 115, 225]]",
    ),
}

ONE_STEP = ["univariate", "multiple-input", "multiple-parallel"]
ALL = list(FRAMINGS)

# architecture key -> (tab title, builder, extra arguments, subsequence
# reshape function or None, n_steps_in, framings it makes sense for)
ARCHITECTURES = {
    "vanilla": ("Vanilla", "vanilla_lstm", "", None, 3, ALL),
    "stacked": ("Stacked", "stacked_lstm", "units=(50, 50), ", None, 3, ALL),
    "bidirectional": ("Bidirectional", "bidirectional_lstm", "", None, 3,
                      ALL),
    "cnn-lstm": ("CNN-LSTM", "cnn_lstm", "", "to_subsequences", 4, ALL),
    "convlstm": ("ConvLSTM", "conv_lstm", "", "to_convlstm_input", 4, ALL),
    "vector-output": ("Vector output", "vector_output_lstm", "", None, 3,
                      [f for f in ALL if f not in ONE_STEP]),
    "encoder-decoder": ("Encoder-decoder", "encoder_decoder_lstm", "", None,
                        3, [f for f in ALL if f not in ONE_STEP]),
    "seq2seq": ("Seq2seq with attention", "seq2seq_lstm", "", None, 3,
                ["univariate-multi-step"]),
}

# The seq2seq model's decoder reads the step before (teacher forcing in
# training, its own forecast when forecasting), so its block differs from
# the others after the data: see "Encoder-decoder", teacher forcing.
SEQ2SEQ = """\
# level normalisation, then teacher forcing: after the window the model
# reads the true step 1, which its decoder reads at step 2
last = X[:, -1:]
X, y = X - last, y - last[:, :, 0]
X = np.concatenate([X, y[:, :-1, np.newaxis]], axis=1)
model = lb.seq2seq_lstm(X.shape[1:], 2, units=100, decoder="attention")
lb.fit(model, X, y, epochs=1000)

# forecast one step at a time: step 1's forecast is read at step 2
x_last = x_input[:, -1:]
x_input = np.concatenate([x_input - x_last, np.zeros((1, 1, 1))], axis=1)
x_input[0, -1, 0] = lb.predict(model, x_input)[0, 0]
yhat = lb.predict(model, x_input) + x_last[:, :, 0]
print(np.round(yhat, 1))  # close to [100, 110]"""


# The real-data recipes. Each is one block a reader pastes into an empty
# notebook: it writes a stand-in file from a shipped dataset (so that it runs
# anywhere), then reads it as it would read the reader's own file. All start
# the same way: a quiet TensorFlow, float64, a seed, and a folder for the
# stand-in file and the saved model.
SETUP = '''\
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import tempfile
from pathlib import Path

import pandas as pd

import keras
import lstmbook as lb

keras.config.set_floatx("float64")  # the same digits on every CPU
lb.set_seed(0)
folder = Path(tempfile.mkdtemp())  # use a real folder for yours
'''

CSV_RECIPE = '''\
# real data: a CSV with dates -> a dated forecast with intervals
''' + SETUP + '''
# A stand-in for your file, so that this block runs anywhere: the
# monthly airline passengers that ship with lstmbook, as a CSV. Delete
# the two lines below, set `path` to your file, and the names after it
# to your column names.
path = folder / "passengers.csv"
lb.load_airline().to_csv(path, index_label="month",
                         header=["passengers"])

date_column, target = "month", "passengers"
freq, season = "MS", 12  # month starts, a yearly season (days: "D", 7)
horizon = 12  # how many steps to forecast
data = pd.read_csv(path, parse_dates=[date_column],
                   index_col=date_column)
# a regular calendar; gaps of up to 2 steps filled, longer ones refused
series = lb.regularize(data[target], freq=freq, max_gap=2)

# 1. Choose the LSTM's settings on the data before the backtest:
#    lb.RobustForecaster scores four settings (hybrid and seasonal
#    difference, windows of one and two seasons) on validation folds and
#    ranks them (chapter "A recipe you can trust"). Take the best.
n_origins = 37  # at least 19: a 95% interval needs 19 errors per step
before = series[:-(n_origins + horizon - 1)]
chooser = lb.RobustForecaster(horizon, season=season).fit(before)
if not chooser.chosen_:
    raise SystemExit("too short to validate an LSTM: forecast with "
                     "lb.RobustForecaster, which then uses ETS and Theta")
recipe = dict(chooser.settings_[chooser.chosen_[0]], epochs=100)
print("settings:", chooser.chosen_[0])

# 2. Backtest. A model trained once on the data before the first origin
#    forecasts from each of the last n_origins origins, seeing only the
#    data before each; the seasonal naive forecast (the last season
#    repeated) is the baseline.
early = lb.LSTMForecaster(horizon, **recipe).fit(before)
results = lb.backtest(series, {
    "LSTM": early.predict,
    "seasonal naive": lambda h: lb.seasonal_naive_forecast(h, horizon,
                                                           season),
}, horizon, n_origins=n_origins, step=1, season=season)
print(lb.summarize(results)[["MAE", "MASE"]].round(2))
# If the LSTM's MAE is not clearly below the seasonal naive's, do not
# use the LSTM alone: forecast with lb.RobustForecaster, which combines
# it with AutoETS and AutoTheta and leaves it out when it loses, or
# with the seasonal naive, whose errors give it intervals the same way
# (its rows of `results`).

# 3. The final model, trained on all the data: its forecast of the dates
#    after the last one, with 80% and 95% conformal intervals from the
#    LSTM's backtest errors (they assume the future errs like the past).
model = lb.LSTMForecaster(horizon, **recipe).fit(series)
errors = results[results["method"] == "LSTM"]
fan = lb.conformal_intervals(model.predict(), errors,
                             levels=(0.8, 0.95))
print(fan.round(1).to_string())

# 4. Save it; later, load it and forecast again without training.
model.save(folder / "model")
reloaded = lb.LSTMForecaster.load(folder / "model")
print("reloaded, same forecast:",
      reloaded.predict().equals(model.predict()))'''

PANEL_RECIPE = '''\
# real data: one global model over many series
''' + SETUP + '''
# A stand-in for your file, so that this block runs anywhere: U.S.
# employment (thousands, monthly, seasonally adjusted) in four sectors,
# written in long form: one row per date and series. Delete the lines
# down to `to_csv` and set `path` to your file.
path = folder / "employment.csv"
sectors = ["construction", "manufacturing", "financial_activities",
           "education_and_health_services"]
wide = lb.load_us_employment()[sectors].rename_axis("date")
long_form = wide.reset_index().melt("date", var_name="sector",
                                    value_name="employees")
long_form.to_csv(path, index=False)

# The panel: one row per date, one column per series. (A file with
# one column per series already: read it with index_col, no pivot.)
table = pd.read_csv(path, parse_dates=["date"])
panel = table.pivot(index="date", columns="sector", values="employees")
panel = lb.regularize(panel, freq="MS", max_gap=2)

horizon, n_steps_in, season = 12, 12, 12
model = lb.GlobalLSTMForecaster(horizon, n_steps_in, units=32,
                                epochs=100, batch_size=64)
results = lb.backtest_panel(panel, {
    "global LSTM": model,
    "naive": lb.per_series(lambda s: lb.naive_forecast(s, horizon)),
    "seasonal naive": lb.per_series(
        lambda s: lb.seasonal_naive_forecast(s, horizon, season)),
}, horizon, n_origins=2, step=horizon)
# MASE of each method on each series: lower is better. This data is
# seasonally adjusted, so the naive forecast is the one to beat here.
print(lb.mase_by_series(results).round(2).to_string())

forecast = model.fit(panel).predict()  # next 12 months, all series
print(forecast.round(0).to_string())'''

KNOWN_RECIPE = '''\
# real data: one series with inputs known in advance (planned promotions)
import os
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np
import pandas as pd

import keras
import lstmbook as lb

keras.config.set_floatx("float64")
lb.set_seed(0)
folder = Path(tempfile.mkdtemp())  # use a real folder for yours

# Stand-in files, so that this block runs anywhere: weekly sales with the
# weeks of two campaigns (sales.csv), and the campaigns planned for the
# next 13 weeks (plans.csv). Delete these lines; point the paths at yours.
shipped = lb.load_promotions()
shipped.iloc[:-13].to_csv(folder / "sales.csv")
shipped[["promo1", "promo2"]].iloc[-13:].to_csv(folder / "plans.csv")

horizon, season, target = 13, 52, "sales"
data = pd.read_csv(folder / "sales.csv", index_col="week")
plans = pd.read_csv(folder / "plans.csv", index_col="week")


def with_season(table):
    \"\"\"The season is known for any week: the sine and cosine of its angle
    on the 52-week cycle (for dated data: lb.calendar_features).\"\"\"
    angle = 2 * np.pi * table.index.to_numpy() / season
    return table.assign(season_sin=np.sin(angle), season_cos=np.cos(angle))


data, plans = with_season(data), with_season(plans)
known = list(plans.columns)  # promo1, promo2, season_sin, season_cos


def lstm():
    return lb.LSTMForecaster(horizon, n_steps_in=13, units=32, epochs=100,
                             log=True, target=target, known=known)


# Worth it? The backtest hands the model the known rows after each origin.
forecasters = {
    "LSTM": lstm(),
    "seasonal naive": lambda h: lb.seasonal_naive_forecast(
        h[target], horizon, season),
}
results = lb.backtest(data, forecasters, horizon, n_origins=2, step=4,
                      season=season, target=target, known=known)
print(lb.summarize(results)[["MAE", "MASE"]].round(3))

model = lstm().fit(data)  # all the history, then the plans
forecast = pd.Series(model.predict(future=plans), index=plans.index,
                     name="forecast")
print(forecast.round(0).to_string())'''

DISTRIBUTION_RECIPE = '''\
# real data: a forecast distribution (sample paths) from a CSV
''' + SETUP + '''
# A stand-in for your file, so that this block runs anywhere: monthly
# Australian wine sales that ship with lstmbook, as a CSV. Delete the two
# lines below, set `path` to your file and the names after it to yours.
path = folder / "wine.csv"
lb.load_wineind().to_csv(path, index_label="month", header=["litres"])

date_column, target = "month", "litres"
freq, season, horizon = "MS", 12, 12
data = pd.read_csv(path, parse_dates=[date_column], index_col=date_column)
series = lb.regularize(data[target], freq=freq, max_gap=2)

# A one-step network that outputs a normal distribution for the next
# month; each forecast samples 1,000 paths, every draw fed back as the
# next input (DeepAR's way). The book's study chose this head on
# validation folds; distribution="quantile" gives quantiles directly.
settings = dict(n_steps_in=24, log=True, season_diff=season, epochs=100,
                distribution="normal", strategy="recursive")

# 1. Check the intervals on forecasts they were not trained on: a model
#    trained on the data before the last 24 origins forecasts from each.
n_origins = 24
cut = len(series) - (n_origins + horizon - 1)
early = lb.LSTMForecaster(horizon, **settings).fit(series[:cut])
folds = pd.concat([
    lb.distribution_forecast(early, series[:t]).assign(
        actual=series[t:t + horizon].to_numpy())
    for t in range(cut, cut + n_origins)])
scores = lb.interval_scores(folds)[["coverage", "mean width", "winkler"]]
print(scores.round(2).to_string())
# An 80% interval should hold about 80% of the truths. If it holds far
# fewer, the head is too sure of itself: put conformal intervals around
# its median instead (the CSV recipe above).

# 2. The final model, on all the data: the median and the 80% and 95%
#    intervals of the 12 months after the last one.
model = lb.LSTMForecaster(horizon, **settings).fit(series)
print(lb.distribution_forecast(model).round(0).to_string())'''

PANEL_INPUTS_RECIPE = '''\
# real data: many series with a known input and a static one
''' + SETUP + '''
# Stand-in files, so that this block runs anywhere: monthly road
# casualties by seat (one column per series), the seat-belt law with its
# plan for the next 12 months, and one row per series describing it.
# Delete these lines; point the paths at yours.
shipped = lb.load_road_casualties()
shipped[["drivers", "front", "rear"]].to_csv(folder / "casualties.csv")
plan = pd.Series(1.0, index=lb.future_index(shipped, 12))  # stays in force
pd.concat([shipped["law"], plan]).rename("law").to_csv(
    folder / "law.csv", index_label="date")
pd.DataFrame({"series": ["drivers", "front", "rear"],
              "seat": ["front", "front", "rear"]}).to_csv(
    folder / "series.csv", index=False)

horizon, season = 12, 12
panel = pd.read_csv(folder / "casualties.csv", index_col="date",
                    parse_dates=True)
panel = lb.regularize(panel, freq="MS", max_gap=2)
# Known inputs: one table each, a row for every date of the panel and of
# the horizon after it (a Series: shared by every series; a DataFrame:
# one column per series). Static inputs: one row per series.
law = pd.read_csv(folder / "law.csv", index_col="date", parse_dates=True)
known = {"law": law["law"]}
static = pd.read_csv(folder / "series.csv", index_col="series")


def lstm():
    # No series codes: the model tells the series apart by their seat, so
    # it learns which series the law covers. In the book's study this was
    # the best LSTM, and AutoARIMA with the law as a regressor better
    # still: on your data, compare it with both.
    return lb.GlobalLSTMForecaster(horizon, n_steps_in=24, units=32,
                                   epochs=100, batch_size=32, log=True,
                                   known=["law"], static=["seat"],
                                   series_id=None)


# Worth it? The backtest hands the model the tables at every origin; it
# reads the rows of its history and of the horizon after it.
results = lb.backtest_panel(panel, {
    "global LSTM": lstm(),
    "seasonal naive": lb.per_series(
        lambda s: lb.seasonal_naive_forecast(s, horizon, season)),
}, horizon, n_origins=2, step=6, season=season, known=known,
    static=static)
print(lb.mase_by_series(results).round(2).to_string())

model = lstm().fit(panel, known=known, static=static)
print(model.predict(known=known).round(0).to_string())'''

REAL_DATA_INTRO = """\
## Real data

The blocks above train on the toy series. The five below start where your
own project starts, from a file of values, and end with a forecast of
the dates after the last one. Each runs as it is: it first writes a
stand-in file from a dataset that ships with `lstmbook`, then reads it the
way it would read yours. Delete the stand-in lines, set `path` to your file
and the column names to yours, and keep the rest. Each checks the LSTM on
the last part of the data before it trusts it: against simple baselines,
or, for the forecast distribution, against the coverage it claims.

All five forecast all the steps at once (MIMO, a vector output). To forecast
them another way in the CSV recipe, pass `strategy=` to
`lb.LSTMForecaster`: `"recursive"`
(a one-step model fed its own forecasts), `"direct"` (one model per
step), `"dirrec"` (one per step, each fed the earlier steps) or
`"seq2seq"` (an encoder and a decoder, with `decoder="autoregressive"`,
`"attention"` or `"repeat"`). [Forecasting the
future](../07-beyond-point-forecasts/01-forecasting-the-future.ipynb#which-strategy)
measures the five on the book's series, and the [encoder-decoder
chapter](../04-multi-step/02-encoder-decoder.ipynb) builds the decoders.
"""

# recipe key -> (heading, what it does and where the book explains it, code)
REAL_DATA = {
    "csv": (
        "One series from a CSV: a dated forecast with intervals",
        "Read a CSV with a date column, put the series on a regular "
        "calendar (`lb.regularize`), let `lb.RobustForecaster` choose the "
        "LSTM's settings on validation folds ([A recipe you can trust]"
        "(../06-real-data/05-a-recipe-you-can-trust.ipynb)), backtest the "
        "LSTM against the seasonal "
        "naive forecast from many origins (`lb.backtest`), train the final "
        "`lb.LSTMForecaster` on all the data, wrap its forecast in 80% and "
        "95% conformal intervals calibrated on the backtest's errors "
        "(`lb.conformal_intervals`), and save the model and load it back. "
        "[Your own data](../07-beyond-point-forecasts/05-your-own-data.ipynb) "
        "explains reading a file and the calendar, "
        "[Evaluating forecasts honestly]"
        "(../06-real-data/02-evaluating-forecasts-honestly.ipynb) the "
        "backtest and the baselines, and [Prediction intervals]"
        "(../07-beyond-point-forecasts/02-prediction-intervals.ipynb"
        "#a-fan-chart-of-the-real-future) the intervals and what they "
        "assume.",
        CSV_RECIPE,
    ),
    "panel": (
        "Many series: one global model",
        "Read a file that holds many series in long form (one row per date "
        "and series), pivot it into a panel (one column per series), "
        "backtest one `lb.GlobalLSTMForecaster` trained on the windows of "
        "every series against each series' naive and seasonal naive "
        "forecasts (`lb.backtest_panel`), score every series "
        "(`lb.mase_by_series`), and forecast the next dates of all of "
        "them. [Many series]"
        "(../07-beyond-point-forecasts/03-many-series.ipynb) explains the "
        "global model, when one model for all series beats one per series, "
        "and the evaluation.",
        PANEL_RECIPE,
    ),
    "known": (
        "One series with inputs known in advance: planned promotions",
        "Read weekly sales with the weeks of two promotional campaigns, "
        "and the campaigns planned for the weeks to forecast; add the "
        "season, which is known for any week; backtest an "
        "`lb.LSTMForecaster(..., known=[...])` against the seasonal naive "
        "forecast (`lb.backtest(..., known=[...])` hands it the known "
        "columns after each origin); train it on all the history and "
        "forecast from the plans (`predict(future=plans)`). [Inputs known "
        "in advance](../07-beyond-point-forecasts/"
        "07-inputs-known-in-advance.ipynb) explains the three kinds of "
        "input, how the network reads the future rows, and measures them "
        "against ARIMA with the same regressors.",
        KNOWN_RECIPE,
    ),
    "panel_inputs": (
        "Many series with a known input and a static one: a law and the "
        "seats it covers",
        "Read a panel (one column per series), a table of an input known "
        "in advance with its plan for the horizon, and a table with one "
        "row per series; backtest an `lb.GlobalLSTMForecaster(..., "
        "known=[...], static=[...])` against the seasonal naive forecast "
        "(`lb.backtest_panel(..., known=..., static=...)`), and forecast "
        "every series from the plan. [Inputs known in advance]"
        "(../07-beyond-point-forecasts/07-inputs-known-in-advance.ipynb"
        "#many-series-known-and-static-inputs) explains how the global "
        "model reads both and measures them on this panel and on M3.",
        PANEL_INPUTS_RECIPE,
    ),
    "distribution": (
        "A forecast distribution: sample paths checked on a backtest",
        "Read a CSV with dates, train an `lb.LSTMForecaster` that ends in a "
        "normal distribution and draws sample paths, each draw fed back as "
        "the next input (`distribution=\"normal\", "
        "strategy=\"recursive\"`, DeepAR's design), "
        "check the coverage and Winkler score of its intervals on 24 "
        "origins it was not trained on (`lb.distribution_forecast`, "
        "`lb.interval_scores`), and forecast the months after the last "
        "one with their median and intervals. [Forecasts as distributions]"
        "(../07-beyond-point-forecasts/08-forecasts-as-distributions.ipynb) "
        "explains the quantile, normal and Student-t heads and DeepAR-style "
        "sample paths, and measures them against conformal intervals.",
        DISTRIBUTION_RECIPE,
    ),
}


def builder_call(builder, extra):
    """``model = lb.<builder>(...)``, wrapped to stay under 80 columns."""
    head = f"model = lb.{builder}("
    args = ["X.shape[1:], y.shape[1:],", f'{extra}activation="relu")']
    line = head + " ".join(args)
    if len(line) < 80:
        return line
    return head + args[0] + "\n" + " " * len(head) + args[1]


def template(framing, architecture):
    _, _, data, expected = FRAMINGS[framing]
    _, builder, extra, reshape, n_steps_in, _ = ARCHITECTURES[architecture]
    lines = [
        f"# template: {framing} / {architecture}",
        "import numpy as np",
        "",
        "import lstmbook as lb",
        "",
        data(n_steps_in),
    ]
    if architecture == "seq2seq":
        return "\n".join(lines + ["", SEQ2SEQ])
    if reshape:
        lines += [f"X = lb.{reshape}(X, 2)  # 2 subsequences of 2 steps",
                  f"x_input = lb.{reshape}(x_input, 2)"]
    lines += [
        "",
        builder_call(builder, extra),
        "lb.fit(model, X, y, epochs=1000)",
        "yhat = lb.predict(model, x_input)",
        f"print(np.round(yhat, 1))  # close to {expected}",
    ]
    return "\n".join(lines)


def page():
    parts = [f"""\
# Template gallery

Two kinds of copyable blocks. First, {len(combinations())} toy templates:
every framing of the book with every architecture that makes sense for it.
Pick the section of your framing, then the tab of the architecture. Each
block makes the windows from the toy data of Parts 2-5, builds the model
with the `lstmbook` builder (the model's input is `X.shape[1:]`, its output
`y.shape[1:]`), trains it, and forecasts from `x_input`. Replace the data
with yours and keep the rest. Then, under [Real data](#real-data), recipes
for real series: each reads a dated file, judges the LSTM against
baselines, and ends with a forecast of the dates after the last one. Paste
one into an empty notebook, point it at your file, and run it.

The vector-output and encoder-decoder models are multi-step designs, so they
appear only in the multi-step sections; the others adapt their dense head to
any target shape. The seq2seq model with attention, whose decoder reads
the step before (teacher forcing), forecasts one series several steps
ahead. The CNN-LSTM and ConvLSTM templates use windows of 4 steps
so that each splits into 2 subsequences of 2.

Every block here is run by the test suite
(`tests/test_template_gallery.py`), so none of them is broken. It builds
and briefly trains each toy template on windows of the right shape; the
chapters show each recipe trained to the answer: the toy forecasts come
within a few percent of the values in the comments, and the multi-step
chapters explain why level normalisation makes them exact. The real-data
recipes it runs in full, each alone in a fresh Python process in an empty
folder as a reader would, and it checks the dated forecast each prints.
"""]
    for framing, (title, text, _, _) in FRAMINGS.items():
        parts.append(f"## {title}\n\n{text}\n\n::::{{tab-set}}\n")
        for architecture, (tab, *_, framings) in ARCHITECTURES.items():
            if framing not in framings:
                continue
            parts.append(f":::{{tab-item}} {tab}\n```python\n"
                         f"{template(framing, architecture)}\n```\n:::\n")
        parts.append("::::\n")
    parts.append(REAL_DATA_INTRO)
    for title, text, code in REAL_DATA.values():
        text = textwrap.fill(text, 79, break_long_words=False,
                             break_on_hyphens=False)
        parts.append(f"### {title}\n\n{text}\n\n```python\n{code}\n```\n")
    return "\n".join(parts)


def combinations():
    """Every (framing, architecture) pair the gallery shows."""
    return [(f, a) for f in FRAMINGS
            for a, spec in ARCHITECTURES.items() if f in spec[-1]]


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(page())
    print(f"wrote {OUT} with {len(combinations())} toy templates and "
          f"{len(REAL_DATA)} real-data recipes")
