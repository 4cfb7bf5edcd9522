"""The core both forecasters share (lstmbook.base, ensemble, transforms).

One set of rules for the settings, one seed ensemble with a per-member
forecast, warm starts and dropout for the one-series and the many-series
forecaster alike.
"""

import numpy as np
import pandas as pd
import pytest

import keras
import lstmbook as lb
from lstmbook.transforms import Chain, Log, SeasonalDifference

FORECASTERS = [lb.LSTMForecaster, lb.GlobalLSTMForecaster]


@pytest.fixture(scope="module")
def airline():
    return lb.load_airline()


@pytest.fixture(scope="module")
def panel():
    return lb.load_us_employment().iloc[:100, :3]


@pytest.mark.parametrize("cls", FORECASTERS)
@pytest.mark.parametrize("setting, value, error, match", [
    ("learning_rate", -1, ValueError, "positive"),
    ("learning_rate", 0, ValueError, "positive"),
    ("learning_rate", float("nan"), ValueError, "finite"),
    ("learning_rate", "1e-3", TypeError, "number"),
    ("dropout", "0.2", TypeError, "number"),
    ("dropout", 1.0, ValueError, r"\[0, 1\)"),
    ("seeds", [0.9], TypeError, "whole number"),
    ("seeds", [1, 1], ValueError, "repeat"),
    ("seeds", [], ValueError, "at least one"),
    ("warm_start", "False", TypeError, "True or False"),
    ("normalize", "first", ValueError, "normalize must be one of"),
    ("units", 2.0, TypeError, "whole number"),
])
def test_both_forecasters_check_settings_with_the_same_rules(
        cls, setting, value, error, match):
    with pytest.raises(error, match=match):
        cls(3, 6, **{setting: value})


def test_log_false_as_text_is_refused():
    with pytest.raises(TypeError, match="log must be True or False"):
        lb.LSTMForecaster(3, 6, log="False")


def test_one_series_members_make_the_ensemble(airline):
    ensemble = lb.LSTMForecaster(3, 12, units=4, epochs=3, seeds=(0, 1))
    ensemble.fit(airline)
    members = ensemble.predict_members()
    assert list(members) == [0, 1]
    # each member is the forecaster trained with that seed alone
    alone = lb.LSTMForecaster(3, 12, units=4, epochs=3, seeds=1)
    np.testing.assert_allclose(members[1], alone.fit(airline).predict(),
                               rtol=1e-6)
    # without transforms, the ensemble is the members' mean
    mean = np.mean([members[0], members[1]], axis=0)
    np.testing.assert_allclose(ensemble.predict(), mean, rtol=1e-6)
    assert not np.allclose(members[0], members[1])
    with pytest.raises(ValueError, match="no member was trained with seed"):
        ensemble.ensemble_.members(7)


def test_panel_members_make_the_ensemble(panel):
    model = lb.GlobalLSTMForecaster(4, 8, units=4, epochs=2, seeds=(0, 3))
    model.fit(panel)
    members = model.predict_members()
    assert set(members) == {0, 3}
    mean = (members[0] + members[3]) / 2
    pd.testing.assert_frame_equal(model.predict(), mean, rtol=1e-6)


@pytest.mark.parametrize("cls, data", [
    (lb.LSTMForecaster, "airline"), (lb.GlobalLSTMForecaster, "panel")])
def test_warm_start_continues_the_same_models(cls, data, request):
    data = request.getfixturevalue(data)
    model = cls(3, 8, units=4, epochs=4, warm_start=True, warm_epochs=2)
    model.fit(data.iloc[:-10])
    first = model.models_[0]
    before = [w.copy() for w in first.get_weights()]
    model.fit(data)
    assert model.models_[0] is first  # trained on, not rebuilt
    assert len(model.histories_[0].history["loss"]) == 2
    assert any(not np.array_equal(a, b)
               for a, b in zip(before, first.get_weights()))
    cold = cls(3, 8, units=4, epochs=4)
    cold.fit(data.iloc[:-10])
    old = cold.models_[0]
    cold.fit(data)
    assert cold.models_[0] is not old


def test_panel_warm_start_with_other_series_starts_afresh(panel):
    model = lb.GlobalLSTMForecaster(3, 8, units=4, epochs=2,
                                    warm_start=True)
    model.fit(panel)
    first = model.models_[0]
    model.fit(panel.iloc[:, :2])
    assert model.models_[0] is not first
    assert model.series_ == list(panel.columns[:2])


def test_global_dropout_adds_dropout_layers_and_changes_the_fit(panel):
    plain = lb.GlobalLSTMForecaster(3, 8, units=4, epochs=3).fit(panel)
    dropped = lb.GlobalLSTMForecaster(3, 8, units=4, epochs=3,
                                      dropout=0.3).fit(panel)
    kinds = [type(layer) for layer in dropped.models_[0].layers]
    assert keras.layers.Dropout in kinds
    assert keras.layers.Dropout not in [type(layer) for layer in
                                        plain.models_[0].layers]
    assert not np.allclose(plain.predict(), dropped.predict())


def test_reversed_or_irregular_dates_are_refused_at_fit(airline, panel):
    with pytest.raises(ValueError, match="sort_index"):
        lb.LSTMForecaster(3, 6, epochs=1).fit(airline[::-1])
    gappy = airline.drop(airline.index[[30, 31]])
    with pytest.raises(ValueError, match="regularize"):
        lb.LSTMForecaster(3, 6, epochs=1).fit(gappy)
    with pytest.raises(ValueError, match="sort_index"):
        lb.GlobalLSTMForecaster(3, 6, epochs=1).fit(panel[::-1])
    twice = pd.concat([panel.iloc[:50], panel.iloc[49:]])
    with pytest.raises(ValueError, match="repeated dates"):
        lb.GlobalLSTMForecaster(3, 6, epochs=1).fit(twice)


def test_transforms_invert_exactly_what_they_do():
    rng = np.random.default_rng(0)
    y = np.exp(rng.normal(size=40)) * 100
    future = np.exp(rng.normal(size=15)) * 100  # longer than a season
    for transform in (Log(), SeasonalDifference(12),
                      Chain([Log(), SeasonalDifference(12)])):
        whole = np.concatenate([y, future])
        z = transform.forward(whole)
        back = transform.inverse(z[-len(future):], y)
        np.testing.assert_allclose(back, future, rtol=1e-12)
    assert len(SeasonalDifference(12).forward(y)) == len(y) - 12
    with pytest.raises(ValueError, match="positive"):
        Log().forward(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="more than one season"):
        SeasonalDifference(12).forward(y[:12])


def test_the_forecasters_share_their_plumbing():
    """One implementation of each shared part, not a copy per forecaster."""
    for name in ("_normalized", "_train", "save", "load",
                 "predict_members", "n_params", "models_", "__call__"):
        for cls in FORECASTERS:
            assert name not in vars(cls), f"{cls.__name__} redefines {name}"
