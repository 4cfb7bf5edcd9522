"""lstmbook.evaluation: the Scaler uses training statistics only."""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb


def test_standard_scaler_values_and_inverse():
    train = np.array([10.0, 20.0, 30.0])
    scaler = lb.Scaler().fit(train)
    assert scaler.center_ == pytest.approx(20.0)
    assert scaler.scale_ == pytest.approx(np.std(train))
    z = scaler.transform([20.0, 40.0])
    np.testing.assert_allclose(z, [0.0, 20.0 / np.std(train)])
    np.testing.assert_allclose(scaler.inverse_transform(z), [20.0, 40.0])


def test_minmax_scaler_maps_training_range_to_unit_interval():
    scaler = lb.Scaler("minmax").fit([5.0, 7.0, 15.0])
    np.testing.assert_allclose(scaler.transform([5.0, 15.0, 25.0]),
                               [0.0, 1.0, 2.0])


def test_statistics_come_from_training_data_only():
    """If later data leaked into the statistics, these numbers would move."""
    series = np.concatenate([np.full(80, 1.0), np.full(20, 100.0)])
    series[:80] += np.linspace(-1, 1, 80)
    train, test = series[:80], series[80:]
    scaler = lb.Scaler().fit(train)
    assert scaler.center_ == pytest.approx(train.mean())
    assert scaler.center_ == pytest.approx(1.0)
    leaky = lb.Scaler().fit(series)
    assert leaky.center_ > 10  # what a leak looks like
    # fitting again on the same training part gives the same result,
    # whatever test data was transformed in between
    scaler.transform(test)
    assert lb.Scaler().fit(train).center_ == scaler.center_


def test_per_column_statistics_apply_to_windows(table):
    scaler = lb.Scaler().fit(table)
    X, y = lb.split_parallel_sequences(table, 3)
    Xs, ys = scaler.transform(X), scaler.transform(y)
    np.testing.assert_allclose(Xs.mean(axis=(0, 1)),
                               (X.mean(axis=(0, 1)) - table.mean(axis=0))
                               / table.std(axis=0))
    np.testing.assert_allclose(scaler.inverse_transform(ys), y)
    # targets of split_sequences are the last column
    X_in, y_out = lb.split_sequences(table, 3)
    ys = scaler.transform(y_out, columns=-1)
    np.testing.assert_allclose(ys, (y_out - table[:, -1].mean())
                               / table[:, -1].std())
    np.testing.assert_allclose(
        scaler.inverse_transform(ys, columns=-1), y_out)
    Xs = scaler.transform(X_in, columns=[0, 1])
    np.testing.assert_allclose(
        scaler.inverse_transform(Xs, columns=[0, 1]), X_in)


def test_constant_column_is_only_shifted():
    scaler = lb.Scaler().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [5.0, 5.0]}))
    np.testing.assert_allclose(scaler.transform([[1.0, 6.0]]), [[-1.0, 1.0]])


def test_scaler_errors():
    with pytest.raises(ValueError, match="method must be one of"):
        lb.Scaler("robust")
    with pytest.raises(ValueError, match="not fitted yet"):
        lb.Scaler().transform([1.0])
    with pytest.raises(ValueError, match="NaN"):
        lb.Scaler().fit([1.0, np.nan])
    with pytest.raises(ValueError, match="non-empty"):
        lb.Scaler().fit([])
    scaler = lb.Scaler().fit(np.ones((4, 3)))
    with pytest.raises(ValueError, match="pass columns="):
        scaler.transform(np.ones((2, 2)))
    with pytest.raises(ValueError, match="out of range"):
        scaler.transform([1.0], columns=5)
    with pytest.raises(ValueError, match="2-D table"):
        lb.Scaler().fit([1.0, 2.0]).transform([1.0], columns=0)
    with pytest.raises(TypeError, match="only numbers"):
        lb.Scaler().fit(["a", "b"])
