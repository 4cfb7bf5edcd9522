"""lstmbook: the helper package of *The LSTM Forecasting Book*.

One module per idea, in the order data flows through a forecast:

* :mod:`lstmbook.datasets`    -- real series shipped with the book
* :mod:`lstmbook.dates`       -- future dates, a regular calendar
* :mod:`lstmbook.splits`      -- train/validation/test, rolling origins
* :mod:`lstmbook.scaling`     -- scaling with training statistics only
* :mod:`lstmbook.baselines`   -- naive, seasonal naive, drift, mean
* :mod:`lstmbook.metrics`     -- MAE, RMSE, sMAPE, MASE and their tables
* :mod:`lstmbook.backtest`    -- rolling-origin evaluation, one or many series
* :mod:`lstmbook.significance` -- is a difference more than noise?
* :mod:`lstmbook.windows`     -- series to supervised ``(X, y)`` windows
* :mod:`lstmbook.models`      -- one builder per LSTM architecture
* :mod:`lstmbook.training`    -- fast ``fit`` and ``set_seed``
* :mod:`lstmbook.transforms`  -- log, seasonal difference and adjustment
* :mod:`lstmbook.ensemble`    -- one model per seed, averaged
* :mod:`lstmbook.combine`     -- the median of several forecasters
* :mod:`lstmbook.base`        -- what every forecaster shares
* :mod:`lstmbook.persistence` -- atomic, versioned save and load
* :mod:`lstmbook.forecasting` -- the real-data recipe: ``LSTMForecaster``
* :mod:`lstmbook.panel`       -- many series: one global model or many local
* :mod:`lstmbook.recipe`      -- one series, validated, combined, safeguarded
* :mod:`lstmbook.uncertainty` -- prediction intervals and their coverage
* :mod:`lstmbook.plotting`    -- the book's figures

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

from .datasets import (  # noqa: E402
    list_datasets,
    load_airline,
    load_co2,
    load_dataset,
    load_m3,
    load_m3_categories,
    load_promotions,
    load_results,
    load_road_casualties,
    load_seatbelts,
    load_seattle_weather,
    load_sunspots,
    load_tourism,
    load_us_employment,
    load_wineind,
    season_length,
)
from .dates import future_index, regularize  # noqa: E402
from .splits import chronological_split, rolling_origins  # noqa: E402
from .scaling import Scaler  # noqa: E402
from .baselines import (  # noqa: E402
    drift_forecast,
    mean_forecast,
    naive2_forecast,
    naive_forecast,
    seasonal_naive_forecast,
)
from .metrics import (  # noqa: E402
    competition_scores,
    error_by_step,
    mae,
    mase,
    mase_by_fold,
    mase_by_series,
    rmse,
    smape,
    summarize,
)
from .backtest import backtest, backtest_panel  # noqa: E402
from .significance import compare, diebold_mariano, series_bootstrap  # noqa: E402,E501
from .forecasting import LSTMForecaster  # noqa: E402
from .strategies import attention_weights, seq2seq_lstm  # noqa: E402
from .known import calendar_features, known_inputs_lstm  # noqa: E402
from .panel import GlobalLSTMForecaster, per_series  # noqa: E402
from .combine import MedianEnsemble  # noqa: E402
from .recipe import RecipeWarning, RobustForecaster  # noqa: E402
from .models import (  # noqa: E402
    bidirectional_lstm,
    cnn_lstm,
    conv_lstm,
    encoder_decoder_lstm,
    stacked_lstm,
    vanilla_lstm,
    vector_output_lstm,
)
from .plotting import plot_fan, plot_forecast, plot_loss, plot_windows
from .training import fit, predict, set_seed
from .uncertainty import (  # noqa: E402
    conformal_intervals,
    coverage,
    distribution_forecast,
    interval_scores,
    mc_dropout_forecast,
    pinball_loss,
    pinball_scores,
    residual_quantiles,
    rolling_intervals,
    winkler_score,
)
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
    "list_datasets",
    "load_dataset",
    "load_airline",
    "load_co2",
    "load_sunspots",
    "load_seattle_weather",
    "load_wineind",
    "load_us_employment",
    "load_road_casualties",
    "load_m3",
    "load_m3_categories",
    "load_tourism",
    "load_promotions",
    "load_seatbelts",
    "season_length",
    "load_results",
    "future_index",
    "regularize",
    "chronological_split",
    "Scaler",
    "naive_forecast",
    "seasonal_naive_forecast",
    "drift_forecast",
    "mean_forecast",
    "naive2_forecast",
    "mae",
    "rmse",
    "smape",
    "mase",
    "rolling_origins",
    "backtest",
    "summarize",
    "error_by_step",
    "make_windows",
    "split_sequence",
    "split_sequences",
    "split_parallel_sequences",
    "to_subsequences",
    "to_convlstm_input",
    "window_dataset",
    "vanilla_lstm",
    "stacked_lstm",
    "bidirectional_lstm",
    "cnn_lstm",
    "conv_lstm",
    "vector_output_lstm",
    "encoder_decoder_lstm",
    "seq2seq_lstm",
    "attention_weights",
    "calendar_features",
    "known_inputs_lstm",
    "fit",
    "predict",
    "set_seed",
    "LSTMForecaster",
    "GlobalLSTMForecaster",
    "per_series",
    "MedianEnsemble",
    "RobustForecaster",
    "RecipeWarning",
    "backtest_panel",
    "mase_by_series",
    "mase_by_fold",
    "competition_scores",
    "diebold_mariano",
    "series_bootstrap",
    "compare",
    "plot_loss",
    "plot_forecast",
    "plot_windows",
    "plot_fan",
    "coverage",
    "residual_quantiles",
    "conformal_intervals",
    "rolling_intervals",
    "mc_dropout_forecast",
    "interval_scores",
    "distribution_forecast",
    "winkler_score",
    "pinball_loss",
    "pinball_scores",
]
