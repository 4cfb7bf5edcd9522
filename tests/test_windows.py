"""lstmbook.windows: the spec's listings, the loop reference, bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstmbook as lb

from conftest import SEQ


def loop_windows(inputs, targets, n_in, n_out, lag):
    """The plain-loop reference (how the original tutorials cut windows)."""
    X, y = [], []
    i = 0
    while True:
        start = i + n_in - 1 + lag
        if start + n_out > len(targets):
            break
        X.append(inputs[i:i + n_in])
        y.append(targets[start] if n_out == 1 else targets[start:start + n_out])
        i += 1
    return np.array(X), np.array(y)


# --- The six data-preparation listings of the spec, sample for sample ---

def test_univariate_listing():
    X, y = lb.split_sequence(SEQ, 3)
    assert X.shape == (6, 3) and y.shape == (6,)
    assert X.tolist() == [[10, 20, 30], [20, 30, 40], [30, 40, 50],
                          [40, 50, 60], [50, 60, 70], [60, 70, 80]]
    assert y.tolist() == [40, 50, 60, 70, 80, 90]
    # integers stay integers, so printed samples read "[10 20 30] 40"
    assert f"{X[0]} {y[0]}" == "[10 20 30] 40"


def test_multiple_input_listing(table):
    X, y = lb.split_sequences(table, 3)
    assert X.shape == (7, 3, 2) and y.shape == (7,)
    assert X[0].tolist() == [[10, 15], [20, 25], [30, 35]]
    assert y.tolist() == [65, 85, 105, 125, 145, 165, 185]
    assert X[-1].tolist() == [[70, 75], [80, 85], [90, 95]]


def test_multiple_parallel_listing(table):
    X, y = lb.split_parallel_sequences(table, 3)
    assert X.shape == (6, 3, 3) and y.shape == (6, 3)
    assert X[0].tolist() == [[10, 15, 25], [20, 25, 45], [30, 35, 65]]
    assert y[0].tolist() == [40, 45, 85]
    assert y[-1].tolist() == [90, 95, 185]


def test_univariate_multi_step_listing():
    X, y = lb.split_sequence(SEQ, 3, 2)
    assert X.shape == (5, 3) and y.shape == (5, 2)
    assert X.tolist() == [[10, 20, 30], [20, 30, 40], [30, 40, 50],
                          [40, 50, 60], [50, 60, 70]]
    assert y.tolist() == [[40, 50], [50, 60], [60, 70], [70, 80], [80, 90]]


def test_multiple_input_multi_step_listing(table):
    X, y = lb.split_sequences(table, 3, 2)
    assert X.shape == (6, 3, 2) and y.shape == (6, 2)
    assert X[0].tolist() == [[10, 15], [20, 25], [30, 35]]
    assert y.tolist() == [[65, 85], [85, 105], [105, 125], [125, 145],
                          [145, 165], [165, 185]]


def test_multiple_parallel_multi_step_listing(table):
    X, y = lb.split_parallel_sequences(table, 3, 2)
    assert X.shape == (5, 3, 3) and y.shape == (5, 2, 3)
    assert y[0].tolist() == [[40, 45, 85], [50, 55, 105]]
    assert X[-1].tolist() == [[50, 55, 105], [60, 65, 125], [70, 75, 145]]
    assert y[-1].tolist() == [[80, 85, 165], [90, 95, 185]]


def test_other_multiple_input_framing(table):
    """Target one step after the window: the first target is 85, not 65."""
    X, y = lb.make_windows(table[:, :2], table[:, 2], 3, lag=1)
    assert X.shape == (6, 3, 2) and y[0] == 85


# --- Vectorised windows equal the loop, for random shapes ---

@settings(max_examples=150, deadline=None)
@given(
    length=st.integers(1, 40), n_features=st.integers(0, 3),
    n_targets=st.integers(0, 3), n_in=st.integers(1, 8),
    n_out=st.integers(1, 5), lag=st.integers(0, 3),
    copy=st.booleans(), seed=st.integers(0, 2**16),
)
def test_windows_equal_loop_reference(length, n_features, n_targets, n_in,
                                      n_out, lag, copy, seed):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(length, n_features) if n_features else length)
    targets = rng.normal(size=(length, n_targets) if n_targets else length)
    if length < n_in - 1 + lag + n_out:
        with pytest.raises(ValueError, match="one sample needs"):
            lb.make_windows(inputs, targets, n_in, n_out, lag)
        return
    X, y = lb.make_windows(inputs, targets, n_in, n_out, lag, copy=copy)
    X_ref, y_ref = loop_windows(inputs, targets, n_in, n_out, lag)
    assert X.shape == X_ref.shape and y.shape == y_ref.shape
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    assert np.shares_memory(X, inputs) is (not copy)


def test_windows_are_read_only_views_unless_copied():
    series = np.arange(100.0)
    X, y = lb.split_sequence(series, 10)
    assert np.shares_memory(X, series) and not X.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        X[0, 0] = 1.0
    X2, _ = lb.split_sequence(series, 10, copy=True)
    X2[0, 0] = -1.0
    assert series[0] == 0.0


def test_accepts_lists_arrays_series_and_frames(table):
    expected = lb.split_sequence(np.array(SEQ), 3)
    for data in (SEQ, tuple(SEQ), pd.Series(SEQ),
                 pd.Series(SEQ, index=pd.date_range("2020", periods=9,
                                                    freq="D")),
                 pd.DataFrame({"value": SEQ}), np.array(SEQ)[:, None]):
        X, y = lb.split_sequence(data, 3)
        np.testing.assert_array_equal(X, expected[0])
        np.testing.assert_array_equal(y, expected[1])
    frame = pd.DataFrame(table, columns=["in1", "in2", "out"])
    for a, b in zip(lb.split_sequences(frame, 3), lb.split_sequences(table, 3)):
        np.testing.assert_array_equal(a, b)
    nested = table.tolist()
    for a, b in zip(lb.split_parallel_sequences(nested, 3, 2),
                    lb.split_parallel_sequences(table, 3, 2)):
        np.testing.assert_array_equal(a, b)


def test_subsequence_reshapes():
    X, _ = lb.split_sequence(SEQ, 4)
    sub = lb.to_subsequences(X, 2)
    assert sub.shape == (5, 2, 2, 1)
    assert sub[0, :, :, 0].tolist() == [[10, 20], [30, 40]]
    conv = lb.to_convlstm_input(X, 2)
    assert conv.shape == (5, 2, 1, 2, 1)
    assert conv[0, 1, 0, :, 0].tolist() == [30, 40]
    Xm, _ = lb.split_parallel_sequences(np.column_stack([SEQ, SEQ]), 4)
    assert lb.to_subsequences(Xm, 4).shape == (5, 4, 1, 2)


# --- Bad input: a clear error that says what to do ---

@pytest.mark.parametrize("n_steps, error, words", [
    (0, ValueError, "at least 1"),
    (-2, ValueError, "at least 1"),
    (2.5, TypeError, "whole number"),
    (3.0, TypeError, "whole number"),
    ("3", TypeError, "whole number"),
    (True, TypeError, "whole number"),
    (None, TypeError, "whole number"),
])
def test_bad_step_counts(n_steps, error, words):
    with pytest.raises(error, match=words):
        lb.split_sequence(SEQ, n_steps)
    with pytest.raises(error, match="n_steps_out"):
        lb.split_sequence(SEQ, 3, n_steps)


def test_series_shorter_than_one_window():
    with pytest.raises(ValueError, match=r"has 9 time steps.*needs 10.*9 in "
                                         r"\+ 1 out.*longer series"):
        lb.split_sequence(SEQ, 9)
    with pytest.raises(ValueError, match="has 0 time steps"):
        lb.split_sequence([], 1)
    with pytest.raises(ValueError, match="needs 5"):
        lb.split_parallel_sequences(np.ones((4, 2)), 3, 2)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_are_refused_with_their_position(bad):
    series = np.arange(10.0)
    series[4] = bad
    with pytest.raises(ValueError, match=r"at time step\(s\) 4\b.*interpolate"):
        lb.split_sequence(series, 3)
    table = np.ones((10, 2))
    table[7, 1] = bad
    with pytest.raises(ValueError, match=r"time step\(s\) 7"):
        lb.split_sequences(table, 3)


def test_missing_values_in_pandas_are_refused():
    series = pd.Series([1.0, None, 3.0, 4.0, 5.0])
    with pytest.raises(ValueError, match="NaN"):
        lb.split_sequence(series, 2)


def test_non_numeric_input():
    frame = pd.DataFrame({"date": ["2020-01", "2020-02", "2020-03", "x"],
                          "sales": [1, 2, 3, 4], "out": [1, 2, 3, 4]})
    with pytest.raises(TypeError, match=r"non-numeric column\(s\) \['date'\]"):
        lb.split_sequences(frame, 2)
    with pytest.raises(TypeError, match="only numbers"):
        lb.split_sequence(["a", "b", "c", "d"], 2)
    with pytest.raises(TypeError, match="sequence of numbers"):
        lb.split_sequence("10 20 30 40", 2)
    with pytest.raises(TypeError, match="None"):
        lb.split_sequence(None, 2)
    with pytest.raises(TypeError, match="complex"):
        lb.split_sequence(np.ones(5) * 1j, 2)


def test_wrong_number_of_dimensions(table):
    with pytest.raises(ValueError, match="1-D.*split_sequences"):
        lb.split_sequence(table, 3)
    with pytest.raises(ValueError, match="must be 2-D.*column_stack"):
        lb.split_sequences(SEQ, 3)
    with pytest.raises(ValueError, match="must be 2-D"):
        lb.split_parallel_sequences(SEQ, 3)
    with pytest.raises(ValueError, match="at least 2 columns"):
        lb.split_sequences(np.ones((9, 1)), 3)
    with pytest.raises(ValueError, match="must be 2-D"):
        lb.split_parallel_sequences(np.ones((9, 2, 2)), 3)
    with pytest.raises(ValueError, match="rectangular"):
        lb.split_sequences([[1, 2], [3]], 1)


def test_make_windows_checks_alignment_and_lag():
    with pytest.raises(ValueError, match="aligned"):
        lb.make_windows(np.ones(10), np.ones(9), 3)
    with pytest.raises(ValueError, match="lag must be"):
        lb.make_windows(np.ones(10), np.ones(10), 3, lag=-1)
    with pytest.raises(ValueError, match="lag must be"):
        lb.make_windows(np.ones(10), np.ones(10), 3, lag=0.5)


def test_bad_subsequence_split():
    X, _ = lb.split_sequence(SEQ, 3)
    with pytest.raises(ValueError, match="cannot be cut into 2 equal"):
        lb.to_subsequences(X, 2)
    with pytest.raises(ValueError, match=r"\(samples, n_steps_in"):
        lb.to_subsequences(np.ones((2, 2, 2, 2)), 2)
