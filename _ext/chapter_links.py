"""Sphinx extension: link each docstring's chapter names to the chapter.

Every public ``lstmbook`` function ends its docstring with a line such as
``Chapter: "Vanilla LSTM" (first use); "Reproducibility and speed"``. When
autodoc renders the API reference, this turns each quoted title into a link
to the page whose first heading starts with that title, so a reader can go
from any function to the chapter that teaches it. An unknown title is a
build warning (and the book builds with warnings as errors).
"""

import json
import re
from pathlib import Path

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
QUOTED = re.compile(r'"([^"]+)"')


def chapter_pages(srcdir):
    """Map each page's first heading to its document name."""
    pages = {}
    for path in sorted((Path(srcdir) / "chapters").rglob("*")):
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            text = "".join(cells[0]["source"]) if cells else ""
        elif path.suffix == ".md":
            text = path.read_text()
        else:
            continue
        match = re.search(r"^# (.+)$", text, flags=re.M)
        if match:
            docname = path.relative_to(srcdir).with_suffix("").as_posix()
            pages[match.group(1).strip()] = docname
    return pages


def link_chapters(app, what, name, obj, options, lines):
    pages = app.env.chapter_pages
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("Chapter"):
            continue

        def to_link(match):
            title = match.group(1)
            for heading, docname in pages.items():
                if heading.startswith(title):
                    return f":doc:`{title} </{docname}>`"
            LOGGER.warning("%s names an unknown chapter %r", name, title)
            return match.group(0)

        lines[i] = QUOTED.sub(to_link, line)


def remember_pages(app):
    app.env.chapter_pages = chapter_pages(app.srcdir)


def setup(app):
    app.connect("builder-inited", remember_pages)
    app.connect("autodoc-process-docstring", link_chapters)
    return {"parallel_read_safe": True, "version": "1.0"}
