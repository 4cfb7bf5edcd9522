"""Insert or update the Colab set-up cell at the top of chapter notebooks.

Usage:
    python scripts/colab_cell.py chapters/<part>/<nn>-<name>.ipynb [...]
    python scripts/colab_cell.py --all           every notebook in chapters/
    python scripts/colab_cell.py --check --all   change nothing; exit 1 if a
                                                 notebook's cell is missing
                                                 or out of date

A reader who presses "Open in Colab" gets the notebook alone, on a machine
that has TensorFlow, Keras, NumPy, pandas and matplotlib but not the book's
helper package. So every chapter's first code cell installs ``lstmbook``
from this repository, from the same branch that the launch button opened
the notebook from, only when it runs on Colab; anywhere else (your
machine, Binder, the test suite) it does nothing and prints nothing. The
cell is tagged ``remove-cell``, so the HTML book does not show it.

What the cell installs is decided here, in one place:

* the repository and the branch: ``repository.url`` and
  ``repository.branch`` in ``_config.yml``, the settings the launch buttons
  use. So the notebook and the package a reader gets come from the same
  branch: a notebook on ``main`` never meets an older ``lstmbook`` that
  lacks a function it calls. Change the branch there, then run this script
  with ``--all``;
* the extras: ``colab`` (what every chapter imports beyond Colab's own
  stack, e.g. ``myst_nb`` for ``glue``), plus one extra per optional package
  a chapter imports (``EXTRA_MODULES``), so ``statsforecast`` is installed
  only for the chapters that import it.

The cell goes right before the notebook's first code cell (the first cell
stays the markdown cell with the chapter's title). Running the script again
replaces the cell in place, so it is idempotent. Afterwards the notebook is
renumbered as ``scripts/run_notebook.py`` stores it (the new cell has no
output, so the stored outputs stay valid); re-run the chapter with
``scripts/run_notebook.py`` all the same before you commit.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_notebook import clean  # noqa: E402

#: Tag of the cell; Jupyter Book leaves such a cell out of the HTML page.
TAG = "remove-cell"
#: First line of the cell: how the script recognises it.
MARKER = "# Colab only: install the book's helper package, lstmbook."

#: Extras of ``pyproject.toml`` installed for a chapter that imports one of
#: these modules (every chapter gets ``colab``).
EXTRA_MODULES = {
    "classical": {"statsforecast"},
}
#: Extras installed for a chapter that calls one of these lstmbook
#: functions (``lb.load_m3(...)``): they import an optional package.
EXTRA_FUNCTIONS = {
    "competitions": {"load_m3", "load_tourism", "load_promotions",
                     "load_seatbelts"},
    # the recipe combines the LSTM with statsforecast's AutoETS and AutoTheta
    "classical": {"RobustForecaster"},
}
#: Modules that the ``colab`` extra and lstmbook's own requirements bring.
COLAB_EXTRA_MODULES = {"myst_nb", "lstmbook", "numpy", "pandas", "matplotlib",
                       "keras", "tqdm"}
#: Modules preinstalled on Colab that chapters may import without an extra.
COLAB_PREINSTALLED = {"tensorflow", "keras", "numpy", "pandas", "matplotlib",
                      "scipy", "sklearn", "IPython", "PIL", "statsmodels",
                      "yaml", "tqdm"}


def repository(root: Path = ROOT) -> tuple[str, str]:
    """``(url, branch)`` of the repository, from ``_config.yml``.

    The same two settings make the launch buttons' links, so the cell
    installs lstmbook from the branch that Colab opened the notebook from.
    """
    config = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    return config["url"].rstrip("/"), config["branch"]


def code_trees(nb):
    """The syntax tree of every code cell (IPython magics and shell lines,
    which are not Python, left out)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines()
                     if not line.lstrip().startswith(("%", "!"))]
            yield ast.parse("\n".join(lines))


