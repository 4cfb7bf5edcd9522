"""Global LSTM training on several worker processes (tf.distribute).

Usage:
    python benchmarks/multiworker.py                    # M3 monthly, 400 steps
    python benchmarks/multiworker.py --steps 100 --global-batch 128
    python benchmarks/multiworker.py --worker '{"data_dir": ...}'  # one worker

When a panel outgrows one machine, TensorFlow's own engine trains the same
global model on several: ``tf.distribute.MultiWorkerMirroredStrategy``. Each
worker process holds a copy of the model, streams its own shard of the
series from files with ``tf.data``, and computes the gradients of its part
of the global batch; an all-reduce (here the RING algorithm over gRPC)
sums them, so every worker applies the same update, the one a single
machine would make with the whole global batch.

This script runs that recipe with worker processes on localhost:

* ``write_shards`` writes a panel as CSV shard files (one series a line);
* ``worker`` is one worker: it joins the cluster that ``TF_CONFIG``
  describes, streams its files, cuts the windows (log, minus the last input
  value), trains for a number of steps, and writes weights and losses;
* ``launch`` starts the workers, each with its own ``TF_CONFIG``, waits,
  and stops them all if one fails.

On a real cluster the same ``worker`` runs once per machine: the scheduler
(or you) sets ``TF_CONFIG`` on each, with the machines' addresses instead of
localhost ports, and the shard files lie on shared storage (or each machine
holds its own). The training step is a custom loop (``strategy.run``), not
``model.fit``: Keras 3's ``fit`` fails with more than one worker
(keras-team/keras issue 20585: it tries to turn a per-worker batch into a
tensor while building the model).

What it measures: the time per step (after ``--warmup`` steps of tracing)
on the M3 monthly series (1,428 series, 18 months ahead, about 83,000
windows in 8 shard files), for one worker with one thread, one worker with
two threads, and two workers with one thread each, every run with the same
global batches made of the same windows (one worker reads both workers'
shards and takes half of each batch from each), and how far apart the
final weights end. On the project's 2-core machine two workers share the
cores of one worker with two threads and add an all-reduce through gRPC at
every step: what this measures is that overhead, and the correctness; the
speed comes from machines of their own. The table goes to
lstmbook/data/results/multiworker.csv.

Measured on the 2-vCPU machine while other jobs ran (load average about
5.5), 390 timed steps of 256 windows: one worker with one thread 20.8 ms a
step, with two threads 40.2 ms (the threads fight the other jobs for the
cores), two workers with one thread each 36.1 ms (1.7 times one worker);
the two-worker weights end 2.7e-7 from the one-worker weights. About
1.5 minutes in all.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from competitions import SUBSETS, load  # noqa: E402
from results_csv import save  # noqa: E402

SHUFFLE_BUFFER = 1024  #: windows each worker shuffles among (seeded)
#: What every worker process gets in its environment: no GPU, quiet
#: TensorFlow and gRPC logs, oneDNN's custom kernels off (as in the book).
WORKER_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0",
              "CUDA_VISIBLE_DEVICES": "", "GRPC_VERBOSITY": "ERROR"}


def write_shards(series, folder, n_shards):
    """Write ``series`` (a dict: name -> positive values) as CSV shards.

    Series ``i`` goes to shard ``i % n_shards``; each line of a shard is
    ``name,value,value,...``. Returns the files, ``shard-00000.csv``, ...
    """
    if n_shards < 1:
        raise ValueError(f"n_shards must be at least 1, got {n_shards}")
    if len(series) < n_shards:
        raise ValueError(f"{len(series)} series cannot fill {n_shards} "
                         "shards: each shard needs at least one series")
    lines = [[] for _ in range(n_shards)]
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype="float64")
        if "," in str(name) or "\n" in str(name):
            raise ValueError(f"series name {name!r} has a comma or newline")
        if values.ndim != 1 or not np.all(np.isfinite(values) & (values > 0)):
            raise ValueError(f"series {name!r}: values must be one "
                             "positive, finite row (the model takes logs)")
        lines[i % n_shards].append(",".join([str(name)] + [repr(v) for v in
                                                           values.tolist()]))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"shard-{k:05d}.csv" for k in range(n_shards)]
    for file, shard in zip(files, lines):
        file.write_text("\n".join(shard) + "\n")
    return files


def shard_files(data_dir):
    """The shard files of a folder, in order; an error if there are none.

    ``tf.io.gfile`` reads local folders and cloud storage alike
    (``gs://bucket/panel``, ``hdfs://...``), as a cluster would.
    """
    files = sorted(tf.io.gfile.glob(f"{data_dir}/shard-*.csv"))
    if not files:
        raise FileNotFoundError(f"no shard files (shard-*.csv) in {data_dir}")
    return files


def series_windows(line, n_in, h):
    """The training windows of one series (one CSV line), as a dataset.

    On the log scale, every window minus its last input value, so that
    series of any size look alike: ``(inputs (n_in, 1), targets (h,))``.
    """
    values = tf.strings.to_number(tf.strings.split(line, ",")[1:])
    frames = tf.signal.frame(tf.math.log(values), n_in + h, frame_step=1)
    frames -= frames[:, n_in - 1:n_in]
    return tf.data.Dataset.from_tensor_slices(
        (frames[:, :n_in, tf.newaxis], frames[:, n_in:]))


def part_dataset(files, n_in, h, batch, seed):
    """Endless, shuffled batches of ``batch`` windows of ``files``' series."""
    lines = tf.data.TextLineDataset(files)  # streams the files line by line
    windows = lines.flat_map(lambda line: series_windows(line, n_in, h))
    return (windows.shuffle(SHUFFLE_BUFFER, seed=seed).repeat()
            .batch(batch, drop_remainder=True))


def worker_dataset(files, worker, n_workers, parts, batch, n_in, h, seed):
    """The batches of worker ``worker`` of ``n_workers``: ``batch`` windows.

    The files are dealt to ``parts`` parts (file ``i`` to part
    ``i % parts``) and the parts to the workers in equal runs. With
    ``parts == n_workers`` worker ``i`` reads files ``i, i + n, ...``. A
    worker with several parts takes an equal share of each batch from
    each: one worker with ``parts=2`` sees the same global batches as two
    workers (worker 0's half, then worker 1's).
    """
    if parts % n_workers:
        raise ValueError(f"{parts} parts cannot be shared equally by "
                         f"{n_workers} workers")
    if len(files) < parts:
        raise ValueError(f"{len(files)} shard files are too few for {parts} "
                         "parts: each part needs one")
    per_worker = parts // n_workers
    if batch % per_worker:
        raise ValueError(f"a batch of {batch} cannot be split equally among "
                         f"{per_worker} parts")
    mine = range(worker * per_worker, (worker + 1) * per_worker)
    blocks = [part_dataset(files[p::parts], n_in, h, batch // per_worker,
                           seed + p) for p in mine]
    dataset = tf.data.Dataset.zip(tuple(blocks)).map(
        lambda *b: tuple(tf.concat(t, axis=0) for t in zip(*b)))
    options = tf.data.Options()  # we shard by files: TF must not shard again
    options.experimental_distribute.auto_shard_policy = \
        tf.data.experimental.AutoShardPolicy.OFF
    return dataset.with_options(options)


def make_train_step(strategy, model, optimizer, global_batch):
    """One training step on every worker, as a ``tf.function``.

    Each worker computes the mean absolute error of its windows divided by
    the GLOBAL batch size (its share of the global mean) and its
    gradients; ``apply_gradients`` sums the gradients of all workers (an
    all-reduce), so every worker makes the update of the whole batch.
    Returns the loss of the global batch.
    """
    def step(x, y):
        with tf.GradientTape() as tape:
            errors = tf.reduce_mean(tf.abs(y - model(x, training=True)), 1)
            loss = tf.nn.compute_average_loss(errors,
                                              global_batch_size=global_batch)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    @tf.function
    def train_step(iterator):
        losses = strategy.run(step, args=next(iterator))  # on each worker
        return strategy.reduce("SUM", losses, axis=None)  # over workers

    return train_step


def worker(data_dir, out_dir, n_in=24, h=18, units=64, global_batch=256,
           steps=100, parts=None, seed=0, threads=1, learning_rate=1e-3):
    """One worker process: train the global LSTM together with the others.

    ``launch`` runs it in every process, each with its own ``TF_CONFIG``.
    Writes ``out_dir/worker<index>.npz``: initial and final weights, the
    loss of every step and the clock after every step.
    """
    files = shard_files(data_dir)
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    keras.utils.set_random_seed(seed)  # seeded shuffles, initial weights
    # 1. Join the cluster that TF_CONFIG describes (without it: one worker).
    #    This waits until every worker has started.
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=tf.distribute.experimental.CommunicationOptions(
            implementation=tf.distribute.experimental
            .CommunicationImplementation.RING))

    # 2. Each worker streams its own shards: global_batch / n_workers
    #    windows a step (one "replica", the CPU, per worker).
    def dataset_fn(context):
        n_workers = context.num_input_pipelines
        return worker_dataset(files, context.input_pipeline_id, n_workers,
                              parts or n_workers,
                              context.get_per_replica_batch_size(global_batch),
                              n_in, h, seed)

    batches = iter(strategy.distribute_datasets_from_function(dataset_fn))
    # 3. Variables made in the scope are mirrored: one copy per worker,
    #    kept equal (each starts from worker 0's initial value).
    with strategy.scope():
        model = keras.Sequential([keras.Input((n_in, 1)),
                                  keras.layers.LSTM(units),
                                  keras.layers.Dense(h)])
        optimizer = keras.optimizers.Adam(learning_rate)
        optimizer.build(model.trainable_variables)
    initial = model.get_weights()
    # 4. Train: every step is one global batch on all workers together (a
    #    custom loop: Keras 3's model.fit fails with several workers).
    train_step = make_train_step(strategy, model, optimizer, global_batch)
    losses, clock = [], []
    for _ in range(steps):
        losses.append(float(train_step(batches)))
        clock.append(time.perf_counter())
    # 5. Every worker now holds the same weights. Here each writes its own
    #    file; on a cluster only the chief (worker 0) would save the model.
    task = strategy.cluster_resolver.task_id or 0
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    np.savez(Path(out_dir) / f"worker{task}.npz", loss=losses, clock=clock,
             **{f"initial_{k}": w for k, w in enumerate(initial)},
             **{f"final_{k}": w for k, w in enumerate(model.get_weights())})


