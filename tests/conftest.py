import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The chapters' kernels (see their Setup cell): tests that re-compute a
# stored benchmark row need the same digits, whichever test imports
# TensorFlow first.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The book built once per session, as the README's build command does.

    Returns ``(result, html)``: the finished ``jupyter-book build`` process
    (warnings as errors, ``--keep-going``) and the ``_build/html`` folder.
    ``tests/test_book.py`` checks the build; ``tests/test_browser.py`` opens
    its pages.
    """
    exe = shutil.which("jupyter-book", path=str(Path(sys.executable).parent))
    exe = exe or shutil.which("jupyter-book")
    assert exe, \
        "jupyter-book is not installed (pip install -r requirements.txt)"
    out = tmp_path_factory.mktemp("book")
    # TensorFlow told to log everything at start-up (this process lowered it
    # above; a reader's shell or a GPU build may not): the build must keep
    # those lines out of its log by itself (_ext/quiet_tensorflow.py).
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="0")
    result = subprocess.run(
        [exe, "build", str(ROOT), "--path-output", str(out), "-W", "-n",
         "--keep-going"],
        capture_output=True, text=True, timeout=900, env=env,
    )
    return result, out / "_build" / "html"
