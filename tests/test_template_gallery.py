"""The template gallery: complete, current, and every template runs."""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

import lstmbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_gallery  # noqa: E402

PAGE = make_gallery.OUT
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)


def block(framing, architecture):
    marker = f"# template: {framing} / {architecture}\n"
    found = [b for b in BLOCKS if b.startswith(marker)]
    assert len(found) == 1, f"{marker.strip()} appears {len(found)} times"
    return found[0]


def test_gallery_page_is_up_to_date():
    assert PAGE.read_text() == make_gallery.page(), \
        "run python scripts/make_gallery.py and commit the page"


def test_gallery_covers_every_sensible_combination():
    pairs = make_gallery.combinations()
    assert len(pairs) == len(BLOCKS) == 36
    assert {a for _, a in pairs} == set(make_gallery.ARCHITECTURES)
    assert {f for f, _ in pairs} == set(make_gallery.FRAMINGS)
    for framing in make_gallery.FRAMINGS:  # five shared architectures each
        assert sum(f == framing for f, _ in pairs) >= 5


@pytest.mark.parametrize("framing, architecture", make_gallery.combinations(),
                         ids="/".join)
def test_template_builds_and_trains(framing, architecture, monkeypatch,
                                    capsys):
    """Run the block as written, with training cut to 2 epochs."""
    real_fit = lstmbook.fit
    monkeypatch.setattr(lstmbook, "fit", lambda model, X, y, epochs, **kw:
                        real_fit(model, X, y, 2, **kw))
    namespace = {}
    exec(compile(block(framing, architecture), "<template>", "exec"),
         namespace)
    X, y, yhat = namespace["X"], namespace["y"], namespace["yhat"]
    assert yhat.shape[0] == 1 and np.isfinite(yhat).all()
    assert yhat.size == int(np.prod(y.shape[1:]))
    assert namespace["model"].input_shape == (None, *X.shape[1:])
    assert "close to" not in capsys.readouterr().out  # it printed yhat
