"""Every public lstmbook function names the chapter that teaches it."""

import re
import sys
from pathlib import Path

import pytest

import lstmbook as lb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from chapter_links import chapter_pages  # noqa: E402


def chapter_titles():
    """The first-level heading of every page of the book.

    The same reading of the pages the site build uses to link a
    docstring's chapter (``_ext/chapter_links.py``).
    """
    return set(chapter_pages(ROOT))


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