def read_result(path):
    """A worker's output file as a dict of its arrays, weights as lists."""
    with np.load(path) as f:
        n = sum(key.startswith("final_") for key in f.files)
        return {"loss": f["loss"], "clock": f["clock"],
                "initial": [f[f"initial_{k}"] for k in range(n)],
                "final": [f[f"final_{k}"] for k in range(n)]}


def free_ports(n):
    """``n`` distinct ports free on localhost now (the OS picks: port 0)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("localhost", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def log_tail(path, lines=30):
    """The last ``lines`` lines of a worker's log."""
    return "\n".join(Path(path).read_text(errors="replace")
                     .splitlines()[-lines:])


def check_workers(processes, logs):
    """Raise for the first worker that has exited with an error."""
    for i, p in enumerate(processes):
        if p.poll() not in (None, 0):
            raise RuntimeError(
                f"worker {i} failed (exit code {p.returncode}); "
                f"the end of its log {logs[i]}:\n{log_tail(logs[i])}")


def wait_all(processes, logs, timeout):
    """Wait for every process; raise at the first failure or at timeout."""
    deadline = time.monotonic() + timeout
    while any(p.poll() is None for p in processes):
        check_workers(processes, logs)
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"workers still running after {timeout} s; the end of "
                f"worker 0's log {logs[0]}:\n{log_tail(logs[0])}")
        time.sleep(0.1)
    check_workers(processes, logs)


