"""The forecast's data: eligibility rules on a hand-made catalogue, and no leakage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nextseason.fixtures import write_synthetic_data
from nextseason.forecast.dataset import build_dataset, label_outcomes, training_spells
from nextseason.forecast.models import make_model
from nextseason.ingest.build import build
from nextseason.ingest.sources import SOURCES
from nextseason.store import connect

AS_OF = "2021-01-24"


def _catalogue(conn: sqlite3.Connection) -> None:
    """Seven series, each exercising one rule, seen in one snapshot dated 2021-01-24."""
    conn.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash, row_count,"
                 " stored_count) VALUES (1, 'jikan_2021', 'catalogue', ?, 'f', 'h', 0, 0)",
                 (AS_OF,))
    shows = [
        # mal_id, title, type, status, start, end
        (1, "Finished Alone", "TV", "finished", "2019-01-10", "2019-03-28"),
        (2, "Two Seasons", "TV", "finished", "2016-04-01", "2016-06-20"),
        (3, "Two Seasons 2nd Season", "TV", "finished", "2019-10-01", "2019-12-20"),
        (4, "Announced", "TV", "finished", "2018-01-01", "2018-03-20"),
        (5, "Announced 2nd Season", "TV", "not_yet_aired", "2021-04", None),
        (6, "Still On", "TV", "airing", "2020-10-01", None),
        (7, "Film Next", "ONA", "finished", "2019-07-01", "2019-09-20"),
        (8, "Film Next Movie", "Movie", "not_yet_aired", "2021-08", None),
        (9, "No End Date", "TV", "finished", "2005", None),
        (10, "Old Film", "Movie", "finished", "2010-01-01", "2010-01-01"),
        (11, "Web Show", "ONA", "finished", "2020-01-01", "2020-03-01"),
    ]
    for mal_id, title, type_, status, start, end in shows:
        conn.execute("INSERT INTO anime (mal_id, title, type, status, start_date, end_date,"
                     " episodes, first_snapshot, last_snapshot) VALUES (?,?,?,?,?,?,12,1,1)",
                     (mal_id, title, type_, status, start, end))
        conn.execute("INSERT INTO anime_version (mal_id, snapshot_id, title, type, status,"
                     " start_date, end_date, episodes) VALUES (?,1,?,?,?,?,?,12)",
                     (mal_id, title, type_, status, start, end))
        conn.execute("INSERT INTO observation VALUES ('anime', ?, 'members', ?, ?, 1)",
                     (mal_id, 1000 * mal_id, AS_OF))
    for a, b in ((2, 3), (4, 5), (7, 8)):
        conn.execute("INSERT INTO relation VALUES (?, ?, 'anime', 'Sequel', 1)", (a, b))
        conn.execute("INSERT INTO relation VALUES (?, ?, 'anime', 'Prequel', 1)", (b, a))


@pytest.fixture
def hand_made(tmp_path: Path) -> sqlite3.Connection:
    conn = connect(tmp_path / "h.db")
    _catalogue(conn)
    return conn


def test_eligibility_rules(hand_made: sqlite3.Connection) -> None:
    ds = build_dataset(hand_made, AS_OF)
    assert sorted(ds.frame.index) == [1, 3, 11]
    assert ds.frame.at[3, "installment"] == 2 and ds.frame.at[3, "series_first"] == 2
    assert ds.frame.at[1, "elapsed"] == pytest.approx((pd.Timestamp(AS_OF)
                                                       - pd.Timestamp("2019-03-28")).days / 365.25)
    reasons = dict(zip(ds.ineligible["mal_id"], ds.ineligible["reason"], strict=True))
    assert reasons[5].startswith("announced: TV 'Announced 2nd Season' (2021-04)")
    assert reasons[6] == "still airing"
    assert reasons[7].startswith("announced: Movie 'Film Next Movie'")
    assert reasons[9] == "end date unknown"
    assert 2 not in reasons and 4 not in reasons  # earlier seasons are part of a series
    assert 10 not in reasons  # films are not series
    assert ds.latest_of[2] == 3 and ds.latest_of[4] == 5


def test_training_spells(hand_made: sqlite3.Connection) -> None:
    X, spells = training_spells(hand_made, AS_OF)
    assert spells.at[2, "event"] == 1
    assert spells.at[2, "duration"] == pytest.approx(
        (pd.Timestamp("2019-10-01") - pd.Timestamp("2016-06-20")).days / 365.25)
    assert spells.at[4, "event"] == 0  # its sequel had not premiered by as_of
    assert spells.at[1, "event"] == 0
    assert (spells["entry"] == 0).all() and (spells["followup"] >= spells["duration"]).all()
    assert list(X.index) == list(spells.index)
    assert not X.isna().any().any()


def test_labels_come_from_later_data(hand_made: sqlite3.Connection) -> None:
    ds = build_dataset(hand_made, AS_OF)
    hand_made.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash,"
                      " row_count, stored_count) VALUES (2, 'jikan_2025', 'catalogue',"
                      " '2025-03-24', 'f', 'h', 0, 0)")
    hand_made.execute("INSERT INTO anime (mal_id, title, type, status, start_date, end_date,"
                      " first_snapshot, last_snapshot) VALUES (20, 'Finished Alone 2nd Season',"
                      " 'TV', 'finished', '2023-07-01', '2023-09-20', 2, 2)")
    hand_made.execute("INSERT INTO anime_version (mal_id, snapshot_id, title, type, status,"
                      " start_date, end_date) VALUES (20, 2, 'Finished Alone 2nd Season', 'TV',"
                      " 'finished', '2023-07-01', '2023-09-20')")
    hand_made.execute("INSERT INTO sequel_link VALUES (1, 20, 'title', 'x')")
    labels = label_outcomes(hand_made, ds.frame)
    assert labels.at[1, "next_mal_id"] == 20
    assert labels.at[1, "next_start"] == pd.Timestamp("2023-07-01")
    assert pd.isna(labels.at[11, "next_start"])
    # ...and the data set as of 2021 is unchanged by the later snapshot
    again = build_dataset(hand_made, AS_OF)
    pd.testing.assert_frame_equal(ds.X, again.X)


def _build(data: Path, db: Path, upto: str) -> sqlite3.Connection:
    names = [s.name for s in SOURCES]
    keep = [s for s in SOURCES if s.kind != "catalogue" or names.index(s.name)
            <= names.index(upto)]
    build(data, db, sources=keep)
    return connect(db)


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_a_later_snapshot_changes_nothing_before_it(tmp_path_factory, seed: int) -> None:
    """Property: adding a later snapshot (and the linker's new edges) to a store changes no
    feature, no training spell and no forecast made as of an earlier date."""
    folder = tmp_path_factory.mktemp(f"leak{seed}")
    write_synthetic_data(folder / "raw", seed=seed, n_franchises=30)
    only_2018 = _build(folder / "raw", folder / "c.db", "mal_2018")
    without = _build(folder / "raw", folder / "a.db", "jikan_2021")
    with_later = _build(folder / "raw", folder / "b.db", "jikan_2025")
    pairs = [("2018-06-30", only_2018, with_later), ("2018-06-30", without, with_later),
             ("2021-01-24", without, with_later)]
    compared = 0
    for as_of, without, with_later in pairs:
        a, b = build_dataset(without, as_of), build_dataset(with_later, as_of)
        assert len(a.X) > 0, "the synthetic catalogue should have eligible series"
        pd.testing.assert_frame_equal(a.X, b.X)
        pd.testing.assert_frame_equal(a.frame, b.frame)
        pd.testing.assert_frame_equal(a.ineligible, b.ineligible)
        Xa, sa = training_spells(without, as_of)
        Xb, sb = training_spells(with_later, as_of)
        pd.testing.assert_frame_equal(Xa, Xb)
        pd.testing.assert_frame_equal(sa, sb)
        if len(a.X) and sa["event"].sum():
            pa = make_model("cox").fit(Xa, sa["duration"], sa["event"], sa["entry"]
                                       ).predict_within(a.X, a.frame["elapsed"], [1, 3])
            pb = make_model("cox").fit(Xb, sb["duration"], sb["event"], sb["entry"]
                                       ).predict_within(b.X, b.frame["elapsed"], [1, 3])
            np.testing.assert_array_equal(pa, pb)
            compared += 1
    assert compared > 0, "no forecast was compared"
