"""lstmbook.distributions: heads that forecast quantiles or a distribution.

The layer and the losses are checked against NumPy and SciPy; the
forecasters on synthetic series whose true distribution is known (noise of
a known spread), where the intervals must cover about what they claim; the
recursive head must widen its paths on a random walk, because each draw is
fed back; the checks on bad input name what to do instead.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import lstmbook as lb
from lstmbook.distributions import (QUANTILES, DistributionLayer,
                                    DistributionLoss)

SIGMA = 2.0


def noisy_season(n=360, seed=0, noise=None):
    """A 12-month season plus independent noise of spread SIGMA."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    draws = (rng.standard_normal(n) if noise is None else noise(rng, n))
    values = 50 + 10 * np.sin(2 * np.pi * t / 12) + SIGMA * draws
    return pd.Series(values, index=pd.date_range("1990-01", periods=n,
                                                 freq="MS"))


def random_walk(n=300, seed=1):
    rng = np.random.default_rng(seed)
    return pd.Series(100 + np.cumsum(rng.standard_normal(n)),
                     index=pd.date_range("2000-01-01", periods=n, freq="D"))


def settings(**kw):
    return {**dict(n_steps_in=12, units=16, epochs=60, batch_size=32,
                   normalize=None), **kw}


# --- the layer and the losses ------------------------------------------------

def test_quantiles_never_cross_whatever_the_raw_outputs():
    raw = np.random.default_rng(0).normal(0, 5, (64, 3 * 5))
    params = np.asarray(DistributionLayer("quantile", 3, QUANTILES)(raw))
    assert params.shape == (64, 3, 5)
    assert np.all(np.diff(params, axis=-1) >= 0)  # ties only when a gap
    # underflows: softplus of a very negative raw output
    # the median is the raw median output, unchanged
    np.testing.assert_allclose(params[..., 2], raw.reshape(64, 3, 5)[..., 2])


def test_scale_and_degrees_of_freedom_are_kept_in_range():
    raw = np.random.default_rng(1).normal(0, 20, (32, 4 * 3))
    params = np.asarray(DistributionLayer("student_t", 4)(raw))
    assert params.shape == (32, 4, 3)
    assert np.all(params[..., 1] > 0) and np.all(params[..., 2] >= 2)
    normal = np.asarray(DistributionLayer("normal", 4)(raw[:, :8]))
    assert normal.shape == (32, 4, 2) and np.all(normal[..., 1] > 0)


def test_losses_match_numpy_and_scipy():
    rng = np.random.default_rng(2)
    y = rng.normal(size=(10, 3))
    quantiles = np.sort(rng.normal(size=(10, 3, 5)), axis=-1)
    pinball = DistributionLoss("quantile", list(QUANTILES))
    error = y[..., None] - quantiles
    q = np.array(QUANTILES)
    expected = np.mean(np.maximum(q * error, (q - 1) * error))
    got = float(pinball(np.repeat(y[..., None], 5, -1), quantiles))
    assert got == pytest.approx(expected, rel=1e-6)

    loc, scale, dof = rng.normal(size=(10, 3)), rng.uniform(0.5, 2, (10, 3)), \
        rng.uniform(2.5, 9, (10, 3))
    normal = DistributionLoss("normal")(np.repeat(y[..., None], 2, -1),
                                        np.stack([loc, scale], -1))
    assert float(normal) == pytest.approx(
        -stats.norm.logpdf(y, loc, scale).mean(), rel=1e-6)
    student = DistributionLoss("student_t")(
        np.repeat(y[..., None], 3, -1), np.stack([loc, scale, dof], -1))
    assert float(student) == pytest.approx(
        -stats.t.logpdf(y, dof, loc, scale).mean(), rel=1e-6)


# --- forecasters on series whose distribution is known -----------------------

@pytest.fixture(scope="module")
def season_train_test():
    y = noisy_season()
    return y[:-120], y[-120:]


