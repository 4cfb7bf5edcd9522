import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

# The toy series of the book (spec, Parts 2-5).
SEQ = [10, 20, 30, 40, 50, 60, 70, 80, 90]


@pytest.fixture
def table():
    """Two input series and their sum, as the multivariate chapters use."""
    in1 = np.array(SEQ)
    in2 = in1 + 5
    return np.column_stack([in1, in2, in1 + in2])
