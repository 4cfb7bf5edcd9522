"""Properties of the building blocks, checked on random inputs (hypothesis).

Each test states a law the book relies on and lets hypothesis look for a
counter-example: the Scaler and every target transform invert exactly (up
to rounding), the rolling origins follow the protocol of "Evaluating
forecasts honestly" or are refused, and the streamed windows of
:func:`~lstmbook.windows.window_dataset` are those of
:func:`~lstmbook.windows.make_windows`.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lstmbook as lb
from keras_float import keras_float
from lstmbook.transforms import (Chain, Log, SeasonalDifference,
                                 target_transforms)

METHODS = ("standard", "minmax")
# Finite values as data has them: 0, or magnitudes from 1e-6 to 1e6. (A
# column spread over 1e-308 would overflow when any later value of order 1
# is divided by it; no real series is like that.)
FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).filter(
    lambda v: v == 0.0 or abs(v) >= 1e-6)


def close_to(actual, expected, *others, rtol=1e-9):
    """Equal up to ``rtol`` of the largest magnitude involved (at least 1):
    of ``expected`` and of any ``others`` the computation went through."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    scale = max([1.0] + [float(np.max(np.abs(a), initial=0.0))
                         for a in (expected, *others)])
    np.testing.assert_allclose(actual, expected, rtol=0, atol=rtol * scale)


# --- Scaler ------------------------------------------------------------------

@st.composite
def tables(draw, elements=FINITE, max_rows=30):
    """A 1-D series or a 2-D table of finite floats, maybe with constant
    columns."""
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(0, 4))  # 0: a 1-D series
    shape = (rows, columns) if columns else (rows,)
    data = draw(hnp.arrays("float64", shape, elements=elements))
    if columns:
        for j in range(columns):
            if draw(st.booleans()):
                data[:, j] = draw(elements)  # a constant column
    return data


def columns_of(data):
    return data.reshape(len(data), -1).T


@settings(max_examples=60, deadline=None)
@given(data=tables(), other=st.data(), method=st.sampled_from(METHODS))
def test_scaler_inverse_undoes_transform(data, other, method):
    """Training data and any later data of the same width come back."""
    scaler = lb.Scaler(method).fit(data)
    close_to(scaler.inverse_transform(scaler.transform(data)), data)
    later = other.draw(hnp.arrays("float64", (7, *data.shape[1:]),
                                  elements=FINITE))
    back = scaler.inverse_transform(scaler.transform(later))
    close_to(back, later, scaler.center_)


@st.composite
def varied_tables(draw):
    """Tables whose every column takes at least two values, on a grid fine
    enough for any real data but coarse enough that the column's spread is
    not lost to rounding (at most 1e6 grid steps from 0)."""
    rows = draw(st.integers(2, 30))
    columns = draw(st.integers(0, 4))
    shape = (rows, columns) if columns else (rows,)
    ints = draw(hnp.arrays("int64", shape,
                           elements=st.integers(-10**6, 10**6)))
    step = draw(st.sampled_from([1e-3, 0.1, 1.0, 7.0, 1e3]))
    data = ints * step
    for column in columns_of(data):
        if np.ptp(column) == 0:
            column[0] += step  # a view: make every column vary
    return data


@settings(max_examples=60, deadline=None)
@given(data=varied_tables())
def test_standard_scaler_gives_mean_0_and_std_1_on_its_training_data(data):
    z = lb.Scaler("standard").fit(data).transform(data)
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-7)
    np.testing.assert_allclose(z.std(axis=0), 1.0, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(data=varied_tables())
def test_minmax_scaler_maps_its_training_range_to_0_and_1(data):
    z = lb.Scaler("minmax").fit(data).transform(data)
    # exactly: min - min = 0 and (max - min) / (max - min) = 1
    assert (z.min(axis=0) == 0.0).all() and (z.max(axis=0) == 1.0).all()


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 30), value=FINITE)
def test_minmax_constant_column_gets_scale_1(rows, value):
    """The documented rule for a column constant in the training data: a
    scale of 1, so it is only shifted (standard: below)."""
    data = np.full(rows, value)
    scaler = lb.Scaler("minmax").fit(data)
    assert scaler.scale_ == 1.0
    assert (scaler.transform(data) == 0.0).all()


