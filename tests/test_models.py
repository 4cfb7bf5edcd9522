"""lstmbook.models: every builder, every output framing, bad shapes."""

import keras
import numpy as np
import pytest

import lstmbook as lb

# (builder, input_shape) for each architecture
BUILDERS = [
    (lb.vanilla_lstm, (3, 1)),
    (lb.stacked_lstm, (3, 2)),
    (lb.bidirectional_lstm, (3, 1)),
    (lb.cnn_lstm, (2, 2, 1)),
    (lb.conv_lstm, (2, 1, 2, 1)),
    (lb.vector_output_lstm, (3, 3)),
    (lb.encoder_decoder_lstm, (3, 2)),
]
OUTPUTS = [(1, (None, 1)), ((), (None, 1)), (2, (None, 2)),
           ((2,), (None, 2)), ((2, 3), (None, 2, 3))]


@pytest.mark.parametrize("build, input_shape", BUILDERS,
                         ids=[b.__name__ for b, _ in BUILDERS])
@pytest.mark.parametrize("output_shape, expected", OUTPUTS,
                         ids=["one", "scalar", "two", "tuple", "grid"])
def test_every_builder_serves_every_framing(build, input_shape, output_shape,
                                            expected):
    model = build(input_shape, output_shape)
    assert model.input_shape == (None, *input_shape)
    assert model.output_shape == expected
    assert model.optimizer is not None  # compiled, ready for fit
    X = np.zeros((4, *input_shape), dtype="float32")
    assert model(X).shape == (4, *expected[1:])


def lstm_params(units, n_inputs):
    """4 gates x (input weights + recurrent weights + bias)."""
    return 4 * (units * n_inputs + units * units + units)


def test_parameter_counts_follow_the_gate_formula():
    model = lb.vanilla_lstm((3, 1), 1, units=50)
    lstm, dense = model.layers
    assert lstm.count_params() == lstm_params(50, 1) == 10400
    assert dense.count_params() == 51


def test_stacked_depth_shapes_and_dropout():
    model = lb.stacked_lstm((60, 1), 1, units=(50, 50, 50, 50), dropout=0.2)
    lstms = [layer for layer in model.layers
             if isinstance(layer, keras.layers.LSTM)]
    assert [layer.output.shape for layer in lstms] == [
        (None, 60, 50), (None, 60, 50), (None, 60, 50), (None, 50)]
    assert sum(isinstance(layer, keras.layers.Dropout)
               for layer in model.layers) == 4
    assert lstms[0].count_params() == lstm_params(50, 1)
    assert lstms[1].count_params() == lstm_params(50, 50) == 20200
    assert model.count_params() == 10400 + 3 * 20200 + 51


def test_recurrent_dropout_goes_inside_the_layer():
    model = lb.stacked_lstm((5, 1), units=(8, 8), recurrent_dropout=0.25)
    assert all(layer.recurrent_dropout == 0.25 for layer in model.layers
               if isinstance(layer, keras.layers.LSTM))


def test_activation_is_passed_to_every_lstm():
    for build, shape in BUILDERS:
        model = build(shape, 2, activation="relu")
        recurrent = [layer for layer in model._flatten_layers()
                     if isinstance(layer, (keras.layers.LSTM,
                                           keras.layers.ConvLSTM2D))]
        assert recurrent and all(
            layer.activation.__name__ == "relu" for layer in recurrent)


def test_bidirectional_doubles_the_features():
    model = lb.bidirectional_lstm((3, 1), units=50)
    assert model.layers[0].output.shape == (None, 100)
    assert model.layers[0].count_params() == 2 * lstm_params(50, 1)


def test_encoder_decoder_structure():
    model = lb.encoder_decoder_lstm((3, 1), (2, 1), units=(100, 60))
    names = [type(layer).__name__ for layer in model.layers]
    assert names == ["LSTM", "RepeatVector", "LSTM", "TimeDistributed"]
    assert model.layers[1].output.shape == (None, 2, 100)
    assert model.layers[2].output.shape == (None, 2, 60)
    assert model.output_shape == (None, 2, 1)


@pytest.mark.parametrize("build, bad_shape, words", [
    (lb.vanilla_lstm, (3,), r"has 1 axes but this model needs 2.*reshape"),
    (lb.vanilla_lstm, (6, 3, 1), "samples axis"),
    (lb.cnn_lstm, (4, 1), "to_subsequences"),
    (lb.conv_lstm, (2, 2, 1), "to_convlstm_input"),
])
def test_wrong_input_rank_says_how_to_reshape(build, bad_shape, words):
    with pytest.raises(ValueError, match=words):
        build(bad_shape, 1)


@pytest.mark.parametrize("bad", [0, -1, (3, 0), [], (2.5,), (True,)])
def test_bad_output_shapes(bad):
    with pytest.raises(ValueError, match="positive ints"):
        lb.vanilla_lstm((3, 1), bad)


def test_bad_arguments():
    with pytest.raises(TypeError, match="int or a tuple"):
        lb.vanilla_lstm((3, 1), "2")
    with pytest.raises(ValueError, match="positive ints"):
        lb.stacked_lstm((3, 1), units=(50, 0))
    with pytest.raises(ValueError, match="pool_size=2"):
        lb.cnn_lstm((3, 1, 1), kernel_size=1, pool_size=2)
    with pytest.raises(ValueError, match=r"kernel_size.*\(1, k\)"):
        lb.conv_lstm((2, 1, 2, 1), kernel_size=(1, 3))
    with pytest.raises(ValueError, match="too many axes"):
        lb.encoder_decoder_lstm((3, 1), (2, 2, 2))
    with pytest.raises(ValueError, match=r"\(encoder, decoder\)"):
        lb.encoder_decoder_lstm((3, 1), 2, units=(10, 10, 10))
