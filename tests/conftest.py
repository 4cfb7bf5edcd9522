import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The chapters' kernels (see their Setup cell): tests that re-compute a
# stored benchmark row need the same digits, whichever test imports
# TensorFlow first.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# The toy series of the book (spec, Parts 2-5).
SEQ = [10, 20, 30, 40, 50, 60, 70, 80, 90]


@pytest.fixture(autouse=True)
def _restore_keras_float():
    """Give every test Keras' float type and dtype policy as it found them.

    Some code under test (the benchmarks' ``main``, the chapters' recipes)
    switches Keras to float64 as the chapters do; without this, the tests
    after it would build their models in whatever type it left behind (see
    ``keras_float.py``).
    """
    from keras_float import keras_float_restored

    with keras_float_restored():
        yield


@pytest.fixture
def table():
    """Two input series and their sum, as the multivariate chapters use."""
    in1 = np.array(SEQ)
    in2 = in1 + 5
    return np.column_stack([in1, in2, in1 + in2])


#: How long the book may take to build (it takes about 15 s).
BOOK_TIMEOUT_S = 900

#: Runs in a process of its own: the build, its output kept in a JSON file
#: that appears, whole, when the build has finished.
_BOOK_RUNNER = """\
import json, os, subprocess, sys
folder, timeout, command = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
# TensorFlow told to log everything at start-up (see built_site).
env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="0")
try:
    done = subprocess.run(command, capture_output=True, text=True,
                          timeout=timeout, env=env)
    result = {"returncode": done.returncode, "stdout": done.stdout,
              "stderr": done.stderr}
except Exception as error:  # a timeout: the fixture reports it
    result = {"error": repr(error)}
partial = os.path.join(folder, "result.json.partial")
with open(partial, "w") as file:
    json.dump(result, file)
os.replace(partial, os.path.join(folder, "result.json"))
"""

_BOOK_PROCESS = []  # the build this process started, if any


def _jupyter_book():
    exe = shutil.which("jupyter-book", path=str(Path(sys.executable).parent))
    return exe or shutil.which("jupyter-book")


def _book_folder(tmp_path_factory):
    """Where this test run builds the book: one folder for the whole run,
    shared by the pytest-xdist workers (the parent of their own temporary
    folders), so the book is built once, not once per worker."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "book"


def _start_book_build(tmp_path_factory):
    """Start building the book in the background, unless this run already
    has (another worker, or an earlier call); returns its folder."""
    folder = _book_folder(tmp_path_factory)
    exe = _jupyter_book()
    if exe is None:
        return folder  # built_site says what to install
    try:
        folder.mkdir()  # atomic: only the first caller starts the build
    except FileExistsError:
        return folder
    command = [exe, "build", str(ROOT), "--path-output",
               str(folder / "out"), "-W", "-n", "--keep-going"]
    try:
        _BOOK_PROCESS.append(subprocess.Popen(
            [sys.executable, "-c", _BOOK_RUNNER, str(folder),
             str(BOOK_TIMEOUT_S), *command],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
    except OSError as error:  # no one else will start it: say why
        (folder / "result.json").write_text(json.dumps(
            {"error": f"could not start the build: {error!r}"}))
    return folder


@pytest.fixture(scope="session", autouse=True)
def _book_builds_early(request, tmp_path_factory):
    """When any test of this run needs the built book (``built_site``),
    start its build with the first test of this folder rather than when
    that test comes: it then renders while other tests run, and the
    workers of ``-n 2`` share the one build."""
    if any("built_site" in getattr(item, "fixturenames", ())
           for item in request.session.items):
        _start_book_build(tmp_path_factory)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The book built once per test run, as the README's build command does.

    Returns ``(result, html)``: the finished ``jupyter-book build`` process
    (warnings as errors, ``--keep-going``) and the ``_build/html`` folder.
    ``tests/test_book.py`` checks the build; ``tests/test_browser.py`` opens
    its pages. TensorFlow is told to log everything at start-up (this
    process lowered it above; a reader's shell or a GPU build may not): the
    build must keep those lines out of its log by itself
    (_ext/quiet_tensorflow.py). The build runs in the background from the
    start of the run (``_book_builds_early``), once for all workers.
    """
    assert _jupyter_book(), \
        "jupyter-book is not installed (pip install -r requirements.txt)"
    folder = _start_book_build(tmp_path_factory)
    result_file = folder / "result.json"
    deadline = time.monotonic() + BOOK_TIMEOUT_S + 120
    while not result_file.exists():
        own = _BOOK_PROCESS[0] if _BOOK_PROCESS else None
        if own is not None and own.poll() is not None \
                and not result_file.exists():
            pytest.fail(f"the book's build runner stopped (exit status "
                        f"{own.returncode}) without a result")
        if time.monotonic() > deadline:
            pytest.fail(f"the book did not build within {BOOK_TIMEOUT_S} s")
        time.sleep(0.2)
    for process in _BOOK_PROCESS:
        process.wait(timeout=60)  # it has written its result: reap it
    result = json.loads(result_file.read_text())
    if "error" in result:
        pytest.fail(f"jupyter-book build failed to run: {result['error']}")
    command = ["jupyter-book", "build", str(ROOT)]
    return (subprocess.CompletedProcess(command, result["returncode"],
                                        result["stdout"], result["stderr"]),
            folder / "out" / "_build" / "html")
