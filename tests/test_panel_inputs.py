"""Known and static inputs of the global model (lstmbook.panel_inputs).

Synthetic weekly panels whose promotions lift (or cut) sales by a known
amount: the global model must learn a shared known input, a per-series
one, and, without series codes, a static input that says which way a
promotion moves a series. Then the plumbing: rows looked up by date, a
ragged panel, saving, the backtest's hand-over, and every refusal.
"""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from lstmbook._checks import panel_values

H, WINDOW, N = 4, 8, 120
FAST = dict(units=8, epochs=40, batch_size=32, learning_rate=1e-2)
DATES = pd.date_range("2015-01-05", periods=N + H, freq="W-MON")
NAMES = ["a", "b", "c", "d"]


def _panel(lift, promo, seed=0):
    """Four series: a season, noise, and ``lift[j] * promo[:, j]``."""
    rng = np.random.default_rng(seed)
    t = np.arange(N + H)[:, None]
    values = (100 + 10 * np.sin(t / 4 + np.arange(4)) + lift * promo
              + rng.normal(0, 1, (N + H, 4)))
    return pd.DataFrame(values, index=DATES, columns=NAMES)


@pytest.fixture(scope="module")
def promos():
    rng = np.random.default_rng(1)
    shared = (rng.random(N + H) < 0.25).astype(float)
    own = (rng.random((N + H, 4)) < 0.25).astype(float)
    return (pd.Series(shared, index=DATES),
            pd.DataFrame(own, index=DATES, columns=NAMES))


def _errors(model, full, known, origins=range(96, 116, H), **extra):
    """Mean absolute error of a model trained to week 90, forecasting from
    later origins without refitting."""
    model.fit(full.iloc[:90], known=known, **extra)
    misses = []
    for t in origins:
        forecast = model.predict(full.iloc[:t], known=known)
        misses.append(forecast.to_numpy() - full.iloc[t:t + H].to_numpy())
    return np.abs(np.concatenate(misses)).mean()


def _global(**settings):
    return lb.GlobalLSTMForecaster(H, WINDOW, **{**FAST, **settings})


def test_a_shared_known_promotion_is_learned(promos):
    shared, _ = promos
    full = _panel(30.0, shared.to_numpy()[:, None])
    with_promo = _errors(_global(known=["promo"]), full, {"promo": shared})
    without = _errors(_global(), full, None)
    assert with_promo < 0.5 * without, (with_promo, without)


def test_per_series_promotions_with_their_own_lifts(promos):
    """One column per series, and a lift that differs by series: the head
    reads the series code beside the promotion."""
    _, own = promos
    full = _panel(np.array([10.0, 20.0, 30.0, 40.0]), own.to_numpy())
    with_promo = _errors(_global(known=["promo"]), full, {"promo": own})
    without = _errors(_global(), full, None)
    assert with_promo < 0.5 * without, (with_promo, without)


def test_a_static_input_is_all_a_one_step_window_cannot_tell():
    """Four trends of different slopes, and a one-step window (which,
    less its last value, is always zero): without series codes only the
    static ``slope`` tells the model which way a series goes."""
    rng = np.random.default_rng(2)
    slopes = np.array([2.0, 1.0, -1.0, -2.0])
    full = pd.DataFrame(100 + np.arange(N + H)[:, None] * slopes
                        + rng.normal(0, 0.3, (N + H, 4)), index=DATES,
                        columns=NAMES)
    table = pd.DataFrame({"slope": slopes}, index=NAMES)
    errors = {}
    for static in (["slope"], None):
        model = lb.GlobalLSTMForecaster(H, 1, series_id=None, static=static,
                                        **FAST)
        model.fit(full.iloc[:90], static=table if static else None)
        miss = model.predict().to_numpy() - full.iloc[90:90 + H].to_numpy()
        errors[bool(static)] = np.abs(miss).mean()
    assert errors[True] < 0.2 * errors[False], errors


def test_static_features_are_encoded_and_stored():
    model = _global(static=["kind", "size"], epochs=1)
    table = pd.DataFrame({"kind": ["x", "y", "x", "z"],
                          "size": [1.0, 2.0, 3.0, 4.0]}, index=NAMES)
    model.fit(_panel(0.0, 0.0).iloc[:60], static=table)
    features = model.inputs_.static_features(NAMES)
    assert features.shape == (4, 4)  # x, y, z one-hot, then size
    np.testing.assert_array_equal(features[:, :3], [[1, 0, 0], [0, 1, 0],
                                                    [1, 0, 0], [0, 0, 1]])
    size = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(features[:, 3],
                               (size - size.mean()) / size.std())
    # each window step carries the series' static features and its code
    X, _ = model._panel_windows(*panel_values(
        _panel(0.0, 0.0).iloc[:60]), False, None, table)
    assert X.shape[2] == 1 + 4 + 4
    np.testing.assert_array_equal(X[0, :, 1:5], np.tile(features[0], (8, 1)))


