"""The template gallery: complete, current, and every template runs.

The toy templates (framing x architecture) are built and trained briefly
in this process. The real-data recipes run in full, each alone in a fresh
Python process started in an empty folder with ``lstmbook`` from the wheel
the notebooks use (as ``tests/test_templates.py`` runs the chapters'
templates), and their printed forecast is checked: the dates after the
data's last one, and numbers that make sense.
"""

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from reader_run import run_alone

import lstmbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_gallery  # noqa: E402

PAGE = make_gallery.OUT
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
TOY_BLOCKS = [b for b in BLOCKS if b.startswith("# template: ")]
REAL_BLOCKS = [b for b in BLOCKS if b.startswith("# real data: ")]


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
    assert len(pairs) == len(TOY_BLOCKS) == 37
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


def test_gallery_has_the_real_data_recipes_after_the_toy_templates():
    assert len(REAL_BLOCKS) == len(make_gallery.REAL_DATA) == 5
    assert len(BLOCKS) == len(TOY_BLOCKS) + len(REAL_BLOCKS)
    assert BLOCKS[-len(REAL_BLOCKS):] == REAL_BLOCKS  # a section at the end
    text = PAGE.read_text()
    section = text[text.index("\n## Real data\n"):]
    for title, _, code in make_gallery.REAL_DATA.values():
        assert f"### {title}" in section and f"{code}\n" in section
        assert code.startswith("# real data: ")


# --- the real-data recipes, run as a reader runs them ------------------------

DATED_ROW = re.compile(r"^(\d{4}-\d{2}-\d{2})((?:\s+-?\d+(?:\.\d+)?)+)\s*$",
                       flags=re.M)


def run_recipe(key, folder, site):
    """Run a real-data recipe alone; its stdout, or fail with its stderr."""
    stdout = run_alone(make_gallery.REAL_DATA[key][2], folder, site,
                       f"the real-data recipe {key!r}")
    assert list(folder.iterdir()) == [], "it wrote into the working folder"
    return stdout


def dated_rows(output):
    """{date: [numbers]} for every printed row that starts with a date."""
    rows = {}
    for date, numbers in DATED_ROW.findall(output):
        assert date not in rows, f"{date} is printed twice:\n{output}"
        rows[date] = [float(x) for x in numbers.split()]
    return rows


def expected_dates(data, horizon):
    return [str(d.date()) for d in lstmbook.future_index(data, horizon)]


def columns(header):
    """The column names of a printed table's header (2+ spaces apart)."""
    return re.split(r"\s{2,}", header.strip())


def method_scores(output, methods):
    """{method: [numbers]} from the rows of a printed score table."""
    scores = {}
    for method in methods:
        found = re.findall(rf"^{method}((?:\s+\d+\.\d+)+)\s*$", output,
                           flags=re.M)
        assert len(found) == 1, f"no row for {method!r} in:\n{output}"
        scores[method] = [float(x) for x in found[0].split()]
    return scores


class TestRealDataRecipes:
    """The CSV recipe in full (a class of its own: xdist may run it
    apart)."""

    def test_csv_recipe_forecasts_dated_intervals(self, tmp_path,
                                                  lstmbook_wheel):
        output = run_recipe("csv", tmp_path, lstmbook_wheel.site)
        rows = dated_rows(output)
        # the 12 months after the stand-in file's last one, in order
        assert list(rows) == expected_dates(lstmbook.load_airline(), 12)
        for date, values in rows.items():
            assert len(values) == 5, f"{date}: {values}"  # forecast, 2 bands
            forecast, low80, high80, low95, high95 = values
            assert low95 <= low80 < forecast < high80 <= high95, date
            assert 300 < forecast < 800, date  # thousands of passengers
        scores = method_scores(output, ["LSTM", "seasonal naive"])
        assert scores["LSTM"][1] < scores["seasonal naive"][1]  # MASE
        assert "reloaded, same forecast: True" in output

