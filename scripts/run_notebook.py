"""Execute chapter notebooks in a fresh kernel and store them clean.

Usage: python scripts/run_notebook.py chapters/01-foundations/01-shapes.ipynb [...]

Each notebook runs top to bottom in a new kernel started in the notebook's
own folder (as nbval and Jupyter Book run it), with a 120 s limit per cell.
The stored copy is then cleaned so that diffs show only real changes:
execution counts run 1, 2, 3...; cell ids are derived from cell positions;
consecutive chunks of printed text are merged into one output;
per-cell execution timings and machine-specific notebook metadata (Python
version, kernel display name) are dropped. Prints each notebook's run time.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"name": "python3", "display_name": "Python 3",
              "language": "python"}


def merge_streams(outputs):
    """Join consecutive stdout (or stderr) chunks into one output.

    The kernel sends printed text in chunks whose boundaries vary from run
    to run; merged, the stored notebook is the same every time.
    """
    merged = []
    for out in outputs:
        if (out.output_type == "stream" and merged
                and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def clean(nb):
    """Strip machine-specific and run-specific metadata from ``nb``."""
    nb.metadata = nbformat.NotebookNode(
        kernelspec=KERNELSPEC,
        language_info={"name": "python"},
        **{k: v for k, v in nb.metadata.items()
           if k not in ("kernelspec", "language_info", "widgets")},
    )
    count = 0
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = merge_streams(cell.outputs)
            for out in cell.outputs:
                if "execution_count" in out:
                    out.execution_count = count
                out.get("metadata", {}).pop("execution", None)
    return nb


def execute(path: Path):
    """Run the notebook at ``path`` in a fresh kernel; return it and seconds.

    The time covers the kernel's start and every cell, as nbval runs it.
    """
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb, time.perf_counter() - start


def run(path: Path) -> float:
    """Execute ``path`` and store it, cleaned, in place."""
    nb, seconds = execute(path)
    nbformat.write(clean(nb), path)
    return seconds


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {run(Path(name)):.1f} s", flush=True)