def rolling_tables(forecaster, train, test, horizon, n_samples=400):
    """Refit once on ``train``; forecast from 10 origins in ``test``."""
    forecaster.fit(train)
    tables = []
    for k in range(0, len(test) - horizon + 1, 11):
        history = pd.concat([train, test[:k]])
        table = lb.distribution_forecast(forecaster, history,
                                         n_samples=n_samples, seed=k)
        tables.append(table.assign(actual=test[k:k + horizon].to_numpy()))
    return pd.concat(tables)


@pytest.mark.parametrize("distribution,strategy", [
    ("quantile", "mimo"), ("normal", "mimo"), ("normal", "recursive")])
def test_intervals_cover_about_what_they_claim(season_train_test,
                                               distribution, strategy):
    train, test = season_train_test
    f = lb.LSTMForecaster(6, **settings(distribution=distribution,
                                        strategy=strategy))
    table = rolling_tables(f, train, test, 6)
    scores = lb.interval_scores(table)
    covered = scores["coverage"].to_numpy()
    assert 0.65 <= covered[0] <= 0.93, scores  # 80%
    assert 0.85 <= covered[1] <= 1.0, scores  # 95%
    # the 80% interval of N(0, SIGMA) noise is 2.56 SIGMA wide
    width = scores["mean width"].to_numpy()[0]
    assert 0.6 * 2.563 * SIGMA < width < 1.6 * 2.563 * SIGMA, scores
    assert np.all(table["lower_95"] <= table["lower_80"])
    assert np.all(table["lower_80"] <= table["forecast"])
    assert np.all(table["forecast"] <= table["upper_80"])
    assert np.all(table["upper_80"] <= table["upper_95"])


def test_recursive_paths_widen_on_a_random_walk():
    """Each draw is fed back, so the spread grows about as sqrt(step)."""
    y = random_walk()
    f = lb.LSTMForecaster(8, **settings(distribution="normal",
                                        strategy="recursive",
                                        normalize="last")).fit(y)
    paths = f.sample_paths(600, seed=0)
    assert paths.shape == (8, 600)
    spread = paths.std(axis=1).to_numpy()
    assert spread[-1] / spread[0] > 1.8, spread
    # without the draws fed back, predict follows the location
    assert np.isfinite(f.predict()).all()


def test_quantile_forecasts_are_the_table_and_predict_is_the_median(
        season_train_test):
    train, _ = season_train_test
    f = lb.LSTMForecaster(4, **settings(distribution="quantile",
                                        quantiles=(0.1, 0.5, 0.9),
                                        seeds=(0, 1))).fit(train)
    quantiles = f.quantile_forecasts()
    assert list(quantiles.columns) == [0.1, 0.5, 0.9]
    assert quantiles.index.equals(lb.future_index(train, 4))
    np.testing.assert_allclose(f.predict(), quantiles[0.5])
    table = lb.distribution_forecast(f, levels=0.8)
    assert list(table.columns) == ["forecast", "lower_80", "upper_80"]
    np.testing.assert_allclose(table["lower_80"], quantiles[0.1])
    with pytest.raises(ValueError, match="trained for the levels"):
        lb.distribution_forecast(f, levels=0.95)


def test_save_and_load_keep_the_head(season_train_test, tmp_path):
    train, _ = season_train_test
    f = lb.LSTMForecaster(3, **settings(distribution="student_t",
                                        epochs=5)).fit(train)
    f.save(tmp_path / "model")
    g = lb.LSTMForecaster.load(tmp_path / "model")
    assert g.distribution == "student_t"
    np.testing.assert_allclose(g.predict(), f.predict())
    np.testing.assert_allclose(g.sample_paths(50, seed=3),
                               f.sample_paths(50, seed=3))


def test_paths_pool_the_seeds_and_repeat_with_the_seed(season_train_test):
    train, _ = season_train_test
    f = lb.LSTMForecaster(3, **settings(distribution="normal", epochs=5,
                                        seeds=(0, 1))).fit(train)
    a, b = f.sample_paths(20, seed=7), f.sample_paths(20, seed=7)
    assert a.shape == (3, 40)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a, f.sample_paths(20, seed=8))


# --- scores ------------------------------------------------------------------

