"""The book as a whole: every chapter is listed, clean, and the site builds.

nbval (run by the same pytest command, see pyproject.toml) re-executes every
notebook and compares its outputs; these tests check the rest.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p for p in (ROOT / "chapters").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


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


#: Machine paths that must never appear in a stored output.
ABSOLUTE_PATH = re.compile(
    r"(/work/|/root/|/tmp/|/home/|/Users/|/private/var/|[A-Za-z]:\\Users)")
#: Cell metadata that an editor or a run leaves behind: timings, UI state,
#: Colab's bookkeeping. None of it belongs in the repository.
STRAY_CELL_METADATA = {"execution", "ExecuteTime", "collapsed", "scrolled",
                       "jupyter", "pycharm", "vscode", "colab", "id",
                       "outputId", "executionInfo", "papermill"}
#: What a notebook's own metadata may hold (jupytext's pairing is allowed).
NOTEBOOK_METADATA = {"kernelspec", "language_info", "jupytext"}


def text_of(output):
    """Every text an output shows (images left out: base64 is not text)."""
    parts = [output.get("text", ""), output.get("ename", ""),
             output.get("evalue", "")]
    for mime, value in output.get("data", {}).items():
        if not mime.startswith("image/") or mime == "image/svg+xml":
            parts.append(value if isinstance(value, str) else
                         json.dumps(value))
    return "".join(p if isinstance(p, str) else "".join(p) for p in parts)


def assert_stored_clean(nb, rerun):
    """Fail unless notebook ``nb`` (parsed JSON) is stored clean.

    ``rerun`` is the advice every message ends with.
    """
    assert nb["nbformat"] == 4
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(
        range(1, len(code) + 1)), rerun
    assert [c.get("id") for c in nb["cells"]] == [
        f"cell-{i:02d}" for i in range(len(nb["cells"]))], \
        "cell ids are not the normalised cell-00, cell-01, ...: " + rerun
    assert not [c for c in code if not "".join(c["source"]).strip()], \
        "an empty code cell: delete it"
    outputs = [o for c in code for o in c["outputs"]]
    assert outputs, "committed without outputs"
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], \
        "stderr in a stored output (warnings or logs): fix the cause"
    for cell in code:
        for out in cell["outputs"]:
            if "execution_count" in out:
                assert out["execution_count"] == cell["execution_count"], \
                    rerun
            assert "execution" not in out.get("metadata", {}), rerun
            assert "application/vnd.jupyter.widget-view+json" not in \
                out.get("data", {}), "an interactive widget's state"
            found = ABSOLUTE_PATH.search(text_of(out))
            assert not found, (
                f"an absolute path ({found.group(0)}...) in an output of "
                f"cell {cell['id']}: print paths relative to the notebook "
                "or to the package, not this machine's")
    metadata = nb["metadata"]
    assert set(metadata) <= NOTEBOOK_METADATA, (
        f"machine-specific notebook metadata "
        f"{sorted(set(metadata) - NOTEBOOK_METADATA)} (widgets, editor or "
        f"Colab state): {rerun}")
    assert metadata["kernelspec"] == {
        "name": "python3", "display_name": "Python 3", "language": "python"}
    assert set(metadata.get("language_info", {})) <= {"name"}
    for cell in nb["cells"]:
        stray = set(cell.get("metadata", {})) & STRAY_CELL_METADATA
        assert not stray, f"cell {cell.get('id')} carries {sorted(stray)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    """Run top to bottom in one fresh kernel, no errors, no machine data.

    ``python scripts/run_notebook.py <notebook>`` stores a notebook so.
    """
    assert_stored_clean(
        json.loads(path.read_text()),
        "re-run with python scripts/run_notebook.py "
        + str(path.relative_to(ROOT)))


def _clean_notebook():
    """A two-cell notebook stored as scripts/run_notebook.py stores one."""
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3",
                                    "display_name": "Python 3",
                                    "language": "python"},
                     "language_info": {"name": "python"}},
        "cells": [
            {"cell_type": "markdown", "id": "cell-00", "metadata": {},
             "source": ["# Title"]},
            {"cell_type": "code", "id": "cell-01", "metadata": {},
             "execution_count": 1, "source": ["print(1)"],
             "outputs": [{"output_type": "stream", "name": "stdout",
                          "text": ["1\n"]}]},
        ],
    }


def _spoil(nb, how):
    code = nb["cells"][1]
    if how == "execution count":
        code["execution_count"] = 7
    elif how == "cell id":
        code["id"] = "3f9a1c"
    elif how == "empty code cell":
        nb["cells"].append({"cell_type": "code", "id": "cell-02",
                            "metadata": {}, "execution_count": 2,
                            "source": ["  \n"], "outputs": []})
    elif how == "stderr":
        code["outputs"].append({"output_type": "stream", "name": "stderr",
                                "text": ["W0000 warning\n"]})
    elif how == "absolute path":
        code["outputs"][0]["text"] = ["saved /root/model.keras\n"]
    elif how == "widget state":
        nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state"
                                     "+json": {}}
    elif how == "kernel":
        nb["metadata"]["kernelspec"]["name"] = "conda-env-py311"
    elif how == "python version":
        nb["metadata"]["language_info"]["version"] = "3.11.7"
    elif how == "cell timing":
        code["metadata"]["execution"] = {"iopub.status.idle": "2026"}
    elif how == "colab metadata":
        code["metadata"]["colab"] = {"base_uri": "https://localhost:8080/"}
    return nb


@pytest.mark.parametrize("how", [
    "execution count", "cell id", "empty code cell", "stderr",
    "absolute path", "widget state", "kernel", "python version",
    "cell timing", "colab metadata"])
def test_hygiene_check_catches(how):
    assert_stored_clean(_clean_notebook(), "")  # the clean one passes
    with pytest.raises(AssertionError):
        assert_stored_clean(_spoil(_clean_notebook(), how), "")


def test_site_builds_without_warnings(built_site):
    """`jupyter-book build` with warnings as errors (tests/conftest.py)."""
    result, html = built_site
    assert result.returncode == 0, \
        result.stdout[-4000:] + result.stderr[-4000:]
    for name in toc_files():
        page = html / f"{name}.html"
        assert page.exists(), f"{page} was not built"
    for path in CHAPTERS:
        page = html / path.relative_to(ROOT).with_suffix(".html")
        n_figures = sum("image/png" in o.get("data", {})
                        for c in json.loads(path.read_text())["cells"]
                        for o in c.get("outputs", []))
        assert page.read_text().count("<img") >= n_figures, page


#: TensorFlow's start-up lines (its C++ log), as a build printed them before
#: _ext/quiet_tensorflow.py: absl's note, then each log line in the form
#: "I0000 00:00:1796234985.257709    8209 file.cc:227] message", and a
#: message's continuation lines; with the GPU build, CUDA and TensorRT notes.
TF_START_UP = re.compile(
    r"absl::InitializeLog"
    r"|^[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]"
    r"|This TensorFlow binary is optimized"
    r"|To enable the following instructions"
    r"|oneDNN custom operations|Could not find cuda drivers|TF-TRT Warning",
    flags=re.M)


def test_tf_start_up_pattern_catches_tensorflows_lines():
    # What TensorFlow 2.21 (CPU) prints with TF_CPP_MIN_LOG_LEVEL=0, and a
    # line of the same form from a GPU build.
    printed = (
        "WARNING: All log messages before absl::InitializeLog() is called "
        "are written to STDERR\n"
        "I0000 00:00:1796234985.257709    8209 cpu_feature_guard.cc:227] This "
        "TensorFlow binary is optimized to use available CPU instructions in "
        "performance-critical operations.\n"
        "To enable the following instructions: AVX2 FMA, in other "
        "operations, rebuild TensorFlow with the appropriate compiler flags.\n"
        "E0000 00:00:1721813402.127375    3215 cuda_dnn.cc:8310] Unable to "
        "register cuDNN factory\n")
    assert all(TF_START_UP.search(line) for line in printed.splitlines())
    # The glog form alone, whatever the message.
    assert TF_START_UP.search("W0000 00:00:17.5 12 gpu_device.cc:2344] x")
    assert not TF_START_UP.search(
        "reading sources... [ 70%] chapters/07-beyond-point-forecasts\n"
        "WARNING: py:meth reference target not found: predict\n")


def test_build_log_has_no_tensorflow_start_up_lines(built_site):
    """The API reference imports lstmbook, so TensorFlow starts during the
    build; its start-up notes must not bury the build's own messages
    (tests/conftest.py builds with TensorFlow's log fully on)."""
    result, _ = built_site
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if TF_START_UP.search(line)]
    assert not lines, "TensorFlow's start-up lines in the build log:\n" + \
        "\n".join(lines)
