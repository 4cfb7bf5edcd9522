"""Every public lstmbook name names a chapter, and that chapter uses it.

Each docstring ends with a line such as ``Chapter: "Vanilla LSTM"``; the API
reference turns every quoted title into a link (``_ext/chapter_links.py``).
A link is only worth following if the chapter shows the name at work, so
at least one chapter a docstring names must use the name in a code cell.
"""

import ast
import json
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

import lstmbook as lb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from chapter_links import QUOTED, chapter_pages  # noqa: E402


def named_chapters(doc):
    """The titles quoted in a docstring's ``Chapter:`` paragraph.

    The paragraph the site links: from the line that starts with
    "Chapter" to the next blank line, as ``_ext/chapter_links.py`` reads it.
    """
    lines = (doc or "").splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.lstrip().startswith("Chapter")), None)
    if start is None:
        return []
    paragraph = []
    for line in lines[start:]:
        if not line.strip():
            break
        paragraph.append(line)
    return QUOTED.findall(" ".join(paragraph))


@lru_cache(maxsize=None)
def pages():
    """{first heading: page}, the site build's reading of the pages."""
    return chapter_pages(ROOT)


def chapter_file(title):
    """The page a quoted title links to, as the site build resolves it:
    the first page whose first heading starts with the title."""
    for heading, docname in pages().items():
        if heading.startswith(title):
            return next(ROOT.glob(docname + ".*"))
    return None


@lru_cache(maxsize=None)
def names_used(path):
    """Every ``lstmbook`` name the code cells of a notebook refer to.

    ``lb.name`` (or ``lstmbook.name``, whatever the import alias), in a call
    or not (``lb.naive_forecast`` passed as a function counts), and names
    imported with ``from lstmbook import ...``. Comments, strings and
    markdown do not count. A class counts when the chapter refers to it
    (``lb.Scaler().fit(...)``); every public class is created that way.
    """
    if path.suffix != ".ipynb":
        return frozenset()  # a markdown page runs no code
    to_python = TransformerManager().transform_cell  # IPython magics
    trees = [ast.parse(to_python("".join(cell["source"])))
             for cell in json.loads(path.read_text())["cells"]
             if cell["cell_type"] == "code"]
    aliases, used = {"lb", "lstmbook"}, set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                aliases |= {a.asname or a.name for a in node.names
                            if a.name == "lstmbook"}
            elif (isinstance(node, ast.ImportFrom)
                  and node.module == "lstmbook"):
                used |= {a.name for a in node.names}
    for tree in trees:
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in aliases):
                used.add(node.attr)
    return frozenset(used)


@pytest.mark.parametrize("name", lb.__all__)
def test_docstring_names_an_existing_chapter(name):
    doc = getattr(lb, name).__doc__ or ""
    assert "Chapter" in doc, f"{name}'s docstring names no chapter"
    named = named_chapters(doc)
    assert named, f"{name}: quote the chapter title after 'Chapter:'"
    for title in named:
        assert chapter_file(title), \
            f"{name} names chapter {title!r}, which is not in the book"


@pytest.mark.parametrize("name", lb.__all__)
def test_a_named_chapter_uses_it(name):
    named = named_chapters(getattr(lb, name).__doc__)
    files = {title: chapter_file(title) for title in named}
    users = [title for title, path in files.items()
             if path and name in names_used(path)]
    assert users, (
        f"{name}'s docstring names {named}, but no code cell there uses "
        f"lb.{name}. Name the chapter that does: "
        + ", ".join(sorted(str(p.relative_to(ROOT))
                           for p in (ROOT / "chapters").rglob("*.ipynb")
                           if name in names_used(p))))


def test_the_usage_reader_sees_through_aliases_and_ignores_comments(
        tmp_path):
    """The reader of code cells itself: a check that it can fail."""
    cells = [
        {"cell_type": "code", "source": ["import lstmbook as book\n",
                                         "%matplotlib inline\n",
                                         "book.mae([1], [2])  # lb.rmse"]},
        {"cell_type": "code", "source": ["from lstmbook import smape\n",
                                         "f = lstmbook.mase"]},
        {"cell_type": "markdown", "source": ["`lb.summarize(results)`"]},
        {"cell_type": "code", "source": ["print('lb.coverage')"]},
    ]
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    assert names_used(path) == {"mae", "smape", "mase"}
