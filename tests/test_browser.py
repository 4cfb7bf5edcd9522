"""Every page of the built site, opened in a real browser (headless Chromium).

The book is built once (``built_site`` in tests/conftest.py) and served from
``127.0.0.1``; Playwright drives the system's Chromium (never a downloaded
one). Nothing outside this machine is fetched: requests to other hosts
(Colab, Binder and keras.io are only links) are answered with an empty
response. For each page the test checks that

* it loads without a console error, an uncaught exception or a failed
  request to the site itself;
* it shows its title (the first heading of its source file);
* every image has loaded (``naturalWidth > 0``);
* a chapter notebook's "Open in Colab" and "Launch Binder" buttons open that
  same notebook (its ``.ipynb`` path in the repository, which exists);
* no internal link is broken (the page exists, and so does its ``#anchor``).

A page with math is typeset by the MathJax that the site serves itself
(``_ext/offline_mathjax.py``), with the network blocked as above.

It also saves screenshots of the introduction, of one chapter and of a
page with math in ``_build/screenshots/``, and checks the API reference:
every public name of ``lstmbook`` is documented there with a link into a
chapter.

Chromium: ``LSTMBOOK_CHROMIUM=/path/to/chrome``, or the first of chromium,
google-chrome, chromium-browser on the PATH; if none is there and the test
runs as root (or with password-less sudo), it installs Debian's
``chromium`` package, as CI on a fresh machine needs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

import lstmbook

ROOT = Path(__file__).resolve().parents[1]
# The launch buttons open notebooks from the repository and branch of
# _config.yml; each chapter's Colab cell installs lstmbook from the same
# place (tests/test_publishing.py).
_CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
REPOSITORY = urlparse(_CONFIG["url"]).path.strip("/")
BRANCH = _CONFIG["branch"]
COLAB = (f"https://colab.research.google.com/github/{REPOSITORY}/blob/"
         f"{BRANCH}/")
BINDER = (f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}"
          "?urlpath=lab/tree/")
SCREENSHOTS = ROOT / "_build" / "screenshots"
INSTALL = "apt-get update && apt-get install -y chromium"
BROWSERS = ["chromium", "google-chrome", "google-chrome-stable",
            "chromium-browser"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu",
                 "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 "--disable-dev-shm-usage"]


def toc_pages():
    """``(docname, source file)`` of every page in _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            names.append(chapter["file"])
            names += [s["file"] for s in chapter.get("sections", [])]
    pages = []
    for name in names:  # (a listed file that is missing: test_book.py)
        source = next((p for p in ROOT.glob(name + ".*")
                       if p.suffix in (".ipynb", ".md")), None)
        if source is not None:
            pages.append((name, source))
    return pages


def source_title(source: Path) -> str:
    """The first ``# `` heading of a chapter's notebook or markdown file."""
    if source.suffix == ".ipynb":
        cells = json.loads(source.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells
                         if c["cell_type"] == "markdown")
    else:
        text = source.read_text()
    return re.search(r"^# (.+)$", text, flags=re.M).group(1).strip()


PAGES = toc_pages()
#: Pages Sphinx adds to every site.
GENERATED = ["genindex", "search", "py-modindex"]


# --- fixtures -------------------------------------------------------------


def find_chromium():
    explicit = os.environ.get("LSTMBOOK_CHROMIUM")
    if explicit:
        return explicit
    return next(filter(None, map(shutil.which, BROWSERS)), None)


@pytest.fixture(scope="session")
def chromium():
    """Path of a Chromium to drive; installs Debian's when it can."""
    path = find_chromium()
    if path:
        return path
    prefix = None
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and subprocess.run(
            ["sudo", "-n", "true"], capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    if prefix is None or not shutil.which("apt-get"):
        pytest.fail(
            "the browser test needs Chromium. Install it with\n"
            f"    sudo sh -c '{INSTALL}'\n(Debian/Ubuntu), or point "
            "LSTMBOOK_CHROMIUM at a Chrome or Chromium executable.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"],
                ["apt-get", "install", "-y", "chromium"]):
        result = subprocess.run(prefix + cmd, capture_output=True, text=True,
                                env=env, timeout=1200)
        assert result.returncode == 0, (
            f"{' '.join(cmd)} failed:\n{result.stderr[-2000:]}")
    path = find_chromium()
    assert path, f"installed Debian's chromium, yet none of {BROWSERS} is " \
        "on the PATH"
    return path


@pytest.fixture(scope="session")
def html(built_site):
    result, html = built_site
    assert (html / "index.html").exists(), (
        "the site did not build:\n" + result.stdout[-3000:]
        + result.stderr[-3000:])
    return html


@pytest.fixture(scope="session")
def site(html):
    """The built site served on 127.0.0.1; yields its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def context(browser, site):
    """A browser context that fetches only from the local site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(route):
        url = route.request.url
        if url.startswith(site) or url.startswith("data:"):
            route.continue_()
        else:  # never leave this machine
            route.fulfill(status=200, body="")

    context.route("**/*", route)
    yield context
    context.close()