@pytest.mark.parametrize("value, rows", [(0.1, 3), (0.1, 7), (123.456, 13),
                                         (419430.5856407371, 5)])
def test_standard_constant_column_gets_scale_1(value, rows):
    """Counter-examples hypothesis found for the rule above (the float std of
    a constant column can be a 1e-17 rounding residue), kept as plain
    examples."""
    data = np.full(rows, value)
    scaler = lb.Scaler("standard").fit(data)
    assert scaler.scale_ == 1.0
    np.testing.assert_allclose(scaler.transform(data), 0.0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(data=tables(), method=st.sampled_from(METHODS), other=st.data())
def test_scaler_saved_as_a_dict_transforms_identically(data, method, other):
    scaler = lb.Scaler(method).fit(data)
    again = lb.Scaler.from_dict(scaler.to_dict())
    later = other.draw(hnp.arrays("float64", (5, *data.shape[1:]),
                                  elements=FINITE))
    for x in (data, later):
        np.testing.assert_array_equal(again.transform(x),
                                      scaler.transform(x))
        np.testing.assert_array_equal(again.inverse_transform(x),
                                      scaler.inverse_transform(x))
    assert np.shape(again.center_) == np.shape(scaler.center_)


# --- target transforms -------------------------------------------------------

POSITIVE = st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def history_and_future(draw):
    """A positive history ``y`` of at least one season, its continuation
    ``f`` (up to four seasons long) and the season ``m``."""
    m = draw(st.integers(1, 13))
    y = draw(hnp.arrays("float64", draw(st.integers(m, m + 30)),
                        elements=POSITIVE))
    f = draw(hnp.arrays("float64", draw(st.integers(1, 4 * m + 3)),
                        elements=POSITIVE))
    return y, f, m


def transforms(m):
    return {
        "log": Log(),
        "seasonal difference": SeasonalDifference(m),
        "log then seasonal difference": Chain([Log(),
                                               SeasonalDifference(m)]),
        "nothing": Chain([]),
        "target_transforms(log, m)": target_transforms(True, m),
        "target_transforms(no log, m)": target_transforms(False, m),
        "target_transforms(log, None)": target_transforms(True, None),
    }


@settings(max_examples=60, deadline=None)
@given(case=history_and_future(), name=st.sampled_from(sorted(transforms(1))))
def test_every_transform_inverts_its_forward(case, name):
    """inverse(forward(concat(y, f))[-len(f):], y) == f, for horizons
    shorter and longer than a season."""
    y, f, m = case
    transform = transforms(m)[name]
    z = transform.forward(np.concatenate([y, f]))
    back = transform.inverse(z[-len(f):], y)
    assert back.shape == f.shape
    if name.startswith(("log", "target_transforms(log")):
        # modelled in logs: rounding there is relative in the data's units
        np.testing.assert_allclose(back, f, rtol=1e-9)
    else:  # sums and differences: rounding relative to the largest value
        close_to(back, f, y)


@settings(max_examples=60, deadline=None)
@given(case=history_and_future())
def test_forward_lengths_and_values(case):
    y, _, m = case
    series = np.concatenate([y, y[:1]])  # longer than a season
    assert len(Log().forward(series)) == len(series)
    z = SeasonalDifference(m).forward(series)
    assert len(z) == len(series) - m
    np.testing.assert_array_equal(z, series[m:] - series[:-m])
    both = Chain([Log(), SeasonalDifference(m)]).forward(series)
    assert len(both) == len(series) - m
    np.testing.assert_array_equal(
        both, np.log(series)[m:] - np.log(series)[:-m])
    with pytest.raises(ValueError, match="more than one season"):
        SeasonalDifference(m).forward(series[:m])
    with pytest.raises(ValueError, match="positive"):
        Log().forward(np.concatenate([series, [0.0]]))


def test_seasonal_difference_inverse_refuses_a_history_shorter_than_a_season():
    with pytest.raises(ValueError, match="at least one season"):
        SeasonalDifference(3).inverse(np.array([10.0]), np.array([1.0, 2.0]))


# --- rolling origins ---------------------------------------------------------

def check_origins(origins, n_obs, horizon, n_origins, step):
    step = max(1, horizon // 2) if step is None else step
    assert isinstance(origins, np.ndarray)
    assert origins.dtype.kind == "i"
    assert len(origins) == n_origins
    np.testing.assert_array_equal(np.diff(origins), step)
    assert origins[-1] == n_obs - horizon  # the last fold ends the data
    assert origins[0] >= 2  # every fold trains on something
    for t in origins:
        assert 0 < t and t + horizon <= n_obs  # its test slice is data


@settings(max_examples=60, deadline=None)
@given(horizon=st.integers(1, 30), n_origins=st.integers(1, 20),
       step=st.none() | st.integers(1, 20), extra=st.integers(0, 50))
def test_valid_rolling_origins_follow_the_protocol(horizon, n_origins, step,
                                                   extra):
    spacing = max(1, horizon // 2) if step is None else step
    fewest = 2 + (n_origins - 1) * spacing + horizon  # first origin at 2
    n_obs = fewest + extra
    origins = lb.rolling_origins(n_obs, horizon, n_origins, step)
    check_origins(origins, n_obs, horizon, n_origins, step)
    if extra == 0:
        assert origins[0] == 2
        with pytest.raises(ValueError, match="need more than"):
            lb.rolling_origins(n_obs - 1, horizon, n_origins, step)


@settings(max_examples=60, deadline=None)
@given(n_obs=st.integers(1, 200), horizon=st.integers(1, 60),
       n_origins=st.integers(1, 30), step=st.none() | st.integers(1, 30))
def test_rolling_origins_are_complete_or_refused(n_obs, horizon, n_origins,
                                                  step):
    """Never a silently shorter list: all n_origins folds, or ValueError."""
    spacing = max(1, horizon // 2) if step is None else step
    if n_obs - horizon - (n_origins - 1) * spacing < 2:
        with pytest.raises(ValueError):
            lb.rolling_origins(n_obs, horizon, n_origins, step)
    else:
        check_origins(lb.rolling_origins(n_obs, horizon, n_origins, step),
                      n_obs, horizon, n_origins, step)


@settings(max_examples=30, deadline=None)
@given(bad=st.integers(-5, 0), which=st.integers(0, 3))
def test_rolling_origins_refuse_counts_below_1(bad, which):
    args = [100, 12, 3, 2]
    args[which] = bad
    with pytest.raises(ValueError, match="at least 1"):
        lb.rolling_origins(*args)


# --- streamed windows --------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(length=st.integers(1, 40), n_features=st.integers(0, 3),
       n_targets=st.integers(0, 2), n_in=st.integers(1, 8),
       n_out=st.integers(1, 5), lag=st.integers(0, 3),
       batch_size=st.integers(1, 12), seed=st.integers(0, 2**16),
       dtype=st.sampled_from(["float32", "float64"]))
def test_window_dataset_streams_make_windows(length, n_features, n_targets,
                                             n_in, n_out, lag, batch_size,
                                             seed, dtype):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(length, n_features) if n_features else length)
    targets = rng.normal(size=(length, n_targets) if n_targets else length)
    if length < n_in - 1 + lag + n_out:
        with pytest.raises(ValueError, match="one sample needs"):
            lb.window_dataset(inputs, targets, n_in, n_out, lag,
                              batch_size=batch_size)
        return
    X, y = lb.make_windows(inputs, targets, n_in, n_out, lag)
    with keras_float(dtype):
        batches = [(bx.numpy(), by.numpy()) for bx, by in lb.window_dataset(
            inputs, targets, n_in, n_out, lag, batch_size=batch_size,
            shuffle_buffer=None)]
    sizes = [len(bx) for bx, _ in batches]
    assert sizes == [batch_size] * (len(X) // batch_size) + (
        [len(X) % batch_size] if len(X) % batch_size else [])
    assert all(len(bx) == len(by) for bx, by in batches)
    X_stream = np.concatenate([bx for bx, _ in batches])
    y_stream = np.concatenate([by for _, by in batches])
    X_expected = X if n_features else X[..., np.newaxis]  # features axis
    assert X_stream.dtype == y_stream.dtype == np.dtype(dtype)
    assert X_stream.shape == X_expected.shape
    assert y_stream.shape == y.shape
    np.testing.assert_array_equal(X_stream, X_expected.astype(dtype))
    np.testing.assert_array_equal(y_stream, y.astype(dtype))
