"""lstmbook.plotting: the figures draw what they claim."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import lstmbook as lb  # noqa: E402
from lstmbook.plotting import INPUT_COLOR, TARGET_COLOR  # noqa: E402

from conftest import SEQ  # noqa: E402


def cell_colors(ax):
    return [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches
            if isinstance(p, Rectangle)]


def test_plot_windows_colours_inputs_and_targets():
    ax = lb.plot_windows(SEQ, n_steps_in=3, samples=2)
    colors = cell_colors(ax)
    n_time = len(colors) // 2
    first, second = colors[:n_time], colors[n_time:]
    assert first[:3] == [INPUT_COLOR.lower()] * 3
    assert first[3] == TARGET_COLOR.lower()
    assert second[1:4] == [INPUT_COLOR.lower()] * 3
    assert second[4] == TARGET_COLOR.lower()
    texts = [t.get_text() for t in ax.texts]
    assert texts[:4] == ["10", "20", "30", "40"]
    assert ax.get_title(loc="left") and ax.get_xlabel() == "time step"
    plt.close("all")


def test_plot_windows_multivariate_rows(table):
    ax = lb.plot_windows(table, 3, lag=0, input_columns=[0, 1],
                         target_columns=[2], samples=1,
                         column_names=["in1", "in2", "out"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["sample 0  in1", "sample 0  in2", "sample 0  out"]
    plt.close("all")


def test_plot_windows_refuses_too_short_series():
    with pytest.raises(ValueError, match="too few"):
        lb.plot_windows([1, 2, 3], n_steps_in=3)


def test_plot_loss_draws_both_curves():
    logs = {"loss": [4.0, 2.0, 1.0], "val_loss": [5.0, 3.0, 2.0]}
    ax = lb.plot_loss(logs)
    lines = ax.get_lines()
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[0].get_ydata(), logs["loss"])
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    with pytest.raises(TypeError, match="'loss'"):
        lb.plot_loss({"acc": [1]})
    plt.close("all")


def test_plot_forecast_places_forecast_after_history():
    ax = lb.plot_forecast(SEQ, [101.0], actual=[100.0])
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["training data"].get_xdata(),
                                  np.arange(9))
    np.testing.assert_array_equal(lines["truth"].get_xdata(), [9])
    np.testing.assert_array_equal(lines["forecast"].get_ydata(), [90, 101])
    plt.close("all")


def test_plot_forecast_multiple_series(table):
    ax = lb.plot_forecast(table, [[100, 105, 205], [110, 115, 225]],
                          labels=["a", "b", "sum"])
    labels = [line.get_label() for line in ax.get_lines()]
    assert "forecast (sum)" in labels and "training data (a)" in labels
    forecast = [line for line in ax.get_lines()
                if line.get_label() == "forecast (b)"][0]
    np.testing.assert_array_equal(forecast.get_xdata(), [8, 9, 10])
    with pytest.raises(ValueError, match="one value per series"):
        lb.plot_forecast(table, [1.0, 2.0])
    with pytest.raises(ValueError, match="actual has 1 values"):
        lb.plot_forecast(SEQ, [1.0, 2.0], actual=[1.0])
    plt.close("all")


def test_plot_forecast_zoom_and_labels():
    ax = lb.plot_forecast(SEQ, [100.0, 110.0], last=3, history_label="past",
                          boundary_label="now")
    past = [line for line in ax.get_lines() if line.get_label() == "past"][0]
    np.testing.assert_array_equal(past.get_xdata(), [6, 7, 8])
    assert [t.get_text() for t in ax.texts] == ["now "]
    plt.close("all")