class Visit:
    """One page opened in the browser, with everything that went wrong."""

    def __init__(self, context, site, path):
        self.site = site
        self.problems = []
        self.page = page = context.new_page()
        self.requests = []  # every URL the page asked for
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.problems.append(
            f"uncaught exception: {err}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.goto(site + path, wait_until="load")
        page.wait_for_load_state("networkidle")

    def _local(self, url):
        return url.startswith(self.site)

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            if not where or self._local(where):
                self.problems.append(f"console error: {message.text} "
                                     f"({where})")

    def _failed(self, request):
        if self._local(request.url):
            self.problems.append(
                f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if self._local(response.url) and response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def images(self):
        """``(src, naturalWidth)`` of every image, after they all loaded."""
        return self.page.evaluate("""async () => {
            const images = Array.from(document.images);
            for (const img of images) { img.loading = "eager"; }
            await Promise.all(images.map(img => img.complete ? null :
                new Promise(done => { img.onload = img.onerror = done; })));
            return images.map(img => [img.currentSrc || img.src,
                                      img.naturalWidth]);
        }""")

    def wide_tables(self):
        """Output tables wider than their cell, which the page would cut.

        ``(first header row, table width, cell width)`` of each. The page
        is 1280 pixels wide (the context's viewport), a laptop's browser;
        _static/tables.css sets the tables' compact font.
        """
        return self.page.evaluate("""() => Array.from(
            document.querySelectorAll("div.cell_output table"))
            .map(table => [table.rows[0].innerText.slice(0, 60),
                           table.getBoundingClientRect().width,
                           table.closest("div.cell_output").clientWidth])
            .filter(([, width, room]) => width > room + 1)""")

    def links(self):
        return self.page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href)")

    def close(self):
        self.page.close()


@pytest.fixture
def visit(context, site):
    opened = []

    def open_page(path):
        opened.append(Visit(context, site, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def heading(page):
    """The page's first non-empty main heading, without its ``#`` link."""
    texts = page.page.locator("main h1").all_inner_texts()
    return next((text.strip().rstrip("#").strip() for text in texts
                 if text.strip()), "")


@functools.lru_cache(maxsize=None)
def ids_in(file: Path) -> frozenset:
    return frozenset(re.findall(r'\bid="([^"]+)"', file.read_text()))


def broken_links(links, site, html):
    """Internal links whose page or ``#anchor`` does not exist."""
    broken = []
    for link in links:
        if not link.startswith(site):
            continue
        url, fragment = urldefrag(link)
        path = unquote(urlparse(url).path).lstrip("/")
        file = html / path
        if file.is_dir() or not path:
            file = file / "index.html"
        if not file.is_file():
            broken.append(f"{link}: no such page")
        elif fragment and file.suffix == ".html" and \
                unquote(fragment) not in ids_in(file):
            broken.append(f"{link}: no anchor #{fragment}")
    return broken


# --- tests ----------------------------------------------------------------


def test_every_built_page_is_checked(html):
    built = {p.relative_to(html).with_suffix("").as_posix()
             for p in html.rglob("*.html")
             if not p.relative_to(html).parts[0].startswith("_")}
    checked = {name for name, _ in PAGES} | set(GENERATED) | {"index"}
    assert built <= checked, f"pages no test opens: {built - checked}"


@pytest.mark.parametrize("name,source", PAGES, ids=[n for n, _ in PAGES])
def test_page(visit, site, html, name, source):
    page = visit(f"{name}.html")
    assert not page.problems, "\n".join(page.problems)

    title = source_title(source)
    h1 = heading(page)  # numbered parts number their chapters: "3. Title"
    assert re.fullmatch(rf"(\d+(\.\d+)*\. )?{re.escape(title)}", h1), \
        f"shows {h1!r}, not the title {title!r}"
    # The tab's title: the chapter's number (numbered parts), its title and
    # the book's.
    assert re.match(rf"(\d+(\.\d+)*\. )?{re.escape(title)} — ",
                    page.page.title()), page.page.title()

    images = page.images()
    assert not [src for src, width in images if width == 0], \
        f"images that did not load: {[s for s, w in images if w == 0]}"
    if source.suffix == ".ipynb":
        stored = sum("image/png" in o.get("data", {})
                     for c in json.loads(source.read_text())["cells"]
                     for o in c.get("outputs", []))
        assert len(images) >= stored, "a stored figure is not on the page"
        assert not page.wide_tables(), (
            "tables wider than the text, cut off at its edge (show fewer "
            f"or shorter columns): {page.wide_tables()}")

    links = page.links()
    colab = [link for link in links if link.startswith(
        "https://colab.research.google.com")]
    binder = [link for link in links if link.startswith("https://mybinder")]
    if source.suffix == ".ipynb":
        notebook = source.relative_to(ROOT).as_posix()
        assert colab == [COLAB + notebook], colab
        assert binder == [BINDER + notebook], binder
        assert (ROOT / notebook).is_file()
    else:
        assert colab == [] and binder == []

    assert not broken_links(links, site, html), \
        "\n".join(broken_links(links, site, html))


@pytest.mark.parametrize("name", GENERATED + ["index"])
def test_generated_page(visit, site, html, name):
    page = visit(f"{name}.html")
    assert not page.problems, "\n".join(page.problems)
    if name == "index":  # redirects to the introduction
        page.page.wait_for_url(re.compile(r".*/chapters/intro\.html$"))
    else:
        assert heading(page)
    assert not broken_links(page.links(), site, html)


def test_screenshots(visit):
    """The introduction and a chapter, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [
            ("intro", "chapters/intro.html"),
            ("vanilla-lstm", "chapters/02-univariate/01-vanilla-lstm.html")]:
        page = visit(path)
        page.images()
        file = SCREENSHOTS / f"{name}.png"
        page.page.screenshot(path=str(file), full_page=True)
        assert file.stat().st_size > 10_000
    # The launch menu of the chapter, open.
    page.page.locator(".dropdown-launch-buttons button").first.hover()
    page.page.get_by_text("Colab").first.wait_for(state="visible")
    page.page.screenshot(path=str(SCREENSHOTS / "launch-buttons.png"))


#: A page with inline math, e.g. ``$\lceil 20 \cdot 0.95 \rceil = 19$``.
MATH_PAGE = "chapters/07-beyond-point-forecasts/02-prediction-intervals.html"


def test_math_is_typeset_offline(visit, site):
    """MathJax comes with the site, not from a CDN: with every request off
    this machine answered empty (the ``context`` fixture), the page's math
    is typeset and no raw TeX is left in its text."""
    page = visit(MATH_PAGE)
    scripts = page.page.eval_on_selector_all(
        "script[src*='mathjax' i]", "scripts => scripts.map(s => s.src)")
    assert scripts and all(src.startswith(site) for src in scripts), \
        f"MathJax does not come from the site: {scripts}"
    loaded = page.page.evaluate("""async () => {
        if (!(window.MathJax && MathJax.startup)) { return false; }
        await MathJax.startup.promise;  // the first typesetting is done
        return true;
    }""")
    assert loaded, "MathJax did not load (see _ext/offline_mathjax.py)"

    n_math = page.page.locator("main .math").count()
    assert n_math >= 5, "the page has lost its math: pick another page"
    assert page.page.locator("main .math mjx-container").count() == n_math
    text = page.page.locator("main").inner_text()
    for raw in ("\\(", "\\)", "\\[", "\\lceil", "\\cdot"):
        assert raw not in text, f"raw TeX {raw!r} is shown on the page"
    offsite = [url for url in page.requests
               if not url.startswith((site, "data:"))]
    assert not offsite, f"requests that leave this machine: {offsite}"

    # For a person to look at: the paragraph with the ceiling of 20 x 0.95.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.page.locator("main .math").filter(has_text="20⋅0.95").first \
        .scroll_into_view_if_needed()
    page.page.screenshot(path=str(SCREENSHOTS / "math.png"))


def test_search_finds_a_chapter(visit):
    """The site's search works offline (its index is a local file)."""
    page = visit("search.html?q=encoder")
    page.page.wait_for_selector("#search-results li", timeout=20_000)
    results = page.page.locator("#search-results li a").all_inner_texts()
    assert any("Encoder-decoder" in r for r in results), results


def test_api_reference_links_every_name_to_its_chapter(html):
    """Every public name of lstmbook is on the API page, with a link to a
    chapter of the book (written by _ext/chapter_links.py)."""
    soup = BeautifulSoup((html / "chapters/appendix/api.html").read_text(),
                         "html.parser")
    chapters = {p.with_suffix("").as_posix() for p in
                (ROOT / "chapters").rglob("*") if p.suffix in (".ipynb",
                                                               ".md")}
    problems = []
    for name in lstmbook.__all__:
        module = getattr(lstmbook, name).__module__
        entry = soup.find("dt", id=f"{module}.{name}")
        if entry is None:
            problems.append(f"{name}: not on the API page (add an automodule "
                            f"section for {module} to "
                            "chapters/appendix/api.md)")
            continue
        body = entry.find_next_sibling("dd")
        targets = set()
        for a in body.find_all("a", class_="reference internal", href=True):
            page = (html / "chapters/appendix" / a["href"].split("#")[0])
            page = page.resolve().relative_to(html.resolve())
            targets.add(page.with_suffix("").as_posix())
        linked = {t for t in targets
                  if (ROOT / t).as_posix() in chapters
                  and t != "chapters/appendix/api"}
        if not linked:
            problems.append(f"{name}: no link to the chapter that teaches it")
    assert not problems, "\n".join(problems)
