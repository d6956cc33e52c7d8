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
from nextseason.forecast.dataset import (
    ANNOUNCE_LEAD_YEARS,
    build_dataset,
    drop_announced,
    label_outcomes,
    status_date,
    training_spells,
)
from nextseason.forecast.landmark import FOLLOW_CAP, LANDMARKS, landmark_rows
from nextseason.forecast.models import make_model
from nextseason.ingest.sources import SOURCES
from nextseason.pipeline import build
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


def test_training_spells_date_the_announcement(hand_made: sqlite3.Connection) -> None:
    _, spells = training_spells(hand_made, AS_OF)
    end2, start3 = pd.Timestamp("2016-06-20"), pd.Timestamp("2019-10-01")
    # undated announcement: half a year before the premiere
    assert spells.at[2, "announced"] == pytest.approx(
        (start3 - end2).days / 365.25 - ANNOUNCE_LEAD_YEARS)
    # listed as not yet aired (due 2021-04) by the snapshot of AS_OF: announced by then
    # at the latest, and half a year before its premiere when that is earlier
    end4 = pd.Timestamp("2018-03-20")
    listed = (pd.Timestamp(AS_OF) - end4).days / 365.25
    lead = (pd.Timestamp("2021-04-15") - end4).days / 365.25 - ANNOUNCE_LEAD_YEARS
    assert lead < listed
    assert spells.at[4, "announced"] == pytest.approx(lead)
    hand_made.execute("UPDATE anime_version SET start_date = '2022-01' WHERE mal_id = 5")
    _, later = training_spells(hand_made, AS_OF)
    assert later.at[4, "announced"] == pytest.approx(listed)
    assert np.isinf(spells.at[1, "announced"]) and np.isinf(spells.at[11, "announced"])


def test_a_split_season_counts_once(hand_made: sqlite3.Connection) -> None:
    """A second part that follows within months was announced at the first part's finale:
    the first part gives no landmark look; the part is season 1 again, flagged ``is_part``."""
    for mal_id, title, start, end in ((30, "Split Show", "2019-01-05", "2019-03-25"),
                                      (31, "Split Show Part 2", "2019-07-05", "2019-09-25")):
        hand_made.execute("INSERT INTO anime (mal_id, title, type, status, start_date, end_date,"
                          " episodes, first_snapshot, last_snapshot) VALUES"
                          " (?,?,'TV','finished',?,?,12,1,1)", (mal_id, title, start, end))
        hand_made.execute("INSERT INTO anime_version (mal_id, snapshot_id, title, type, status,"
                          " start_date, end_date, episodes) VALUES (?,1,?,'TV','finished',?,?,12)",
                          (mal_id, title, start, end))
    hand_made.execute("INSERT INTO relation VALUES (30, 31, 'anime', 'Sequel', 1)")
    X, spells = training_spells(hand_made, AS_OF)
    assert spells.at[30, "event"] == 1 and spells.at[30, "announced"] == 0.0
    assert X.at[31, "installment"] == 1 and X.at[31, "is_part"] == 1
    assert X.at[3, "installment"] == 2 and X.at[3, "is_part"] == 0
    _, looks = landmark_rows(X, spells)
    assert 30 not in set(looks["spell"])
    assert set(looks["spell"]) >= {1, 2, 3, 4, 11, 31}


