"""Sphinx extension: each page loads each script once.

sphinx-thebe (which Jupyter Book always loads) adds an inline script that
declares ``const THEBE_JS_URL`` after Sphinx's HTML builder has started, and
Sphinx 7 then writes that script into every page twice. The second copy
throws "Identifier 'THEBE_JS_URL' has already been declared" in every
reader's browser console. This drops exact repeats from a page's scripts;
``tests/test_browser.py`` fails on any console error, so it would notice if
the problem came back in another form.
"""


def _key(script):
    """What makes two scripts the same. An inline script is registered once
    with ``filename=None`` and once with ``filename=""``, which Sphinx's own
    check tells apart, so both count as no file here."""
    attributes = getattr(script, "attributes", {}) or {}
    return (getattr(script, "filename", None) or "",
            tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True,
            "version": "1.0"}