def imported_modules(nb) -> set[str]:
    """Top-level names of every module the notebook's code imports."""
    names = set()
    for node in (n for tree in code_trees(nb) for n in ast.walk(tree)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def attribute_names(nb) -> set[str]:
    """Every ``x.name`` the notebook's code refers to (``lb.load_m3``)."""
    return {node.attr for tree in code_trees(nb) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)}


def extras_for(nb) -> list[str]:
    """The extras of lstmbook that the notebook needs on Colab."""
    modules, names = imported_modules(nb), attribute_names(nb)
    return ["colab"] + sorted(
        {extra for extra, needs in EXTRA_MODULES.items() if modules & needs}
        | {extra for extra, needs in EXTRA_FUNCTIONS.items()
           if names & needs})


def _wrap(text: str, width: int) -> list[str]:
    """Cut ``text`` after slashes into pieces of at most ``width`` chars."""
    pieces, current = [], ""
    for part in re.split(r"(?<=/)", text):
        if current and len(current) + len(part) > width:
            pieces.append(current)
            current = ""
        current += part
    return pieces + [current]


def cell_source(extras: list[str], url: str | None = None,
                branch: str | None = None) -> str:
    """The Colab cell's code for a chapter needing ``extras``."""
    config_url, config_branch = repository()
    url, branch = url or config_url, branch or config_branch
    requirement = f"lstmbook[{','.join(extras)}] @ git+{url}@{branch}"
    quoted = "\n".join(f'         "{piece}"'
                       for piece in _wrap(requirement, 60))
    return (
        f"{MARKER}\n"
        "# Elsewhere (your machine, Binder) it is installed already and this\n"
        "# cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        "    subprocess.run(\n"
        '        [sys.executable, "-m", "pip", "install", "--quiet",\n'
        f"{quoted}],\n"
        "        check=True,\n"
        "    )"
    )


def make_cell(nb):
    """The Colab cell for notebook ``nb``, as a notebook cell."""
    return nbformat.v4.new_code_cell(source=cell_source(extras_for(nb)),
                                     metadata={"tags": [TAG]})


def is_colab_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.startswith(MARKER)


def update(nb):
    """Insert or refresh the Colab cell in ``nb`` (in place); return ``nb``.

    Raises ValueError if the notebook does not start with a markdown cell
    (the chapter's title) or has no code cell.
    """
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        raise ValueError("a chapter starts with a markdown cell holding its "
                         "'# Title'; add one above the first code cell")
    nb.cells = [c for c in nb.cells if not is_colab_cell(c)]
    first_code = next((i for i, c in enumerate(nb.cells)
                       if c.cell_type == "code"), None)
    if first_code is None:
        raise ValueError("the notebook has no code cell; it needs no "
                         "Colab cell")
    nb.cells.insert(first_code, make_cell(nb))
    return clean(nb)


def is_up_to_date(nb) -> bool:
    """Whether ``nb``'s first code cell is exactly the generated one."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or not is_colab_cell(code[0]):
        return False
    expected = make_cell(nb)
    return (code[0].source == expected.source
            and code[0].metadata.get("tags") == [TAG]
            and not code[0].outputs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true",
                        help="every notebook under chapters/")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a cell is stale")
    args = parser.parse_args(argv)
    paths = list(args.notebooks)
    if args.all:
        paths += sorted(p for p in (ROOT / "chapters").rglob("*.ipynb")
                        if ".ipynb_checkpoints" not in p.parts)
    if not paths:
        parser.error("name notebooks, or pass --all")
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.check:
            if not is_up_to_date(nb):
                stale.append(path)
            continue
        before = path.read_text()
        nbformat.write(update(nb), path)
        changed = path.read_text() != before
        print(f"{path}: {'updated' if changed else 'already up to date'}")
    for path in stale:
        print(f"{path}: Colab cell missing or out of date; run "
              f"python scripts/colab_cell.py {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
