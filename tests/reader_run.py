"""Run a block of code as a reader runs a copied template: alone.

``template_cells`` finds a chapter's Template cells; the root
``conftest.py`` runs each in a kernel of its own and ``test_templates.py``
checks that every chapter has one. ``run_alone`` runs the gallery's
real-data recipes (``test_template_gallery.py``): a fresh Python process in
an empty folder, ``lstmbook`` from the test wheel first on ``PYTHONPATH``,
matplotlib without a screen and TensorFlow's start-up log off, as in the
chapters.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HEADING = re.compile(r"^#{1,6}\s+Template\s*$", flags=re.M | re.I)


def template_cells(cells):
    """A notebook's Template cells: ``{code cell number: used later}``.

    A Template cell is the first code cell after a markdown cell with the
    heading "Template" (CONTRIBUTING.md, step 8); its number counts code
    cells only, as nbval's "Cell k" does. "Used later" is True when a code
    cell follows it in the notebook (a hidden check that compares the
    template's variables with the chapter's).
    """
    found, waiting, number = {}, False, -1
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and HEADING.search(source):
            waiting = True
        elif cell["cell_type"] == "code":
            number += 1
            for template in found:
                found[template] = True
            if waiting:
                found[number], waiting = False, False
    return found

TIMEOUT_S = 300  # generous: a busy machine runs a 25 s template 5x slower


def template_cell(path):
    """A chapter's cells, and its one Template cell (a cell of them)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    (number,) = template_cells(cells)
    return cells, [c for c in cells if c["cell_type"] == "code"][number]


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
