"""The five multi-step strategies and the seq2seq decoders.

What makes each strategy what its name says is checked on the networks
themselves: direct holds one network per step that share no weight (and
train as if alone), dirrec's and the autoregressive decoders' output for
step k reads no later value of the extended window, and a forecast of
every strategy is dated, finite and near the data.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb
from lstmbook.strategies import STRATEGIES, Strategy, seq2seq_lstm

TINY = dict(units=4, epochs=2, batch_size=64)
SEQ2SEQ = [("seq2seq", d) for d in lb.strategies.DECODERS]
ALL = [(s, None) for s in STRATEGIES if s != "seq2seq"] + SEQ2SEQ


@pytest.fixture(scope="module")
def airline():
    return lb.load_airline()


@pytest.mark.parametrize("strategy, decoder", ALL,
                         ids=lambda v: str(v))
def test_every_strategy_forecasts_dated_values_near_the_data(
        airline, strategy, decoder, tmp_path):
    model = lb.LSTMForecaster(3, 12, season_diff=12, normalize=None,
                              strategy=strategy, decoder=decoder, **TINY)
    forecast = model.fit(airline[:-3]).predict()
    assert forecast.index.equals(airline.index[-3:])
    assert np.isfinite(forecast).all()
    # a seasonal difference forecast stays near last year's values
    last_year = airline.iloc[-15:-12].to_numpy()
    assert np.all(np.abs(forecast.to_numpy() / last_year - 1) < 0.5)
    assert model.models_[0].outputs[0].shape[-1] == model.strategy_.n_out
    assert f"strategy='{strategy}'" in repr(model)
    assert (f"decoder='{decoder}'" in repr(model)) == (decoder is not None)
    # saved and loaded, it forecasts the same (no warning about the
    # optimisers of the networks inside direct and dirrec)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        loaded = lb.LSTMForecaster.load(model.save(tmp_path / "f"))
    pd.testing.assert_series_equal(forecast, loaded.predict())
    assert loaded.strategy == strategy and loaded.decoder == decoder


def test_direct_is_one_network_per_step_that_trains_as_if_alone():
    """Targets changed at step 2 only change the network of step 2."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5, 1))
    y = rng.normal(size=(40, 3))
    strategy = Strategy("direct", 3, "vanilla")

    def trained(targets):
        lb.set_seed(0)
        model = strategy.build(
            lambda shape, n: lb.vanilla_lstm(shape, n, units=3), (5, 1), 3,
            1e-2)
        lb.fit(model, X, targets, epochs=3, batch_size=8)
        return [model.get_layer(f"step_{k}").get_weights() for k in (1, 2, 3)]

    changed = y.copy()
    changed[:, 1] += 3.0
    a, b = trained(y), trained(changed)
    for step in (0, 2):  # steps 1 and 3: the very same weights
        for wa, wb in zip(a[step], b[step]):
            np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-12)
    assert not np.allclose(a[1][-1], b[1][-1])  # step 2's own bias moved
    one = lb.vanilla_lstm((5, 1), 1, units=3).count_params()
    assert sum(w.size for ws in a for w in ws) == 3 * one  # nothing shared


@pytest.mark.parametrize("name, decoder", [("dirrec", None),
                                           ("seq2seq", "autoregressive"),
                                           ("seq2seq", "attention")])
def test_teacher_forced_outputs_read_no_later_value(name, decoder):
    """Output k depends on the window and the fed values before step k
    only: that is what lets training feed the true values and a forecast
    feed its own."""
    n_in, h = 6, 4
    lb.set_seed(0)
    model = Strategy(name, h, "vanilla", decoder).build(
        lambda shape, n: lb.vanilla_lstm(shape, n, units=3),
        (n_in + h - 1, 1), 3, 1e-3)
    x = np.random.default_rng(1).normal(size=(2, n_in + h - 1, 1))
    base = np.asarray(model(x))
    for k in range(h - 1):  # change the value fed for step k + 2
        changed = x.copy()
        changed[:, n_in + k] += 5.0
        diff = np.abs(np.asarray(model(changed)) - base).max(axis=0)
        assert np.all(diff[:k + 1] == 0), (k, diff)
        assert np.all(diff[k + 1:] > 0), (k, diff)


def test_teacher_forcing_feeds_the_true_values_in_training():
    X = np.arange(12.0).reshape(2, 6, 1)
    y = np.array([[6.0, 7.0, 8.0], [16.0, 17.0, 18.0]])
    extended = Strategy("dirrec", 3, "vanilla").training_input(X, y)
    assert extended.shape == (2, 8, 1)
    np.testing.assert_array_equal(extended[0, 6:, 0], [6.0, 7.0])
    assert Strategy("mimo", 3, "vanilla").training_input(X, y) is X


def test_repeat_decoder_is_the_encoder_decoder_of_part_4():
    """strategy="seq2seq", decoder="repeat" builds, from the same seed,
    the very network of architecture="encoder_decoder"."""
    def weights(build):
        lb.set_seed(0)
        return build().get_weights()

    a = weights(lambda: Strategy("seq2seq", 3, "vanilla", "repeat").build(
        None, (12, 1), 4, 1e-3))
    b = weights(lambda: lb.forecasting.build_architecture(
        "encoder_decoder", (12, 1), 3, 4, 0.0, 1e-3))
    assert len(a) == len(b) == 8  # two LSTMs (3 each), one Dense (2)
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)


def test_attention_weights_are_a_distribution_over_the_window(airline):
    model = lb.LSTMForecaster(6, 12, season_diff=12, normalize=None,
                              strategy="seq2seq", decoder="attention",
                              seeds=(0, 1), **TINY).fit(airline)
    weights = lb.attention_weights(model)
    assert weights.shape == (6, 12)
    assert weights.index.equals(lb.future_index(airline, 6))
    assert weights.columns.equals(airline.index[-12:])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    assert (weights.to_numpy() > 0).all()
    # the weights are the layer's own: its context is their mean of states
    keras_model = model.models_[0]
    layer = keras_model.get_layer("attention")
    import keras
    x = np.random.default_rng(0).normal(size=(1, 17, 1))
    q, s, context = (np.asarray(t) for t in keras.Model(
        keras_model.inputs[0], [*layer.input, layer.output])(x))
    w = lb.strategies._weights(keras_model, x)
    np.testing.assert_allclose(context, w @ s, atol=1e-5)  # float32


def test_seq2seq_builder_output_and_refusals():
    model = seq2seq_lstm((9, 1), 4, units=5, decoder="autoregressive")
    assert model.output_shape == (None, 4)
    with pytest.raises(ValueError, match="decoder must be one of"):
        seq2seq_lstm((9, 1), 4, decoder="luong")


@pytest.mark.parametrize("old, new", [("vector", "mimo"),
                                      ("encoder-decoder", "seq2seq"),
                                      ("dir_rec", "dirrec"),
                                      ("iterated", "recursive")])
def test_old_names_are_refused_with_the_new_one(old, new):
    with pytest.raises(ValueError, match=f"is called strategy='{new}'"):
        lb.LSTMForecaster(3, 12, strategy=old)