def test_windows_read_the_known_rows_of_their_own_dates(promos):
    """The known values beside each window step are that date's (less the
    window's last one), also for a series that starts late."""
    shared, _ = promos
    full = _panel(0.0, 0.0).iloc[:60].copy()
    full.iloc[:20, 1] = np.nan  # series b starts at week 20
    model = _global(known=["promo"], scale=False, epochs=1)
    model.fit(full, known={"promo": shared})
    values, columns, index = panel_values(full, ragged=True)
    X, _ = model._panel_windows(values, columns, index, False,
                                {"promo": shared})
    scaler = model.inputs_.scaler_
    n_a = 60 - WINDOW - H + 1
    first_b = X[n_a]  # series b's first window: weeks 20-27, then 28-31
    raw = shared.to_numpy()[20:32]
    expected = raw - raw[WINDOW - 1]
    np.testing.assert_allclose(
        scaler.inverse_transform(first_b[:, 1:2])[:, 0], expected)
    assert (first_b[WINDOW:, 0] == 0).all()  # no target in the future rows


def test_save_and_load_keep_the_inputs(tmp_path, promos):
    shared, own = promos
    kind = pd.DataFrame({"kind": ["up", "up", "down", "down"]}, index=NAMES)
    model = _global(known=["promo", "own"], static=["kind"], epochs=2)
    known = {"promo": shared, "own": own}
    model.fit(_panel(0.0, 0.0).iloc[:90], known=known, static=kind)
    before = model.predict(known=known)
    loaded = lb.GlobalLSTMForecaster.load(model.save(tmp_path / "m"))
    pd.testing.assert_frame_equal(loaded.predict(known=known), before)
    assert loaded.known == ("promo", "own") and loaded.static == ("kind",)


def test_an_undated_panel_must_be_passed_again_after_loading(tmp_path):
    panel = _panel(0.0, 0.0).iloc[:60].reset_index(drop=True)
    promo = pd.Series(np.zeros(64))
    model = _global(known=["promo"], epochs=1).fit(panel,
                                                   known={"promo": promo})
    loaded = lb.GlobalLSTMForecaster.load(model.save(tmp_path / "m"))
    with pytest.raises(ValueError, match="pass the panel"):
        loaded.predict(known={"promo": promo})
    pd.testing.assert_frame_equal(
        loaded.predict(panel, known={"promo": promo}),
        model.predict(known={"promo": promo}))


def test_backtest_panel_hands_every_forecaster_its_inputs(promos):
    """A function with a ``known`` parameter gets the tables; its forecast
    of the promotion's own future rows must equal the data's."""
    shared, _ = promos
    panel = _panel(0.0, 0.0).iloc[:N]
    seen = []

    def echo(history, known):
        promo = known["promo"]
        end = promo.index.get_loc(history.index[-1])
        seen.append(history.index[-1])
        rows = promo.iloc[end + 1:end + 1 + H].to_numpy()
        return pd.DataFrame({c: rows for c in history.columns})

    table = lb.backtest_panel(panel, {"echo": echo}, H, n_origins=3,
                              known={"promo": shared},
                              static=pd.DataFrame({"k": [1] * 4},
                                                  index=NAMES))
    assert len(seen) == 3
    expected = shared.reindex(pd.DatetimeIndex(table["date"])).to_numpy()
    np.testing.assert_array_equal(table["forecast"].to_numpy(), expected)


def test_the_global_forecaster_is_refitted_with_its_inputs(promos):
    shared, _ = promos
    kind = pd.DataFrame({"kind": ["up", "up", "down", "down"]}, index=NAMES)
    model = _global(known=["promo"], static=["kind"], epochs=2)
    table = lb.backtest_panel(_panel(0.0, 0.0).iloc[:N], {"g": model}, H,
                              n_origins=2, known={"promo": shared},
                              static=kind)
    assert table.shape == (2 * H * 4, 10)
    assert np.isfinite(table["forecast"]).all()


# -- refusals -------------------------------------------------------------


@pytest.fixture(scope="module")
def fitted(promos):
    shared, _ = promos
    kind = pd.DataFrame({"kind": ["up", "up", "down", "down"]}, index=NAMES)
    model = _global(known=["promo"], static=["kind"], epochs=1)
    return model.fit(_panel(0.0, 0.0).iloc[:60], known={"promo": shared},
                     static=kind), shared, kind


def _fit(tables=None, table=None, **settings):
    """A fit with the data ``tables`` (known=) and ``table`` (static=) of
    a forecaster made with ``settings``."""
    model = _global(epochs=1, **settings)
    return lambda: model.fit(_panel(0.0, 0.0).iloc[:60], known=tables,
                             static=table)


SHARED = pd.Series(np.zeros(N + H), index=DATES)
KIND = pd.DataFrame({"kind": ["up", "up", "down", "down"]}, index=NAMES)