class TestPanelRecipe:
    """The many-series recipe, a class of its own so that xdist can run it
    beside the CSV recipe (each takes about half a minute)."""

    def test_panel_recipe_forecasts_every_series(self, tmp_path,
                                                 lstmbook_wheel):
        output = run_recipe("panel", tmp_path, lstmbook_wheel.site)
        lines = output.splitlines()
        panel = lstmbook.load_us_employment()
        sectors = ["construction", "education_and_health_services",
                   "financial_activities", "manufacturing"]
        # the forecast: a header of series names, then one row per date
        header = lines[[line.split() for line in lines].index(["date"]) - 1]
        order = columns(header)
        assert sorted(order) == sectors, header
        rows = dated_rows(output)
        assert list(rows) == expected_dates(panel, 12)
        last = panel[order].iloc[-1].to_numpy()
        for date, values in rows.items():
            assert len(values) == len(order), f"{date}: {values}"
            # a year ahead, each series within a quarter of its last value
            assert np.all(np.abs(np.array(values) / last - 1) < 0.25), date
        # the MASE table: one row per series, one column per method
        methods = columns(next(line for line in lines
                               if line.startswith("method ")))[1:]
        assert sorted(methods) == ["global LSTM", "naive", "seasonal naive"]
        mase = np.array(list(method_scores(output, sectors).values()))
        mean = dict(zip(methods, mase.mean(axis=0)))
        assert mean["global LSTM"] < mean["naive"], mean


class TestKnownInputsRecipe:
    """The recipe with planned promotions, a class of its own for xdist."""

    def test_known_recipe_forecasts_the_planned_weeks(self, tmp_path,
                                                      lstmbook_wheel):
        output = run_recipe("known", tmp_path, lstmbook_wheel.site)
        scores = method_scores(output, ["LSTM", "seasonal naive"])
        assert all(len(v) == 2 and v[1] > 0 for v in scores.values())
        rows = dict(re.findall(r"^(\d+)\s+(-?\d+\.\d+)\s*$", output,
                               flags=re.M))
        assert list(rows) == [str(w) for w in range(144, 157)], output
        sales = lstmbook.load_promotions()["sales"]
        values = np.array([float(v) for v in rows.values()])
        # weekly sales, within the range the series has ever had
        assert np.all((values > 0.5 * sales.min())
                      & (values < 1.5 * sales.max())), values


class TestPanelInputsRecipe:
    """The many-series recipe with a known and a static input, a class of
    its own for xdist."""

    def test_panel_inputs_recipe_forecasts_every_seat(self, tmp_path,
                                                      lstmbook_wheel):
        output = run_recipe("panel_inputs", tmp_path, lstmbook_wheel.site)
        lines = output.splitlines()
        data = lstmbook.load_road_casualties()
        seats = ["drivers", "front", "rear"]
        header = lines[[line.split() for line in lines].index(["date"]) - 1]
        assert columns(header) == seats, header
        rows = dated_rows(output)
        assert list(rows) == expected_dates(data, 12)
        low, high = data[seats].min().to_numpy(), data[seats].max().to_numpy()
        for date, values in rows.items():
            # monthly casualties, within the range each seat has ever had
            assert np.all((np.array(values) > 0.5 * low)
                          & (np.array(values) < 1.5 * high)), date
        methods = columns(next(line for line in lines
                               if line.startswith("method ")))[1:]
        assert methods == ["global LSTM", "seasonal naive"]
        mase = np.array(list(method_scores(output, seats).values()))
        assert mase.mean(axis=0)[0] < mase.mean(axis=0)[1], mase


class TestDistributionRecipe:
    """The recipe with a quantile head, a class of its own for xdist."""

    def test_distribution_recipe_checks_and_forecasts_quantiles(
            self, tmp_path, lstmbook_wheel):
        output = run_recipe("distribution", tmp_path, lstmbook_wheel.site)
        rows = dated_rows(output)
        wine = lstmbook.load_wineind()
        assert list(rows) == expected_dates(wine, 12)
        for date, values in rows.items():
            assert len(values) == 5, f"{date}: {values}"
            forecast, low80, high80, low95, high95 = values
            assert low95 <= low80 <= forecast <= high80 <= high95, date
            assert 0.3 * wine.min() < forecast < 1.5 * wine.max(), date
        # the backtest's scores: level, coverage, mean width, Winkler
        scored = re.findall(r"^(?:forecast)?\s+(0\.80|0\.95)\s+(\d\.\d+)"
                            r"\s+(\d+\.\d+)\s+(\d+\.\d+)\s*$", output,
                            flags=re.M)
        assert [level for level, *_ in scored] == ["0.80", "0.95"], output
        for level, covered, width, winkler in scored:
            assert 0.3 <= float(covered) <= 1.0, output
            assert float(winkler) >= float(width) > 0, output
