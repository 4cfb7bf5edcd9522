"""How the test suite runs the chapters: as a reader on Colab would.

nbval (``--nbval`` in pyproject.toml) re-executes every chapter notebook and
compares each stored output with the new one, strictly. This file changes
only *where* each notebook runs, so that the same single execution also
proves that the chapter works outside this repository:

* ``lstmbook`` is built into a wheel once per test session, from a copy of
  its sources (``pyproject.toml``, ``README.md``, ``LICENSE``,
  ``lstmbook/``), and installed with ``pip install --no-deps --target`` into
  a folder of its own;
* each notebook is copied ALONE into an empty folder, and its kernel starts
  there with that folder first on ``PYTHONPATH``. A chapter that reads a file
  by a relative path, or data that the wheel does not ship, fails, as it
  would on Colab;
* a chapter's Template cell (``tests/reader_run.py``, ``template_cells``),
  the copyable recipe a reader pastes into an empty notebook, runs in a
  kernel of its own, started in another empty folder, and nbval compares
  its outputs with the stored ones as for any cell. That one run proves
  both that the template works without the chapter's earlier cells and
  that its printed results are the ones the page shows. Before it, that
  kernel gets only the book's numeric settings (``BOOK_SETTINGS``: float64
  and oneDNN's kernels off, as every chapter's Setup cell makes them,
  CONTRIBUTING.md step 2), and no name. Where a later
  cell of the chapter checks the template's variables (the chapter's own
  model against the template's), the template then also runs in the
  chapter's kernel, silently, so that those variables exist;
* after the last cell, one more test item per notebook
  (``lstmbook comes from the wheel``) asks the kernel for
  ``lstmbook.__file__`` and fails unless it lies in the wheel's folder.

``tests/test_wheel.py`` checks the wheel itself (its data files) through the
``lstmbook_wheel`` fixture below, which shares the same build.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel
from nbval.plugin import IPyNbCell, IPyNbFile

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests"))
from reader_run import template_cells  # noqa: E402

#: What a template's own kernel runs first: the numbers of every chapter's
#: Setup cell (float64, oneDNN off), binding no name a template could lean on.
BOOK_SETTINGS = (
    '__import__("os").environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")\n'
    '__import__("os").environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")\n'
    '__import__("keras").config.set_floatx("float64")\n')

#: What a source distribution of lstmbook holds: all a wheel is built from.
PACKAGE_SOURCES = ["pyproject.toml", "README.md", "LICENSE", "lstmbook"]


@dataclass
class Wheel:
    """A wheel of lstmbook, and the folder it is installed in."""

    file: Path
    site: Path
    workdir: Path
    log: str = ""  #: what the build printed (pip --verbose)

    def names(self) -> list[str]:
        """Every file inside the wheel."""
        with zipfile.ZipFile(self.file) as archive:
            return archive.namelist()


def _run(cmd: list[str], what: str) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({' '.join(cmd)}):\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout + result.stderr


def build_wheel(workdir: Path) -> Wheel:
    """Build lstmbook's wheel from a copy of its sources; install it alone.

    Building from a copy leaves the working tree untouched (no ``build/``
    folder), so test runs side by side do not collide.
    """
    src = workdir / "src"
    src.mkdir(parents=True)
    for name in PACKAGE_SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(path, src / name)
    dist = workdir / "dist"
    log = _run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                "--verbose", "--wheel-dir", str(dist), str(src)],
               "building lstmbook's wheel")
    (wheel,) = dist.glob("lstmbook-*.whl")
    site = workdir / "site"
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
          "--target", str(site), str(wheel)], "installing lstmbook's wheel")
    return Wheel(file=wheel, site=site, workdir=workdir, log=log)


_WHEEL = pytest.StashKey[Wheel]()


def get_wheel(config) -> Wheel:
    """The session's wheel, built on first use and removed at the end."""
    if _WHEEL not in config.stash:
        workdir = Path(tempfile.mkdtemp(prefix="lstmbook-wheel-"))
        config.add_cleanup(lambda: shutil.rmtree(workdir, ignore_errors=True))
        config.stash[_WHEEL] = build_wheel(workdir)
    return config.stash[_WHEEL]


@pytest.fixture(scope="session")
def lstmbook_wheel(pytestconfig) -> Wheel:
    """lstmbook built into a wheel and installed alone (see this module)."""
    return get_wheel(pytestconfig)


