"""Inputs known in advance (``LSTMForecaster(known=...)``, lstmbook.known).

A planned promotion lifts sales in a synthetic weekly series by a known
amount. Each strategy that reads known inputs must learn that lift (it
beats the same model without the column), read a future row only for its
own and later steps, get from a backtest only the known columns after the
origin, and save and load with its known inputs.
"""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from lstmbook.known import calendar_features
from lstmbook.strategies import Strategy

H, WINDOW = 4, 8
FAST = dict(units=8, epochs=40, batch_size=32)
READERS = [("mimo", None), ("recursive", None), ("seq2seq", None),
           ("seq2seq", "attention")]


@pytest.fixture(scope="module")
def weekly():
    rng = np.random.default_rng(0)
    n = 120
    promo = (rng.random(n) < 0.25).astype(float)
    sales = (100 + 10 * np.sin(np.arange(n) / 4) + 30 * promo
             + rng.normal(0, 1, n))
    return pd.DataFrame({"sales": sales, "promo": promo},
                        index=pd.date_range("2015-01-05", periods=n,
                                            freq="W-MON"))


def _model(strategy="mimo", decoder=None, **settings):
    return lb.LSTMForecaster(H, WINDOW, target="sales", strategy=strategy,
                             decoder=decoder, **{**FAST, **settings})


@pytest.mark.parametrize("strategy, decoder", READERS[:3], ids=str)
def test_a_known_promotion_is_learned(weekly, strategy, decoder):
    """Trained to week 90, then forecast from six later origins (frozen
    models): with the promotion's future values the error falls several-
    fold."""
    errors = {}
    for known in (["promo"], None):
        data = weekly if known else weekly[["sales"]]
        model = _model(strategy, decoder, known=known, learning_rate=1e-2)
        model.fit(data.iloc[:90])
        misses = []
        for t in range(92, 116, H):
            future = weekly[["promo"]].iloc[t:t + H] if known else None
            forecast = model.predict(data.iloc[:t], future=future)
            misses.append(forecast - weekly["sales"].iloc[t:t + H])
        errors[bool(known)] = np.abs(np.concatenate(misses)).mean()
    assert errors[True] < 0.5 * errors[False], errors


@pytest.mark.parametrize("strategy, decoder", READERS, ids=str)
def test_a_step_reads_no_later_known_value_and_saves(weekly, strategy,
                                                     decoder, tmp_path):
    model = _model(strategy, decoder, known=["promo"], epochs=2)
    model.fit(weekly.iloc[:-H])
    future = weekly[["promo"]].iloc[-H:]
    forecast = model.predict(future=future)
    assert forecast.index.equals(weekly.index[-H:])
    changed = future.copy()
    changed.iloc[-1, 0] = 1 - changed.iloc[-1, 0]
    other = model.predict(future=changed)
    np.testing.assert_array_equal(forecast.iloc[:-1], other.iloc[:-1])
    assert forecast.iloc[-1] != other.iloc[-1]
    loaded = lb.LSTMForecaster.load(model.save(tmp_path / "f"))
    assert loaded.known == ("promo",)
    pd.testing.assert_series_equal(loaded.predict(future=future), forecast)
    members = model.predict_members(future=future)
    np.testing.assert_allclose(members[0], forecast)


def test_the_backtest_hands_over_the_known_rows_after_each_origin(weekly):
    seen = []

    def spy(history, future):
        seen.append((history.index[-1], future))
        return np.zeros(H)

    lb.backtest(weekly.assign(other=1.0), {"spy": spy,
                                           "naive": lambda h: np.zeros(H)},
                H, n_origins=2, step=H, target="sales", known=["promo"])
    assert [end for end, _ in seen] == list(weekly.index[[-2 * H - 1,
                                                          -H - 1]])
    for end, future in seen:  # the history stops at the origin
        after = weekly.index[weekly.index.get_loc(end) + 1:][:H]
        assert list(future.columns) == ["promo"]
        assert future.index.equals(after)
        pd.testing.assert_frame_equal(future, weekly.loc[after, ["promo"]])


def test_past_only_columns_stay_in_the_window(weekly):
    """mimo reads a past-only column over the window; its future row is
    zero, so the forecast ignores the column's values after the origin."""
    data = weekly.assign(rain=np.linspace(0, 1, len(weekly)))
    model = _model(known=["promo"], epochs=2).fit(data.iloc[:-H])
    assert model.models_[0].input_shape == (None, WINDOW + H, 3)
    rows = model._known_rows(weekly[["promo"]].iloc[-H:], data.index[:-H], 3)
    assert np.all(rows[0, :, 2] == 0) and np.all(rows[0, :, 0] == 0)


def test_dropout_paths_read_the_known_rows(weekly):
    """Monte-Carlo dropout reaches the LSTM under the head, and its paths
    read the plans as the forecast does."""
    model = _model(known=["promo"], epochs=2, dropout=0.2)
    model.fit(weekly.iloc[:-H])
    future = weekly[["promo"]].iloc[-H:]
    table = lb.mc_dropout_forecast(model, n_samples=20, future=future)
    assert table.index.equals(weekly.index[-H:])
    assert (table["upper_80"] > table["lower_80"]).all()
    with pytest.raises(ValueError, match="pass future="):
        model.sample_paths(5)