def launch(n_workers, settings, timeout=300):
    """Run ``worker(**settings)`` in ``n_workers`` processes on localhost.

    Each process gets ``TF_CONFIG`` naming all the workers (free localhost
    ports) and its own index. Waits for all; if one fails or the time runs
    out, stops the others and raises with the end of the failed log.
    Returns every worker's result (``read_result``), in worker order.
    """
    if n_workers < 1:
        raise ValueError(f"n_workers must be at least 1, got {n_workers}")
    out_dir = Path(settings["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    cluster = {"worker": [f"localhost:{p}" for p in free_ports(n_workers)]}
    command = [sys.executable, str(Path(__file__).resolve()),
               "--worker", json.dumps(settings)]
    processes, logs = [], []
    try:
        for i in range(n_workers):
            tf_config = {"cluster": cluster,
                         "task": {"type": "worker", "index": i}}
            env = dict(os.environ, **WORKER_ENV,
                       TF_CONFIG=json.dumps(tf_config))
            logs.append(out_dir / f"worker{i}.log")
            with logs[-1].open("w") as log:
                processes.append(subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT))
        wait_all(processes, logs, timeout)
    finally:
        for p in processes:  # stragglers: a worker left waiting for a peer
            if p.poll() is None:
                p.kill()
                p.wait()
    return [read_result(out_dir / f"worker{i}.npz") for i in range(n_workers)]


def max_difference(a, b):
    """Largest absolute difference between two lists of weight arrays."""
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))


