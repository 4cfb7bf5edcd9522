"""Import a script of ``benchmarks/`` as a module, for the tests.

The scripts import each other by name (``from competitions import ...``),
so ``benchmarks/`` is on ``sys.path`` while one is imported, and removed
again afterwards.
"""

import importlib
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def benchmark(name):
    """The module ``benchmarks/<name>.py``."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))