def test_teacher_forced_rows_hold_the_value_before_each_step():
    strategy = Strategy("seq2seq", 3, "vanilla", known=True)
    X = np.arange(2 * 4 * 2, dtype=float).reshape(2, 4, 2)
    y = np.array([[100., 101., 102.], [200., 201., 202.]])
    future = np.zeros((2, 3, 2))
    future[:, :, 1] = [[7, 8, 9], [4, 5, 6]]
    extended = strategy.training_input(X, y, future)
    assert extended.shape == (2, 7, 2)
    np.testing.assert_array_equal(extended[:, :4], X)
    np.testing.assert_array_equal(extended[:, 4:, 0],
                                  [[X[0, -1, 0], 100, 101],
                                   [X[1, -1, 0], 200, 201]])
    np.testing.assert_array_equal(extended[:, 4:, 1], future[:, :, 1])


def test_the_recursive_strategy_writes_known_values_beside_its_forecast():
    windows_seen = []

    def encode(windows, rows):
        windows_seen.append(windows.copy())
        return np.concatenate([windows, rows], axis=1), np.zeros((1, 1))

    def predict(x):  # "forecast" the known value of the step, plus 10
        return x[:, -1:, 1] + 10

    strategy = Strategy("recursive", 3, "vanilla", known=True)
    future = np.array([[[0, 1.], [0, 2.], [0, 3.]]])
    windows = np.array([[[5., 0.], [6., 0.]]])
    out = strategy.roll(encode, predict, lambda o, off: o + off, windows,
                        future)
    np.testing.assert_array_equal(out, [[11, 12, 13]])
    np.testing.assert_array_equal(windows_seen[2][0], [[11, 1], [12, 2]])


def test_calendar_features_draw_the_year_as_a_circle():
    dates = pd.date_range("2023-12-30", periods=8, freq="D")
    table = calendar_features(dates, weekdays=True)
    assert list(table.columns) == ["doy_sin", "doy_cos", "mon", "tue",
                                   "wed", "thu", "fri", "sat"]
    np.testing.assert_allclose(np.hypot(table.doy_sin, table.doy_cos), 1)
    # 31 December and 1 January are neighbours on the circle
    gap = np.hypot(*(table.loc["2024-01-01", ["doy_sin", "doy_cos"]]
                     - table.loc["2023-12-31", ["doy_sin", "doy_cos"]]))
    assert gap < 0.03
    assert table.loc["2024-01-01", "mon"] == 1  # a Monday
    assert table.loc["2023-12-31", ["mon", "tue", "wed", "thu", "fri",
                                    "sat"]].sum() == 0  # a Sunday


BAD = [
    (lambda w: _model(known=["promo"]).fit(w["sales"]), ValueError,
     "DataFrame"),
    (lambda w: _model(known=["sales"]).fit(w), ValueError, "target"),
    (lambda w: _model(known=["price"]).fit(w), ValueError, "price"),
    (lambda w: _model(known="promo", strategy="direct"), ValueError,
     "cannot read inputs known in advance"),
    (lambda w: _model(known=["promo"], strategy="dirrec"), ValueError,
     "'mimo', 'recursive' or 'seq2seq'"),
    (lambda w: _model(known=["promo"], strategy="seq2seq",
                      decoder="repeat"), ValueError, "decoder='repeat'"),
    (lambda w: _model(known=["promo"], architecture="cnn_lstm"),
     ValueError, "subsequences"),
    (lambda w: _model(known={"promo": 1}), TypeError, "list of column"),
    (lambda w: _model(known=["promo", "promo"]), ValueError, "twice"),
    (lambda w: _model(strategy="recursive").fit(w), ValueError,
     "known="),
    (lambda w: lb.backtest(w["sales"], {"m": _model()}, H, known=["promo"]),
     ValueError, "DataFrame"),
    (lambda w: lb.backtest(w, {"m": _model()}, H, target="sales",
                           known=["price"]), ValueError, "price"),
    (lambda w: calendar_features(w.index.to_numpy()), TypeError,
     "DatetimeIndex"),
    (lambda w: calendar_features(w.index, season=None), ValueError,
     "no column"),
]


@pytest.mark.parametrize("call, error, match", BAD)
def test_bad_settings_raise_a_clear_error(weekly, call, error, match):
    with pytest.raises(error, match=match):
        call(weekly)


@pytest.fixture(scope="module")
def fitted(weekly):
    return _model(known=["promo"], epochs=1).fit(weekly.iloc[:-H])


FUTURE = [
    (lambda f, w: f.predict(), ValueError, r"pass future=.*known=\['promo'\]"),
    (lambda f, w: f.predict(future=w[["promo"]].iloc[-H - 1:-1]),
     ValueError, "forecast's dates"),
    (lambda f, w: f.predict(future=w[["promo"]].iloc[-H + 1:]),
     ValueError, "rows"),
    (lambda f, w: f.predict(future=w[["sales"]].iloc[-H:]), ValueError,
     "no column"),
    (lambda f, w: f.predict(future=w[["promo"]].iloc[-H:].to_numpy()),
     TypeError, "DataFrame"),
    (lambda f, w: f.predict(future=w[["promo"]].iloc[-H:].where(
        w.index[-H:].to_series().lt(w.index[-2]).to_frame("promo")
        .values)), ValueError, "NaN|finite|missing"),
    (lambda f, w: _model(epochs=1).fit(w[["sales"]].iloc[:-H]).predict(
        future=w[["promo"]].iloc[-H:]), ValueError, "has none"),
]


@pytest.mark.parametrize("call, error, match", FUTURE)
def test_bad_future_rows_raise_a_clear_error(fitted, weekly, call, error,
                                             match):
    with pytest.raises(error, match=match):
        call(fitted, weekly)
