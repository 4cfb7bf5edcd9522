"""Every chapter ends its recipe with a Template cell.

A chapter's ``## Template`` section (CONTRIBUTING.md, step 8) is a
markdown heading "Template", then one code cell that is the whole recipe
in a copyable block. A reader pastes that block into an empty notebook or
a file, without the chapter's earlier cells. The root ``conftest.py``
runs each Template cell that way under nbval: in a kernel of its own,
started in an empty folder, with ``lstmbook`` from the test wheel, and
compares its outputs with the stored ones (``test_wheel.py`` checks that
a template needing an earlier cell fails there). This module checks that
every chapter has one, and how Template cells are found.
"""

import json
from pathlib import Path

import pytest
from reader_run import template_cells

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").rglob("*.ipynb"))


def chapter_id(path):
    return path.relative_to(ROOT / "chapters").with_suffix("").as_posix()


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_every_chapter_has_a_template(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert template_cells(cells), (
        f"{chapter_id(path)} has no Template cell: a markdown heading "
        "'## Template' followed by one code cell with the whole recipe")


def _cell(kind, source):
    return {"cell_type": kind, "source": source}


def test_template_cells_are_numbered_as_nbval_numbers_code_cells():
    cells = [_cell("markdown", "# Title"), _cell("code", "a = 1"),
             _cell("markdown", "## Template\n\nCopy this."),
             _cell("code", "print(1)"), _cell("markdown", "## Summary")]
    assert template_cells(cells) == {1: False}
    cells.append(_cell("code", "assert a == 1"))
    assert template_cells(cells) == {1: True}
    # only the first code cell after the heading is the template
    cells.insert(4, _cell("code", "print(2)"))
    assert template_cells(cells) == {1: True}
    # a heading that is not exactly "Template" starts no template
    assert template_cells([_cell("markdown", "## Templates"),
                           _cell("code", "x")]) == {}
