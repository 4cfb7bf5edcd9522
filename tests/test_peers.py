"""The peer comparison (benchmarks/peers.py): the stored table and the parts
of the script that need no peer library.

neuralforecast, torch and skforecast are installed for that benchmark only
(benchmarks/requirements-peers.txt, a virtual environment of its own), so
these tests run without them: they read the stored ``peers.csv`` and call
the script's own helpers (the long format, the groups of one length, the
choice of the tuned setting), which import no peer.
"""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from benchmark_script import benchmark

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
RESULTS = ROOT / "lstmbook" / "data" / "results"
PEERS = ("neuralforecast", "skforecast")
BOOK = "lstmbook"


@pytest.fixture(scope="module")
def peers():
    """benchmarks/peers.py as a module."""
    return benchmark("peers")


@pytest.fixture(scope="module")
def table():
    return pd.read_csv(RESULTS / "peers.csv", keep_default_na=False)


def number(value):
    return float(value) if value != "" else math.nan


def test_importing_the_script_imports_no_peer():
    """A fresh interpreter: importing peers.py loads no peer library (nor
    TensorFlow): they are imported inside the functions that run them."""
    code = ("import sys; sys.path.insert(0, 'benchmarks'); import peers; "
            "print(' '.join(sorted(m for m in ('torch', 'neuralforecast', "
            "'skforecast', 'tensorflow', 'keras') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_table_has_the_columns_in_order(peers, table):
    assert tuple(table.columns) == peers.COLUMNS


def test_one_test_row_per_library_and_setting(peers, table):
    test = table[table["stage"] == "test"]
    keys = list(zip(test["library"], test["setting"]))
    assert len(keys) == len(set(keys))
    for library in PEERS:
        rows = test[test["library"] == library]
        assert "defaults" in set(rows["setting"]), library
        assert set(rows["setting"]) <= set(peers.SETTINGS[library])
        assert 1 <= len(rows) <= 2
        assert set(rows["role"]) <= {"defaults", "tuned"}
    assert (test["library"] == BOOK).any()
    assert set(table["stage"]) == {"validation", "test"}


def test_every_setting_was_scored_on_validation(peers, table):
    val = table[table["stage"] == "validation"]
    for library in PEERS:
        assert set(val.loc[val["library"] == library, "setting"]) == set(
            peers.SETTINGS[library]), library


def test_tuned_setting_is_the_validation_choice(peers, table):
    rows = table.to_dict("records")
    for library in PEERS:
        chosen = peers.choose(rows, library)
        test = table[(table["stage"] == "test")
                     & (table["library"] == library)]
        assert chosen in set(test["setting"]), library
        if chosen != "defaults":
            assert test.loc[test["setting"] == chosen, "role"].item() \
                == "tuned"


def test_scores_are_finite_and_positive(table):
    ok = table[~table["notes"].str.contains("FAILED")]
    for key in ("sMAPE", "MAPE", "MASE", "OWA"):
        values = ok[key].map(number)
        assert np.isfinite(values).all() and (values > 0).all(), key
    assert (ok["n_series"] == 1428).all()
    assert (ok["train_seconds"].map(number) > 0).all()
    assert (ok["predict_seconds"].map(number) >= 0).all()
    failed = table[table["notes"].str.contains("FAILED")]
    assert (failed["OWA"] == "").all()  # a failure carries no score


def test_test_owa_matches_naive2_of_the_competition_table(table):
    comp = pd.read_csv(RESULTS / "competitions.csv")
    naive2 = comp[(comp["subset"] == "M3/monthly")
                  & (comp["method"] == "Naive2")].iloc[0]
    test = table[(table["stage"] == "test") & (table["OWA"] != "")]
    assert len(test)
    for _, r in test.iterrows():
        owa = 0.5 * (number(r["sMAPE"]) / naive2["sMAPE"]
                     + number(r["MASE"]) / naive2["MASE"])
        # the stored means are rounded (sMAPE 3, MASE 4 decimals)
        assert number(r["OWA"]) == pytest.approx(owa, abs=6e-4), (
            r["library"], r["setting"])


def test_peers_requirements_stay_out_of_the_books():
    book = (ROOT / "requirements.txt").read_text()
    assert "requirements-peers" not in book
    for name in ("torch", "neuralforecast", "skforecast"):
        assert not any(line.strip().lower().startswith(name)
                       for line in book.splitlines()), name
    peers_req = (BENCHMARKS / "requirements-peers.txt").read_text()
    pins = [line.split(";")[0].strip() for line in peers_req.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    assert all("==" in pin for pin in pins), pins
    names = {pin.split("==")[0].lower() for pin in pins}
    assert {"neuralforecast", "torch", "skforecast"} <= names
    assert "download.pytorch.org/whl/cpu" in peers_req


def test_long_format_keeps_values_and_order(peers):
    panel = pd.DataFrame({"a": [np.nan, 1.0, 2.0], "b": [5.0, 6.0, 7.0]},
                         index=pd.Index([-2, -1, 0], name="step"))
    long = peers.long_format(panel)
    assert list(long.columns) == ["unique_id", "ds", "y"]
    assert list(long["unique_id"]) == ["a", "a", "b", "b", "b"]
    assert list(long["ds"]) == [-1, 0, -2, -1, 0]
    assert list(long["y"]) == [1.0, 2.0, 5.0, 6.0, 7.0]


def test_wide_format_round_trip(peers):
    h = 3
    fc = pd.DataFrame({"unique_id": ["b"] * h + ["a"] * h,
                       "ds": [3, 1, 2, 1, 2, 3],
                       "LSTM": [30.0, 10, 20, 1, 2, 3]})
    wide = peers.wide_format(fc, "LSTM", ["a", "b"], horizon=h)
    assert list(wide.columns) == ["a", "b"]
    assert list(wide.index) == [1, 2, 3]
    assert list(wide["b"]) == [10.0, 20.0, 30.0]
    with pytest.raises(ValueError, match="forecast steps"):
        peers.wide_format(fc, "LSTM", ["a", "b"], horizon=4)


def test_length_groups_have_no_gaps(peers):
    panel = pd.DataFrame({"x": [np.nan, 1.0, 2.0, 3.0],
                          "y": [1.0, 2.0, 3.0, 4.0],
                          "z": [np.nan, 7.0, 8.0, 9.0]})
    groups = peers.length_groups(panel)
    assert sorted(groups) == [3, 4]
    assert list(groups[3].columns) == ["x", "z"]
    assert not groups[3].isna().any().any()
    assert list(groups[3]["z"]) == [7.0, 8.0, 9.0]
    assert list(groups[4].columns) == ["y"]


def test_group_lags_leave_one_sample(peers):
    assert peers.group_lags(12, 100) == 12
    assert peers.group_lags(24, 30) == 12  # 30 - 18
    assert peers.group_lags(24, 30, horizon=18) + 18 <= 30


def test_choose_takes_the_lowest_validation_owa(peers):
    rows = [
        {"library": "skforecast", "stage": "validation",
         "setting": "defaults", "OWA": 1.2},
        {"library": "skforecast", "stage": "validation",
         "setting": "lags=12, 30 epochs", "OWA": 0.9},
        {"library": "skforecast", "stage": "validation",
         "setting": "lags=24, 30 epochs", "OWA": ""},  # failed
        {"library": "skforecast", "stage": "test",
         "setting": "lags=24, 30 epochs", "OWA": 0.1},  # never looked at
    ]
    assert peers.choose(rows, "skforecast") == "lags=12, 30 epochs"
    tie = [dict(r, OWA=0.9) if r["setting"] == "defaults" else r
           for r in rows]
    assert peers.choose(tie, "skforecast") == "defaults"
    with pytest.raises(ValueError, match="no validation score"):
        peers.choose(rows, "neuralforecast")
