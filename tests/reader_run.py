"""Run a block of code as a reader runs a copied template: alone.

Shared by ``test_templates.py`` (each chapter's Template cell) and
``test_template_gallery.py`` (the gallery's real-data recipes): a fresh
Python process in an empty folder, ``lstmbook`` from the test wheel first
on ``PYTHONPATH``, matplotlib without a screen and TensorFlow's start-up
log off, as in the chapters.
"""

import os
import subprocess
import sys

import pytest

TIMEOUT_S = 300  # generous: a busy machine runs a 25 s template 5x slower


def run_alone(source, folder, site, what):
    """Run ``source`` alone in ``folder``; its stdout, or fail naming
    ``what`` (e.g. "the template of 02-univariate/01-vanilla-lstm")."""
    env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2",
               TF_ENABLE_ONEDNN_OPTS="0", PYTHONPATH=str(site))
    try:
        result = subprocess.run([sys.executable, "-c", source], cwd=folder,
                                env=env, capture_output=True, text=True,
                                timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} ran over {TIMEOUT_S} s")
    assert result.returncode == 0, (
        f"{what} fails when run alone (exit status "
        f"{result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout
