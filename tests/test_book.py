"""The book as a whole: every chapter is listed, clean, and the site builds.

nbval (run by the same pytest command, see pyproject.toml) re-executes every
notebook and compares its outputs; these tests check the rest.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").rglob("*.ipynb"))


def toc_files():
    """Every file named in _toc.yml, without its extension."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            files.append(chapter["file"])
            files += [s["file"] for s in chapter.get("sections", [])]
    return files


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(toc_files())
    for path in CHAPTERS:
        if ".ipynb_checkpoints" in path.parts:
            continue
        name = str(path.relative_to(ROOT).with_suffix(""))
        assert name in listed, f"{name} is not in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    """Run top to bottom in one fresh kernel, no errors, no machine data."""
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(
        range(1, len(code) + 1)), "re-run with scripts/run_notebook.py"
    outputs = [o for c in code for o in c["outputs"]]
    assert outputs, "committed without outputs"
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], \
        "stderr in a stored output (warnings or logs): fix the cause"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert set(nb["metadata"].get("language_info", {})) <= {"name"}
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {})


def test_site_builds_without_warnings(tmp_path):
    """`jupyter-book build` with warnings as errors, into a temporary dir."""
    exe = shutil.which("jupyter-book", path=str(Path(sys.executable).parent))
    exe = exe or shutil.which("jupyter-book")
    assert exe, "jupyter-book is not installed (pip install -r requirements.txt)"
    result = subprocess.run(
        [exe, "build", str(ROOT), "--path-output", str(tmp_path), "-W", "-n",
         "--keep-going"],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    html = tmp_path / "_build" / "html"
    for name in toc_files():
        page = html / f"{name}.html"
        assert page.exists(), f"{page} was not built"
    for path in CHAPTERS:
        page = html / path.relative_to(ROOT).with_suffix(".html")
        n_figures = sum("image/png" in o.get("data", {})
                        for c in json.loads(path.read_text())["cells"]
                        for o in c.get("outputs", []))
        assert page.read_text().count("<img") >= n_figures, page