def test_winkler_score_adds_the_misses_to_the_width():
    # width 2 each; the third truth is 1 above at level 0.8: 2 / 0.2 * 1
    assert lb.winkler_score([1, 0, 4], [0, -1, 1], [2, 1, 3], 0.8) == \
        pytest.approx((2 + 2 + 2 + 10) / 3)
    assert lb.winkler_score([-1], [0], [2], 0.5) == pytest.approx(2 + 4)


def test_pinball_loss_and_scores():
    assert lb.pinball_loss([10, 10], [8, 12], 0.9) == pytest.approx(
        (0.9 * 2 + 0.1 * 2) / 2)
    assert lb.pinball_loss([3.0], [1.0], 0.5) == pytest.approx(1.0)
    table = pd.DataFrame({"method": ["a", "a", "b", "b"],
                          "actual": [1.0, 3.0, 1.0, 3.0],
                          "forecast": [2.0, 2.0, 1.0, 3.0],
                          "lower_80": [0.0, 0.0, 0.5, 2.5],
                          "upper_80": [4.0, 4.0, 1.5, 3.5]})
    scores = lb.pinball_scores(table)
    assert list(scores.columns) == [0.1, 0.5, 0.9, "mean"]
    assert scores.loc["b", 0.5] == 0 and scores.loc["a", 0.5] == 0.5
    assert scores.loc["a", "mean"] == pytest.approx(
        scores.loc["a", [0.1, 0.5, 0.9]].mean())
    intervals = lb.interval_scores(table)
    assert intervals.loc[("a", 0.8), "winkler"] == pytest.approx(4.0)


@pytest.mark.parametrize("call,error,match", [
    (lambda: lb.winkler_score([1], [0], [2], 80), ValueError, "0.8, not 80"),
    (lambda: lb.winkler_score([1, 2], [0], [2], 0.8), ValueError,
     "same shape"),
    (lambda: lb.winkler_score([1], [3], [2], 0.8), ValueError,
     "lower is above upper"),
    (lambda: lb.pinball_loss([1.0], [np.nan], 0.5), ValueError, "forecast"),
    (lambda: lb.pinball_loss([], [], 0.5), ValueError, "empty"),
    (lambda: lb.pinball_scores(pd.DataFrame({"actual": [1.0]})), TypeError,
     "forecast"),
])
def test_scores_refuse_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- what a head refuses, and why ---------------------------------------------

@pytest.mark.parametrize("kw,match", [
    (dict(distribution="gaussian"), "distribution"),
    (dict(distribution="quantile", strategy="recursive"), "sample paths"),
    (dict(distribution="normal", strategy="direct"), "'mimo' or"),
    (dict(distribution="normal", strategy="seq2seq"), "'mimo' or"),
    (dict(distribution="normal", architecture="encoder_decoder"),
     "flat output"),
    (dict(distribution="normal", known=["promo"]), "known"),
    (dict(distribution="normal", quantiles=(0.1, 0.5, 0.9)),
     "leave quantiles=None"),
    (dict(distribution="quantile", quantiles=(0.1, 0.9)), "median"),
    (dict(distribution="quantile", quantiles=(0.5, 0.1)), "increase"),
    (dict(distribution="quantile", quantiles=(0.5, 90)), "0.9"),
    (dict(distribution="quantile", quantiles=0.5), "sequence"),
])
def test_heads_refuse_what_they_cannot_do(kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        lb.LSTMForecaster(3, 12, **kw)


def test_the_wrong_tool_for_a_forecaster_is_named(season_train_test):
    train, _ = season_train_test
    point = lb.LSTMForecaster(3, **settings(epochs=2)).fit(train)
    with pytest.raises(TypeError, match="conformal_intervals"):
        lb.distribution_forecast(point)
    with pytest.raises(ValueError, match="distribution='quantile'"):
        point.quantile_forecasts()
    quantile = lb.LSTMForecaster(3, **settings(
        epochs=2, distribution="quantile")).fit(train)
    with pytest.raises(ValueError, match="not paths"):
        quantile.sample_paths(10)
    with pytest.raises(TypeError, match="distribution_forecast"):
        lb.mc_dropout_forecast(quantile)
