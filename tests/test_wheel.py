"""lstmbook works as a reader installs it: from a wheel, without this tree.

The root ``conftest.py`` builds the wheel once per session (the
``lstmbook_wheel`` fixture) and runs every chapter notebook through nbval
as a copy alone in an empty folder, importing lstmbook from that wheel.
These tests check the wheel itself, and that the notebook harness really
fails when it should: on a changed output, and on an lstmbook imported from
anywhere but the wheel.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import nbformat

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "lstmbook" / "data"


def test_wheel_ships_every_data_file(lstmbook_wheel):
    names = set(lstmbook_wheel.names())
    shipped = {p.relative_to(ROOT).as_posix() for p in DATA.rglob("*")
               if p.suffix in (".csv", ".md")}
    assert {n for n in shipped if n.startswith("lstmbook/data/results/")}, \
        "no stored results in the source tree?"
    missing = shipped - names
    assert not missing, (
        f"the wheel lacks {sorted(missing)}: add their folder to "
        "[tool.setuptools.package-data] in pyproject.toml")
    assert not [n for n in names if n.startswith(("tests/", "chapters/",
                                                  "benchmarks/"))]


def test_wheel_build_declares_every_subpackage(lstmbook_wheel):
    """setuptools warns of folders left out of ``packages``; none may be.

    A data folder that is not declared is shipped today only through a
    deprecated fallback ("Package would be ignored" in the build log).
    """
    log = lstmbook_wheel.log
    assert "lstmbook.dist-info" in log or "Created wheel" in log, log[-500:]
    for warning in ("would be ignored", "absent from the `packages`"):
        assert warning not in log, warning


def test_wheel_installed_package_runs_from_an_empty_folder(
        lstmbook_wheel, tmp_path):
    """Import lstmbook from the wheel alone; load every dataset and table."""
    code = textwrap.dedent("""
        import json, sys
        import lstmbook as lb
        results = sorted(p.name[:-4] for p in
                         __import__("importlib.resources").resources.files(
                             "lstmbook").joinpath("data", "results").iterdir()
                         if p.name.endswith(".csv"))
        print(json.dumps({
            "file": lb.__file__,
            "datasets": {name: len(lb.load_dataset(name))
                         for name in lb.list_datasets().index},
            "results": {name: len(lb.load_results(name))
                        for name in results},
        }))
    """)
    env = dict(os.environ, PYTHONPATH=str(lstmbook_wheel.site))
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                            env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(report["file"]).is_relative_to(lstmbook_wheel.site)
    assert report["datasets"]["airline"] == 144
    assert all(n > 0 for n in report["datasets"].values())
    stored = sorted(p.stem for p in (DATA / "results").glob("*.csv"))
    assert sorted(report["results"]) == stored
    assert all(n > 0 for n in report["results"].values())


#: A markdown cell for ``_notebook``: the heading of a Template section.
TEMPLATE_HEADING = ("## Template", "markdown")


def _notebook(path, cells):
    """Write a notebook of ``(source, stored stdout)`` code cells (and
    ``TEMPLATE_HEADING`` markdown cells)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    for count, (source, stdout) in enumerate(cells, start=1):
        if stdout == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
            continue
        outputs = ([nbformat.v4.new_output("stream", name="stdout",
                                           text=stdout)]
                   if stdout is not None else [])
        nb.cells.append(nbformat.v4.new_code_cell(
            source, outputs=outputs, execution_count=count))
    nbformat.write(nb, path)


#: A plugin for the inner pytest run below: it hands that run this
#: session's wheel (the ``lstmbook_wheel`` fixture, built by the same
#: conftest.py), so the run does not build the same wheel a second time.
#: Everything the harness does with the wheel is unchanged: each notebook
#: runs alone, with the wheel's folder first on ``PYTHONPATH``.
REUSE_WHEEL = """\
from pathlib import Path


def pytest_configure(config):
    harness = config.pluginmanager.get_plugin("conftest")
    config.stash[harness._WHEEL] = harness.Wheel(
        file=Path({file!r}), site=Path({site!r}), workdir=Path({workdir!r}))
"""


def test_the_harness_fails_when_it_should(tmp_path, lstmbook_wheel):
    """nbval through conftest.py: a good notebook passes; a changed output
    fails (strict mode); an lstmbook imported from the source tree fails; a
    Template cell that needs an earlier cell's variable fails (it runs in
    a kernel of its own), and one that a later cell checks also runs in
    the chapter's kernel."""
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    workdir = tmp_path / "workdir"  # the inner run's notebook copies
    workdir.mkdir()
    (plugin / "reuse_lstmbook_wheel.py").write_text(REUSE_WHEEL.format(
        file=str(lstmbook_wheel.file), site=str(lstmbook_wheel.site),
        workdir=str(workdir)))
    runs = tmp_path / "notebooks"
    runs.mkdir()
    _notebook(runs / "good.ipynb", [
        ('import os\nos.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")\n'
         "import lstmbook as lb\nprint(len(lb.load_airline()))", "144\n")])
    _notebook(runs / "changed_output.ipynb", [("print(1 + 1)", "3\n")])
    _notebook(runs / "from_source.ipynb", [
        (f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
         "import lstmbook", None)])
    _notebook(runs / "template_not_alone.ipynb", [
        ("x = 2", None), TEMPLATE_HEADING, ("print(x)", "2\n")])
    _notebook(runs / "template_checked.ipynb", [
        ("x = 2", None), TEMPLATE_HEADING, ("y = 3\nprint(y)", "3\n"),
        ("assert x + y == 5", None)])
    (runs / "pytest.ini").write_text("[pytest]\n")
    report = tmp_path / "report.xml"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(plugin)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p",
         "reuse_lstmbook_wheel", "-c",
         str(runs / "pytest.ini"), "--rootdir", str(runs), "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with",
         str(ROOT / "tests" / "sanitize.cfg"), "-p", "no:cacheprovider",
         f"--junitxml={report}", str(runs)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = result.stdout
    assert result.returncode == 1, out[-4000:] + result.stderr[-2000:]
    # The outcomes come from the JUnit report, not from the text summary,
    # whose lines change with the terminal's width.
    outcomes = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        # classname is the notebook's path with dots: "good.ipynb".
        notebook = case.get("classname").removesuffix(".ipynb")
        notebook = notebook.rsplit(".", 1)[-1]
        failed = case.find("failure") is not None or \
            case.find("error") is not None
        skipped = case.find("skipped") is not None
        outcomes[f"{notebook}.ipynb::{case.get('name')}"] = (
            "FAILED" if failed else "SKIPPED" if skipped else "PASSED")
    assert outcomes == {
        "good.ipynb::Cell 0": "PASSED",
        "good.ipynb::lstmbook comes from the wheel": "PASSED",
        "changed_output.ipynb::Cell 0": "FAILED",
        "from_source.ipynb::Cell 0": "PASSED",
        "from_source.ipynb::lstmbook comes from the wheel": "FAILED",
        "changed_output.ipynb::lstmbook comes from the wheel": "SKIPPED",
        "template_not_alone.ipynb::Cell 0": "PASSED",
        "template_not_alone.ipynb::Cell 1": "FAILED",
        "template_not_alone.ipynb::lstmbook comes from the wheel": "SKIPPED",
        "template_checked.ipynb::Cell 0": "PASSED",
        "template_checked.ipynb::Cell 1": "PASSED",
        "template_checked.ipynb::Cell 2": "PASSED",
        "template_checked.ipynb::lstmbook comes from the wheel": "SKIPPED",
    }, out[-4000:]
    assert "not from the wheel" in out
