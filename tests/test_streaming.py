"""lstmbook.window_dataset: the same windows, streamed with bounded memory."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lstmbook as lb


@pytest.mark.parametrize("n_steps_out, lag, two_d", [
    (1, 1, False), (3, 1, False), (2, 0, True), (1, 2, True)])
def test_streamed_batches_equal_make_windows(n_steps_out, lag, two_d):
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(50, 2) if two_d else 50)
    targets = rng.normal(size=50)
    X, y = lb.make_windows(inputs, targets, 4, n_steps_out, lag)
    batches = list(lb.window_dataset(inputs, targets, 4, n_steps_out, lag,
                                     batch_size=8))
    X_stream = np.concatenate([b[0].numpy() for b in batches])
    y_stream = np.concatenate([b[1].numpy() for b in batches])
    X_expected = X if two_d else X[..., None]
    np.testing.assert_allclose(X_stream, X_expected, rtol=1e-6)
    np.testing.assert_allclose(y_stream, y, rtol=1e-6)
    assert len(batches) == int(np.ceil(len(X) / 8))


def test_shuffled_stream_holds_every_sample_once():
    series = np.arange(100.0)
    ds = lb.window_dataset(series, series, 5, batch_size=16,
                           shuffle_buffer=1000, seed=3)
    y = np.concatenate([b[1].numpy() for b in ds])
    assert sorted(y.tolist()) == list(range(5, 100))
    assert y.tolist() != list(range(5, 100))


def test_stream_refuses_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        lb.window_dataset([1.0, np.nan, 3.0, 4.0], [1, 2, 3, 4], 2)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        lb.window_dataset(np.ones(10), np.ones(10), 2, batch_size=0)
    with pytest.raises(ValueError, match="needs 11"):
        lb.window_dataset(np.ones(10), np.ones(10), 10)


TRAIN = textwrap.dedent("""
    import os, resource, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import lstmbook as lb
    n = int(sys.argv[1])
    series = np.sin(np.arange(n, dtype="float32") / 50.0)
    ds = lb.window_dataset(series, series, 60, batch_size=256,
                           shuffle_buffer=10_000, seed=0)
    lb.set_seed(0)
    model = lb.vanilla_lstm((60, 1), 1, units=8)
    model.fit(ds.repeat(), epochs=2, steps_per_epoch=20, verbose=0)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB
""")


def peak_rss_mib(n_points):
    out = subprocess.run([sys.executable, "-c", TRAIN, str(n_points)],
                         capture_output=True, text=True, timeout=300,
                         check=True).stdout
    return int(out.split()[-1]) / 1024


def test_training_memory_does_not_grow_with_the_series():
    """1M vs 10M points: materialised windows would be 0.24 vs 2.4 GB."""
    small, large = peak_rss_mib(1_000_000), peak_rss_mib(10_000_000)
    windows_10m_mib = 10_000_000 * 60 * 4 / 2**20
    assert large < 1.5 * small, (small, large)
    assert large - small < 0.1 * windows_10m_mib, (small, large)