class ReaderNotebook(IPyNbFile):
    """An nbval notebook, run as a copy alone with lstmbook from the wheel.

    Everything nbval checks is unchanged (strict output comparison, the
    sanitizers); only the kernel's working folder and ``PYTHONPATH`` differ.
    """

    def setup(self):
        folder = self.empty_folder()
        shutil.copy2(self.path, folder / self.path.name)
        self.kernel = self.start_kernel(folder)
        self.setup_sanitize_files()

    def empty_folder(self) -> Path:
        runs = get_wheel(self.config).workdir / "runs"
        runs.mkdir(exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=self.path.stem + "-", dir=runs))

    def start_kernel(self, folder: Path) -> RunningKernel:
        """A kernel started in ``folder``, lstmbook from the wheel."""
        option = self.config.option
        if option.nbval_current_env:
            kernel_name = CURRENT_ENV_KERNEL_NAME
        else:
            kernel_name = option.nbval_kernel_name or self.nb.metadata.get(
                "kernelspec", {}).get("name", "python")
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = str(get_wheel(self.config).site)
        try:
            return RunningKernel(
                kernel_name, cwd=str(folder),
                startup_timeout=option.nbval_kernel_startup_timeout)
        finally:
            if saved is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = saved

    def collect(self):
        templates = template_cells(
            json.loads(self.path.read_text(encoding="utf-8"))["cells"])
        for item in super().collect():
            position = templates.get(getattr(item, "cell_num", None))
            if position is not None:
                item = TemplateCell.from_parent(
                    self, name=item.name, cell_num=item.cell_num,
                    cell=item.cell, options=item.options,
                    chapter_uses_it=position)
            yield item
        yield LstmbookFromWheel.from_parent(
            self, name="lstmbook comes from the wheel")


class TemplateCell(IPyNbCell):
    """A Template cell: run alone in a fresh kernel in an empty folder.

    nbval's own run and output comparison, in a kernel that has seen none
    of the chapter's cells; see this module's docstring.
    """

    def __init__(self, *args, chapter_uses_it=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter_uses_it = chapter_uses_it

    def runtest(self):
        notebook = self.parent
        chapter_kernel = notebook.kernel
        notebook.kernel = notebook.start_kernel(notebook.empty_folder())
        try:
            _run_silently(notebook.kernel, BOOK_SETTINGS, "the book's settings")
            super().runtest()
        finally:
            if notebook.kernel.is_alive():  # nbval stops it on a timeout
                notebook.kernel.stop()
            notebook.kernel = chapter_kernel
        if self.chapter_uses_it:
            _run_silently(chapter_kernel, self.cell.source,
                          "the template, in the chapter's kernel")


def _run_silently(kernel, source, what):
    """Run ``source`` in ``kernel``, dropping its output; fail on an error."""
    reply = kernel.kc.execute_interactive(
        source, store_history=False, timeout=600,
        output_hook=lambda message: None)
    assert reply["content"]["status"] == "ok", (
        f"{what} failed: {reply['content'].get('ename')}: "
        f"{reply['content'].get('evalue')}")


class LstmbookFromWheel(pytest.Item):
    """After the last cell: the kernel's lstmbook is the wheel's."""

    def runtest(self):
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            pytest.fail("the notebook's kernel is not running")
        code = ("(lambda m: m.__file__ if m else None)"
                "(__import__('sys').modules.get('lstmbook'))")
        reply = kernel.kc.execute_interactive(
            "", silent=True, store_history=False,
            user_expressions={"file": code}, timeout=60)
        result = reply["content"]["user_expressions"]["file"]
        assert result["status"] == "ok", result
        file = ast.literal_eval(result["data"]["text/plain"])
        if file is None:
            pytest.skip("the notebook does not import lstmbook")
        site = get_wheel(self.config).site
        assert Path(file).resolve().is_relative_to(site.resolve()), (
            f"the kernel imported lstmbook from {file}, not from the wheel "
            f"installed in {site}")

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path, parent):
    """Run every notebook nbval collects as a :class:`ReaderNotebook`."""
    collected = yield
    return [ReaderNotebook.from_parent(parent, path=file_path)
            if type(node) is IPyNbFile else node for node in collected]
