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


def _is_section_header(lines, i):
    """A numpy-style section header: a title underlined with dashes."""
    return (i + 1 < len(lines) and lines[i].strip()
            and set(lines[i + 1].strip()) == {"-"})


def move_chapter_paragraph(lines):
    """Put the ``Chapter:`` paragraph before the first numpy section.

    A ``Chapter:`` line written after a ``Parameters`` section would
    otherwise be read by napoleon as one more parameter (named "Chapter"),
    and its link would be lost. Changes ``lines`` in place.
    """
    start = next((i for i, line in enumerate(lines)
                  if line.lstrip().startswith("Chapter")), None)
    first_section = next((i for i in range(len(lines))
                          if _is_section_header(lines, i)), None)
    if start is None or first_section is None or start < first_section:
        return
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    paragraph = [line.strip() for line in lines[start:end]]
    del lines[start:end]
    lines[first_section:first_section] = paragraph + [""]


def link_chapters(app, what, name, obj, options, lines):
    pages = app.env.chapter_pages
    move_chapter_paragraph(lines)
    in_paragraph = False  # the Chapter paragraph may run over lines
    for i, line in enumerate(lines):
        if line.lstrip().startswith("Chapter"):
            in_paragraph = True
        elif not line.strip():
            in_paragraph = False
        if not in_paragraph:
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
    # Before napoleon (priority 500) turns numpy sections into fields.
    app.connect("autodoc-process-docstring", link_chapters, priority=400)
    return {"parallel_read_safe": True, "version": "1.0"}
