"""The eleven model listings of the original tutorials, as data + builders.

Shared by the benchmarks: each listing has the tutorial's data, architecture
(with ``relu``, as the tutorials wrote it) and number of epochs, the input
it forecasts from, and the true answer.
"""

import numpy as np

import lstmbook as lb

SERIES = np.arange(10, 100, 10)
TABLE = np.column_stack([SERIES, SERIES + 5, 2 * SERIES + 5])


def _univariate(n_steps_in, n_steps_out=1):
    X, y = lb.split_sequence(SERIES, n_steps_in, n_steps_out)
    return X.reshape((*X.shape, 1)).astype("float32"), y.astype("float32")


def listings():
    """Yield ``(name, build, X, y, epochs, x_input, truth)`` for each one."""
    X, y = _univariate(3)
    x_in = np.array([70, 80, 90], dtype="float32").reshape((1, 3, 1))
    yield ("vanilla", lambda: lb.vanilla_lstm((3, 1), 1, units=50,
                                              activation="relu"),
           X, y, 200, x_in, [100])
    yield ("stacked", lambda: lb.stacked_lstm((3, 1), 1, units=(50, 50),
                                              activation="relu"),
           X, y, 200, x_in, [100])
    yield ("bidirectional",
           lambda: lb.bidirectional_lstm((3, 1), 1, units=50,
                                         activation="relu"),
           X, y, 200, x_in, [100])

    X4, y4 = _univariate(4)
    x4 = np.array([60, 70, 80, 90], dtype="float32").reshape((1, 4, 1))
    yield ("cnn-lstm", lambda: lb.cnn_lstm((2, 2, 1), 1, activation="relu"),
           lb.to_subsequences(X4, 2), y4, 500, lb.to_subsequences(x4, 2),
           [100])
    yield ("convlstm",
           lambda: lb.conv_lstm((2, 1, 2, 1), 1, activation="relu"),
           lb.to_convlstm_input(X4, 2), y4, 500,
           lb.to_convlstm_input(x4, 2), [100])

    X, y = lb.split_sequences(TABLE.astype("float32"), 3)
    yield ("multiple input",
           lambda: lb.vanilla_lstm((3, 2), 1, units=50, activation="relu"),
           X, y, 200,
           np.array([[[80, 85], [90, 95], [100, 105]]], dtype="float32"),
           [205])
    X, y = lb.split_parallel_sequences(TABLE.astype("float32"), 3)
    yield ("multiple parallel",
           lambda: lb.stacked_lstm((3, 3), 3, units=(100, 100),
                                   activation="relu"),
           X, y, 400,
           np.array([[[70, 75, 145], [80, 85, 165], [90, 95, 185]]],
                    dtype="float32"), [100, 105, 205])

    X, y = _univariate(3, 2)
    yield ("vector output",
           lambda: lb.vector_output_lstm((3, 1), 2, activation="relu"),
           X, y, 50, x_in, [100, 110])
    yield ("encoder-decoder",
           lambda: lb.encoder_decoder_lstm((3, 1), (2, 1),
                                           activation="relu"),
           X, y.reshape((*y.shape, 1)), 100, x_in, [100, 110])

    X, y = lb.split_sequences(TABLE.astype("float32"), 3, 2)
    yield ("multi input multi-step",
           lambda: lb.vector_output_lstm((3, 2), 2, activation="relu"),
           X, y, 200,
           np.array([[[70, 75], [80, 85], [90, 95]]], dtype="float32"),
           [185, 205])
    X, y = lb.split_parallel_sequences(TABLE.astype("float32"), 3, 2)
    yield ("parallel multi-step",
           lambda: lb.encoder_decoder_lstm((3, 3), (2, 3), units=200,
                                           activation="relu"),
           X, y, 300,
           np.array([[[60, 65, 125], [70, 75, 145], [80, 85, 165]]],
                    dtype="float32"),
           [[90, 95, 185], [100, 105, 205]])
