"""Global training on worker processes (benchmarks/multiworker.py).

Two workers under ``tf.distribute.MultiWorkerMirroredStrategy``, on
localhost, each streaming its own shard files, end where one worker ends
when it trains on the same global batches; and the failures (a worker that
crashes, one that hangs, bad shards) say what went wrong.
"""

import time

import numpy as np
import pytest
from benchmark_script import benchmark


#: A tiny model, a few steps: the module costs about 40 s of CPU, most of
#: it TensorFlow starting in four worker processes (about 6 s each).
#: ``parts=2``: the single worker reads both workers' shards and builds
#: each global batch as worker 0's half followed by worker 1's.
SETTINGS = {"n_in": 12, "h": 6, "units": 8, "global_batch": 32, "steps": 6,
            "parts": 2, "learning_rate": 0.01, "seed": 0}
#: Two workers sum two half-batch gradients (the all-reduce) where one
#: worker sums the whole batch at once: the same float32 numbers added in
#: another order, so the weights may differ in the last bits, and Adam
#: carries that over the steps. Measured after 6 steps: 3e-8 with seed 0,
#: at most 1e-7 with seeds 0-2, while training moves the weights by about
#: 0.06. The tolerance is 10 times the largest; it still catches a wrong
#: split of the batch or a missing all-reduce, whose differences are of the
#: size of the steps themselves (asserted: a change 1000 times larger).
TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def bench():
    return benchmark("multiworker")


def synthetic_panel(n_series=8, length=60, seed=0):
    """Positive monthly series: level, trend, season and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return {f"s{i}": 50 + 10 * i + (0.2 + 0.05 * i) * t
            + 5 * np.sin(2 * np.pi * t / 12 + i) + rng.normal(0, 1, length)
            for i in range(n_series)}


@pytest.fixture(scope="module")
def data_dir(bench, tmp_path_factory):
    folder = tmp_path_factory.mktemp("multiworker") / "data"
    bench.write_shards(synthetic_panel(), folder, 4)
    return folder


@pytest.fixture(scope="module")
def runs(bench, data_dir):
    """The results of two workers and of one, with the same batches."""
    def run(n_workers, name):
        settings = dict(SETTINGS, data_dir=str(data_dir),
                        out_dir=str(data_dir.parent / name))
        return bench.launch(n_workers, settings, timeout=240)
    return {"two": run(2, "two"), "one": run(1, "one")}


# --- two workers train as one ---------------------------------------------


def test_two_workers_end_where_one_worker_ends(bench, runs):
    two, one = runs["two"][0], runs["one"][0]
    assert bench.max_difference(two["final"], one["final"]) < TOLERANCE
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=0,
                               atol=TOLERANCE)
    assert len(two["loss"]) == SETTINGS["steps"]
    # the comparison means something: training moved the weights
    assert bench.max_difference(two["final"], two["initial"]) \
        > 1000 * TOLERANCE


def test_workers_start_equal_and_stay_equal(runs):
    (w0, w1), (one,) = runs["two"], runs["one"]
    for a, b in zip(w0["initial"], w1["initial"]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(w0["initial"], one["initial"]):
        np.testing.assert_array_equal(a, b)
    # every worker applies the same all-reduced update: identical weights
    for a, b in zip(w0["final"], w1["final"]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(w0["loss"], w1["loss"])


def test_one_worker_sees_the_two_workers_batches(bench, data_dir):
    files = bench.shard_files(data_dir)
    args = (SETTINGS["n_in"], SETTINGS["h"], 0)

    def first_batch(worker, n_workers, batch):
        dataset = bench.worker_dataset(files, worker, n_workers, 2, batch,
                                       *args)
        return [t.numpy() for t in next(iter(dataset))]

    x0, y0 = first_batch(0, 2, 16)
    x1, y1 = first_batch(1, 2, 16)
    x, y = first_batch(0, 1, 32)
    np.testing.assert_array_equal(x, np.concatenate([x0, x1]))
    np.testing.assert_array_equal(y, np.concatenate([y0, y1]))
    assert x.shape == (32, 12, 1) and y.shape == (32, 6)
    # windows of the log series, relative to their last input value
    np.testing.assert_array_equal(x[:, -1, 0], 0)
    worker0_series = [v for i, v in enumerate(synthetic_panel().values())
                      if i % 4 in (0, 2)]  # files 0 and 2: worker 0's
    windows = np.concatenate([np.lib.stride_tricks.sliding_window_view(
        np.log(v), 18) for v in worker0_series])
    windows -= windows[:, 11:12]
    found = np.abs(windows[:, None] - np.c_[x0[..., 0], y0]).max(2) < 1e-5
    assert found.any(0).all()


# --- clear errors ----------------------------------------------------------


@pytest.mark.parametrize("series, n_shards, message", [
    ({"a": [1.0, 2.0]}, 0, "at least 1"),
    ({}, 1, "cannot fill"),
    ({"a": [1.0, 2.0]}, 2, "cannot fill"),
    ({"a": [1.0, 0.0]}, 1, "positive"),
    ({"a": [1.0, np.nan]}, 1, "positive"),
    ({"a,b": [1.0, 2.0]}, 1, "comma"),
])
def test_write_shards_rejects_bad_arguments(bench, tmp_path, series,
                                            n_shards, message):
    with pytest.raises(ValueError, match=message):
        bench.write_shards(series, tmp_path, n_shards)
    assert not list(tmp_path.iterdir())


def test_write_shards_deals_series_in_turn(bench, tmp_path):
    panel = synthetic_panel(n_series=5, length=20)
    files = bench.write_shards(panel, tmp_path, 2)
    assert [f.name for f in files] == ["shard-00000.csv", "shard-00001.csv"]
    lines = files[0].read_text().splitlines()
    assert [line.split(",")[0] for line in lines] == ["s0", "s2", "s4"]
    np.testing.assert_array_equal(
        np.array(lines[1].split(",")[1:], dtype=float), panel["s2"])


def test_worker_dataset_rejects_parts_it_cannot_share(bench, data_dir):
    files = bench.shard_files(data_dir)
    with pytest.raises(ValueError, match="3 parts cannot be shared"):
        bench.worker_dataset(files, 0, 2, 3, 16, 12, 6, 0)
    with pytest.raises(ValueError, match="too few for 5 parts"):
        bench.worker_dataset(files, 0, 1, 5, 16, 12, 6, 0)
    with pytest.raises(ValueError, match="batch of 15 cannot be split"):
        bench.worker_dataset(files, 0, 1, 2, 15, 12, 6, 0)


def test_launch_reports_the_failed_worker_with_its_log(bench, tmp_path):
    settings = dict(SETTINGS, data_dir=str(tmp_path / "missing"),
                    out_dir=str(tmp_path / "out"))
    # one worker is enough (each costs a TensorFlow start, ~6 s of CPU)
    with pytest.raises(RuntimeError, match=r"worker 0 failed \(exit code 1"
                       r"[\s\S]*FileNotFoundError: no shard files"):
        bench.launch(1, settings, timeout=120)


def test_launch_stops_the_workers_at_the_timeout(bench, data_dir, tmp_path):
    settings = dict(SETTINGS, data_dir=str(data_dir),
                    out_dir=str(tmp_path / "out"))
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="still running after 0.5 s"):
        bench.launch(2, settings, timeout=0.5)
    assert time.monotonic() - start < 30


def test_launch_needs_a_worker(bench, tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        bench.launch(0, {"out_dir": str(tmp_path)})