def benchmark_row(label, n_workers, threads, settings, result, reference,
                  warmup):
    """One row of the table: the steps after the first ``warmup`` timed."""
    clock, batch = result["clock"], settings["global_batch"]
    steps = len(clock) - warmup
    seconds = float(clock[-1] - clock[warmup - 1])
    return {"run": label, "workers": n_workers, "threads_per_worker": threads,
            "global_batch": batch, "per_worker_batch": batch // n_workers,
            "timed_steps": steps, "seconds": round(seconds, 2),
            "ms_per_step": round(1000 * seconds / steps, 1),
            "windows_per_s": round(steps * batch / seconds),
            "final_loss": round(float(result["loss"][-1]), 5),
            "max_weight_diff": (0.0 if reference is None else
                                max_difference(result["final"],
                                               reference["final"]))}


def print_table(rows):
    """The table, and what it shows, in words."""
    print(f"\n{'run':<26} {'ms/step':>8} {'windows/s':>10} "
          f"{'time vs first':>14} {'max weight diff':>16} {'load':>5}")
    for r in rows:
        print(f"{r['run']:<26} {r['ms_per_step']:>8} {r['windows_per_s']:>10} "
              f"{r['time_vs_first']:>14} {r['max_weight_diff']:>16.1e} "
              f"{r['load_average']:>5}")
    print("\n" + textwrap.fill(
        "Every run trains on the same global batches; 'max weight diff' "
        "compares its final weights with the first run's. All the workers "
        f"share this machine's {os.cpu_count()} cores ('load': its load "
        "average before the run), and two workers add an all-reduce through "
        "gRPC at every step: the table measures that overhead. More workers "
        "speed training up only on machines (or cores) of their own.", 79,
        break_on_hyphens=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", help="run one worker with these JSON "
                        "settings (what launch starts)")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=10,
                        help="first steps left out of the timing (tracing)")
    parser.add_argument("--global-batch", type=int, default=256)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if args.worker:
        return worker(**json.loads(args.worker))
    runs = [("1 worker, 1 thread", 1, 1), ("1 worker, 2 threads", 1, 2),
            ("2 workers, 1 thread each", 2, 1)]
    rows, reference = [], None
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        write_shards({name: x for name, x, _ in load("M3/monthly")}, data,
                     args.shards)
        for label, n_workers, threads in runs:
            out_dir = Path(tmp) / f"run{len(rows)}"
            settings = {"data_dir": str(data), "out_dir": str(out_dir),
                        "h": SUBSETS["M3/monthly"][2], "units": args.units,
                        "global_batch": args.global_batch, "steps": args.steps,
                        "parts": 2, "threads": threads}
            load_average = round(os.getloadavg()[0], 1)
            result = launch(n_workers, settings, args.timeout)[0]
            rows.append(benchmark_row(label, n_workers, threads, settings,
                                      result, reference, args.warmup))
            rows[-1]["load_average"] = load_average
            reference = reference or result
            print(rows[-1], flush=True)
    for row in rows:
        row["time_vs_first"] = round(row["ms_per_step"]
                                     / rows[0]["ms_per_step"], 2)
    print_table(rows)
    save("multiworker.csv", rows)


if __name__ == "__main__":
    main()
