"""The FAQ answers every question of the book's spec with a chapter link.

The site build (tests/test_book.py, warnings as errors) checks that every
``file.ipynb#section`` link resolves to a real heading; this file checks
that no question is missing and that each answer links into a chapter.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAQ = ROOT / "chapters" / "appendix" / "faq.md"

# One distinctive phrase per question readers ask (BOOK_SPEC.md).
QUESTIONS = [
    "Why don't you scale the data",
    "shifted by one step",
    "into the real future",
    "Every run gives a different answer",
    "Is `units` the number of outputs",
    "How many time steps should each sample have",
    "Does a bidirectional LSTM cheat",
    "own CSV or Excel file",
    "prediction interval",
    "seasonality, trend, differencing",
    "Many series",
    "`[3000, 1, 4000]` or `[3000, 4000, 1]`",
    "Is it better than `tanh`",
    "errors grow with the horizon",
    "Do LSTMs beat ETS",
]


def sections():
    """{question heading: answer text} for every ``###`` heading."""
    parts = re.split(r"^### (.+)$", FAQ.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_question_of_the_spec_has_an_answer():
    headings = list(sections())
    for phrase in QUESTIONS:
        assert any(phrase.lower() in h.lower() for h in headings), \
            f"the FAQ has no question containing {phrase!r}"


@pytest.mark.parametrize("heading", list(sections()))
def test_each_answer_links_to_an_existing_chapter(heading):
    answer = sections()[heading]
    links = re.findall(r"\]\(([^)#]+\.ipynb)(#[^)]*)?\)", answer)
    assert links, f"the answer to {heading!r} links to no chapter"
    for path, _ in links:
        assert (FAQ.parent / path).resolve().is_file(), \
            f"{heading!r} links to {path}, which does not exist"


def test_faq_is_in_the_table_of_contents():
    assert "chapters/appendix/faq" in (ROOT / "_toc.yml").read_text()
