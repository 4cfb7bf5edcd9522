r"""Sphinx extension: the site serves MathJax itself, with no CDN.

By default Sphinx loads MathJax from a CDN, so a reader without network
sees raw TeX such as ``\(\lceil 20 \cdot 0.95 \rceil = 19\)``. MathJax 3's
browser build ships in the PyPI package ``django-static-mathjax`` (import
name ``mathjax``; it installs no Django), which requirements.txt installs.
This copies its browser build (``es5``) into the site as
``_static/mathjax/`` and points ``mathjax_path`` at the same bundle the CDN
would serve, ``tex-mml-chtml.js``. It is MathJax 3, as on the CDN, so the
``mathjax3_config`` that Sphinx and MyST write applies unchanged.

``tests/test_browser.py`` opens a page with math, with every request off
this machine blocked, and checks that MathJax typeset it.
"""

import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

#: The bundle Sphinx's default CDN address names (TeX and MathML input,
#: HTML-CSS output), relative to the site's ``_static`` folder.
SCRIPT = "mathjax/tex-mml-chtml.js"


def mathjax_folder() -> Path:
    """MathJax 3's browser files, as the installed package ships them."""
    try:
        import mathjax
    except ImportError as err:
        raise ExtensionError(
            "MathJax is not installed: python -m pip install -r "
            "requirements.txt (package django-static-mathjax)") from err
    folder = Path(mathjax.__file__).parent / "static" / "mathjax"
    if not (folder / "es5" / Path(SCRIPT).name).is_file():
        raise ExtensionError(f"{folder} holds no MathJax 3 es5 build; "
                             "install django-static-mathjax>=3.2.2,<4")
    return folder


def use_local_mathjax(app, config):
    mathjax_folder()  # fail early, with the fix, if it is missing
    config.mathjax_path = SCRIPT


def copy_mathjax(app, exception):
    """Copy the bundle the pages load and the folders of the parts it loads
    when a page needs them (fonts, TeX extensions, menu, accessibility).
    MathJax's other bundles (SVG output, ...) are 14 MB that no page uses."""
    if exception is not None or app.builder.format != "html":
        return
    es5 = mathjax_folder() / "es5"
    target = Path(app.outdir) / "_static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(es5 / Path(SCRIPT).name, target)
    for part in es5.iterdir():
        if part.is_dir():
            shutil.copytree(part, target / part.name, dirs_exist_ok=True)
    shutil.copy2(es5.parent / "LICENSE", target)  # Apache-2.0


def setup(app):
    app.connect("config-inited", use_local_mathjax)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True,
            "version": "1.0"}
