"""Every public lstmbook function names the chapter that teaches it."""

import json
import re
from pathlib import Path

import pytest

import lstmbook as lb

ROOT = Path(__file__).resolve().parents[1]


def chapter_titles():
    """The first-level heading of every page of the book."""
    titles = set()
    for path in (ROOT / "chapters").rglob("*"):
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            text = "".join(cells[0]["source"]) if cells else ""
        elif path.suffix == ".md":
            text = path.read_text()
        else:
            continue
        match = re.search(r"^# (.+)$", text, flags=re.M)
        if match:
            titles.add(match.group(1).strip())
    return titles


@pytest.mark.parametrize("name", lb.__all__)
def test_docstring_names_an_existing_chapter(name):
    doc = getattr(lb, name).__doc__ or ""
    assert "Chapter" in doc, f"{name}'s docstring names no chapter"
    named = re.findall(r'"([^"]+)"', doc.split("Chapter", 1)[1])
    assert named, f"{name}: quote the chapter title after 'Chapter:'"
    titles = chapter_titles()
    for title in named:
        assert any(t.startswith(title) for t in titles), \
            f"{name} names chapter {title!r}, which is not in the book"
