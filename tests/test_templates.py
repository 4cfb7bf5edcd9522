"""Every chapter's Template cell runs alone, as a reader copies it.

A chapter ends its recipe with a ``## Template`` section (CONTRIBUTING.md,
step 8): a markdown heading "Template", then one code cell that is the whole
recipe in a copyable block. A reader pastes that block into an empty
notebook or a file, without the chapter's earlier cells. So each template
runs here alone, in a fresh Python process started in an empty folder, with
``lstmbook`` from the wheel the notebooks use (the ``lstmbook_wheel``
fixture of the root ``conftest.py``), and must exit with status 0 within
five minutes (each takes 5-25 s on an idle 2-core machine). Other code
cells in a Template section (a check that the template reproduces the
chapter, which needs the chapter's variables) are not templates.

One test per template: ``TestTemplate_<part>_<chapter>::test_runs_alone[k]``
for the chapter's k-th Template cell. The tests of each chapter sit in a
class of their own because the suite runs with ``--dist loadscope``
(``pyproject.toml``), which keeps each module, or each class, whole on one
worker: with one function parametrized over every chapter, all of this
file's templates would run on a single worker; with a class per chapter,
``-n 2`` shares them out. The classes are defined slowest first
(``slow_first``), so that the run does not end on a long template.
"""

import json
import re
from pathlib import Path

import pytest
from reader_run import run_alone

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").rglob("*.ipynb"))
HEADING = re.compile(r"^#{1,6}\s+Template\s*$", flags=re.M | re.I)


def templates(path):
    """The source of each Template cell of a notebook, in order.

    A Template cell is the first code cell after a markdown cell that has a
    heading "Template".
    """
    found, waiting = [], False
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and HEADING.search(source):
            waiting = True
        elif cell["cell_type"] == "code" and waiting:
            found.append(source)
            waiting = False
    return found


def chapter_id(path):
    return path.relative_to(ROOT / "chapters").with_suffix("").as_posix()


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_every_chapter_has_a_template(path):
    assert templates(path), (
        f"{chapter_id(path)} has no Template cell: a markdown heading "
        "'## Template' followed by one code cell with the whole recipe")


def template_tests(path):
    """A test class for the Template cells of one chapter."""

    class Chapter:
        @pytest.mark.parametrize("k", range(len(templates(path))))
        def test_runs_alone(self, k, tmp_path, lstmbook_wheel):
            run_alone(templates(path)[k], tmp_path, lstmbook_wheel.site,
                      f"the template of {chapter_id(path)}")

    name = "TestTemplate_" + re.sub(r"\W", "_", chapter_id(path))
    Chapter.__name__ = Chapter.__qualname__ = name
    return Chapter


def slow_first(path):
    """The order the chapters' classes are defined, and so run, in.

    With ``--dist loadscope`` each class is one unit of work, and units of
    one test are handed out last, in the order they are collected, each
    worker taking the next when it is nearly done. Real-data templates
    take 15-45 s each, toy ones about 10 s (most of it TensorFlow starting);
    were a real-data one last, one worker could still be running it long
    after the other ran out of work. So templates that train on a shipped
    dataset (they call a ``load_`` function) come first, longer recipes
    before shorter ones, and the quick toy templates fill in at the end.
    (Only the order changes: every test and its id are the same.)
    """
    source = "".join(templates(path))
    return ("load_" not in source, -len(source), chapter_id(path))


for _path in sorted(CHAPTERS, key=slow_first):
    _class = template_tests(_path)
    globals()[_class.__name__] = _class
