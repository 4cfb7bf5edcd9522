"""lstmbook: the helper package of *The LSTM Forecasting Book*.

One module per idea, in the order data flows through a forecast:

* :mod:`lstmbook.evaluation` -- scaling with training statistics only
* :mod:`lstmbook.windows`  -- series to supervised ``(X, y)`` windows
* :mod:`lstmbook.models`   -- one builder per LSTM architecture
* :mod:`lstmbook.training` -- fast ``fit`` and ``set_seed``
* :mod:`lstmbook.plotting` -- the book's figures

Every public name is re-exported here, so a chapter needs one import::

    import lstmbook as lb
    X, y = lb.split_sequence([10, 20, 30, 40, 50], n_steps_in=3)

Each function's docstring names the chapter that teaches it.
"""

import os

# TensorFlow's C++ start-up log (CPU feature notes, CUDA probing) is noise in a
# notebook; keep only errors unless you chose a level yourself.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

try:
    import tensorflow  # noqa: F401  (lstmbook needs Keras's TF backend)
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "lstmbook needs TensorFlow, which is not installed. Install it with "
        "`pip install tensorflow` (or `pip install 'lstmbook[tf]'`); on "
        "Linux without a GPU `pip install tensorflow-cpu` is smaller."
    ) from err

from .evaluation import Scaler  # noqa: E402
from .models import (  # noqa: E402
    bidirectional_lstm,
    cnn_lstm,
    conv_lstm,
    encoder_decoder_lstm,
    stacked_lstm,
    vanilla_lstm,
    vector_output_lstm,
)
from .plotting import plot_forecast, plot_loss, plot_windows
from .training import fit, predict, set_seed
from .windows import (
    make_windows,
    split_parallel_sequences,
    split_sequence,
    split_sequences,
    to_convlstm_input,
    to_subsequences,
    window_dataset,
)

__version__ = "0.1.0"

__all__ = [
    "make_windows",
    "split_sequence",
    "split_sequences",
    "split_parallel_sequences",
    "to_subsequences",
    "to_convlstm_input",
    "window_dataset",
    "Scaler",
    "vanilla_lstm",
    "stacked_lstm",
    "bidirectional_lstm",
    "cnn_lstm",
    "conv_lstm",
    "vector_output_lstm",
    "encoder_decoder_lstm",
    "fit",
    "predict",
    "set_seed",
    "plot_loss",
    "plot_forecast",
    "plot_windows",
]