def test_landmark_looks_are_the_forecast_population() -> None:
    """A look at L exists only while nothing is announced or premiered and the data go on;
    time runs from it, cut FOLLOW_CAP years later."""
    spells = pd.DataFrame({
        "duration": [3.2, 12.0, 0.3, 40.0],
        "event": [1, 0, 1, 0],
        "entry": 0.0,
        "followup": [12.0, 12.0, 12.0, 40.0],
        "announced": [2.7, np.inf, 0.0, np.inf],
    }, index=pd.Index([101, 102, 103, 104], name="mal_id"))
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=spells.index)
    X_looks, looks = landmark_rows(X, spells)
    first = looks[looks["spell"] == 101]
    assert first["entry"].tolist() == [L for L in LANDMARKS if L < 2.7]
    assert (first["event"] == 1).all() and (first["duration"] == 3.2).all()
    assert 103 not in set(looks["spell"])  # announced at the finale: never forecast
    second = looks[looks["spell"] == 102]
    assert second["entry"].max() == 10.0 and (second["event"] == 0).all()
    old = looks[looks["spell"] == 104]
    np.testing.assert_allclose(old["duration"], np.minimum(40.0, old["entry"] + FOLLOW_CAP))
    assert (looks["duration"] > looks["entry"]).all()
    np.testing.assert_array_equal(X_looks["x"], X.loc[looks["spell"], "x"])


def test_sales_unknown_by_coverage_is_not_untracked(hand_made: sqlite3.Connection) -> None:
    """Sales data that end before a show's discs could come out say nothing about it."""
    hand_made.execute("INSERT INTO video_sales (mal_id, title, year, season, avg_sales_k,"
                      " avg_sales_suspect, gross_broken, as_of, snapshot_id) VALUES"
                      " (2, 'Two Seasons', 2016, 'spring', 5.0, 0, 0, '2016-12-31', 1)")
    ds = build_dataset(hand_made, AS_OF)
    # show 11 ended 2020-03-01: its discs came out after the data's last year (2016)
    assert ds.X.at[11, "sales_unknown"] == 1 and ds.X.at[11, "sales_missing"] == 0
    assert ds.X.at[3, "sales_missing"] == 0 and ds.X.at[3, "log_sales"] > 0
    from nextseason.forecast.explain import _describe

    assert _describe("home-video sales", ds.X.loc[11]) == "no sales data after 2020"


def test_no_forecast_when_a_dated_source_lists_the_continuation(
        hand_made: sqlite3.Connection) -> None:
    """An undated continuation only the linker ties to the series: the eligibility rules of
    the catalogue's relations miss it; the status from every dated source does not."""
    hand_made.execute("INSERT INTO anime (mal_id, title, type, status, start_date, end_date,"
                      " episodes, first_snapshot, last_snapshot) VALUES"
                      " (40, 'Finished Alone Sequel', 'TV', 'not_yet_aired', NULL, NULL,"
                      " NULL, 1, 1)")
    hand_made.execute("INSERT INTO anime_version (mal_id, snapshot_id, title, type, status)"
                      " VALUES (40, 1, 'Finished Alone Sequel', 'TV', 'not_yet_aired')")
    hand_made.execute("INSERT INTO sequel_link VALUES (1, 40, 'title', 'x')")
    hand_made.execute("UPDATE anime SET franchise_id = 1 WHERE mal_id IN (1, 40)")
    ds = build_dataset(hand_made, AS_OF)
    assert 1 in ds.frame.index
    honest = drop_announced(hand_made, ds)
    assert 1 not in honest.frame.index and 1 not in honest.X.index
    reason = honest.ineligible.set_index("mal_id").at[1, "reason"]
    assert reason.startswith("announced: Finished Alone Sequel is listed as not yet aired")
    assert sorted(honest.frame.index) == [3, 11]


def test_now_is_answered_at_the_newest_source(hand_made: sqlite3.Connection) -> None:
    """"Is it announced?" for the newest catalogue's date reads sources dated after it (the
    TVDB list, the rules); for a past date, only what was dated by then."""
    assert status_date(hand_made, AS_OF) == AS_OF
    hand_made.execute("INSERT INTO snapshot (id, name, kind, as_of, file, content_hash,"
                      " row_count, stored_count) VALUES (3, 'sequel_rules_2026', 'rules',"
                      " '2026-05-01', 'f', 'h', 0, 0)")
    assert status_date(hand_made, AS_OF) == "2026-05-01"
    assert status_date(hand_made, "2018-06-30") == "2018-06-30"