@pytest.mark.parametrize("call, error, words", [
    (_fit(known=["promo"]), TypeError, "pass known= a dict of tables"),
    (_fit({"promo": SHARED.to_numpy()}, known=["promo"]), TypeError,
     "must be a pandas Series"),
    (_fit({"other": SHARED}, known=["promo"]), ValueError,
     r"lacks \['promo'\] and has extra \['other'\]"),
    (_fit({"promo": SHARED.iloc[10:]}, known=["promo"]), ValueError,
     "has no row for"),
    (_fit({"promo": pd.DataFrame({"a": SHARED})}, known=["promo"]),
     ValueError, r"no column for series \['b', 'c', 'd'\]"),
    (_fit({"promo": SHARED.where(SHARED.index != DATES[5])},
          known=["promo"]), ValueError, "contains NaN"),
    (_fit({"promo": pd.concat([SHARED, SHARED])}, known=["promo"]),
     ValueError, "repeated index labels"),
    (_fit({"promo": SHARED}), ValueError, "this one has none"),
    (_fit(table=KIND), ValueError, "this one has none"),
    (_fit(static=["kind"]), TypeError, "pass static= a DataFrame"),
], ids=lambda x: x if isinstance(x, str) else "")
def test_bad_inputs_to_fit(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_bad_static_tables():
    model = _global(static=["kind"], epochs=1)
    panel = _panel(0.0, 0.0).iloc[:60]
    with pytest.raises(ValueError, match=r"has no column \['kind'\]"):
        model.fit(panel, static=KIND.rename(columns={"kind": "x"}))
    with pytest.raises(ValueError, match=r"no row for series \['d'\]"):
        model.fit(panel, static=KIND.iloc[:3])
    with pytest.raises(ValueError, match="missing values"):
        model.fit(panel, static=KIND.astype(object).replace("up", None))


def test_bad_inputs_to_predict(fitted):
    model, shared, kind = fitted
    with pytest.raises(TypeError, match="pass known= a dict"):
        model.predict()
    with pytest.raises(ValueError, match="a forecast needs its values for "
                                         "the 4 steps after"):
        model.predict(known={"promo": shared.iloc[:61]})
    moved = shared.copy()
    moved.index = moved.index.shift(1, freq="D")
    with pytest.raises(ValueError, match="has no row for"):
        model.predict(known={"promo": moved})
    gapped = pd.concat([shared.iloc[:60], shared.iloc[61:]])
    with pytest.raises(ValueError, match="must be the forecast's dates"):
        model.predict(known={"promo": gapped})
    new = kind.rename(index={"d": "e"}).assign(kind=["up", "up", "down",
                                                     "sideways"])
    with pytest.raises(ValueError, match=r"values \['sideways'\] the model"):
        model.inputs_.encode(new, ["a", "b", "c", "e"])


def test_a_new_series_needs_its_static_inputs(promos):
    shared, _ = promos
    model = _global(known=["promo"], static=["kind"], series_id=None,
                    epochs=1)
    model.fit(_panel(0.0, 0.0).iloc[:60], known={"promo": shared},
              static=KIND)
    newcomer = _panel(0.0, 0.0).iloc[:60].rename(columns={"d": "e"})
    with pytest.raises(ValueError, match=r"series \['e'\] were not in the "
                                         "training panel: pass their static"):
        model.predict(newcomer, known={"promo": shared})
    table = KIND.rename(index={"d": "e"})
    forecast = model.predict(newcomer, known={"promo": shared}, static=table)
    assert list(forecast.columns) == ["a", "b", "c", "e"]


def test_the_settings_are_checked_at_once():
    with pytest.raises(TypeError, match="known must be a list"):
        lb.GlobalLSTMForecaster(H, WINDOW, known=3.5)
    with pytest.raises(ValueError, match="names a column twice"):
        lb.GlobalLSTMForecaster(H, WINDOW, static=["k", "k"])
    assert "known=('promo',)" in repr(_global(known=["promo"]))


# -- the data ----------------------------------------------------------------


def test_road_casualties_is_the_seatbelt_panel():
    data = lb.load_road_casualties()
    assert list(data.columns) == ["drivers", "front", "rear", "law"]
    assert data.shape == (192, 4) and data.index.freqstr == "MS"
    assert data["law"].idxmax() == pd.Timestamp("1983-02-01")
    np.testing.assert_array_equal(data["drivers"],
                                  lb.load_seatbelts()["drivers"])


def test_m3_categories_cover_every_monthly_series():
    categories = lb.load_m3_categories("monthly")
    train, _ = lb.load_m3("monthly")
    assert list(categories.index) == list(train.columns)
    assert set(categories) == {"MICRO", "INDUSTRY", "MACRO", "FINANCE",
                               "DEMOGRAPHIC", "OTHER"}
    # the M3 paper's Table 1 (Makridakis & Hibon, 2000), monthly column
    assert categories.value_counts().to_dict() == {
        "MICRO": 474, "INDUSTRY": 334, "MACRO": 312, "FINANCE": 145,
        "DEMOGRAPHIC": 111, "OTHER": 52}
    with pytest.raises(ValueError, match="M3 has no subset 'weekly'"):
        lb.load_m3_categories("weekly")


def test_the_backtest_interface_refuses_an_input_it_cannot_use():
    with pytest.raises(TypeError, match=r"takes no input \['colour'\]"):
        _global()(_panel(0.0, 0.0).iloc[:60], colour="red")
    with pytest.raises(TypeError, match=r"takes no input \['known'\]"):
        lb.LSTMForecaster(H, WINDOW)(_panel(0.0, 0.0)["a"], known={})
