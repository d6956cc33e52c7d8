"""Turn what a user typed (a title in any spelling, or a MAL id) into one catalogue entry —
or a clear "not here".

:func:`resolve_anime` answers only for a confident match
(:data:`~nextseason.search.index.CONFIDENT`): an
exact alias, whole words at the start of one, or a typo within one edit per eight
characters, clearly ahead of any other franchise's match. A query that names a franchise
opens its main TV series, never a PV, a music video or a commercial. Anything else raises
:class:`~nextseason.errors.NotFoundError` with the closest shows, so no command ever answers
about a show the user did not ask for.
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFoundError, QueryError
from ..link.status import nice_date
from ..link.titles import is_side_title
from ..search.index import CONFIDENT, MAX_QUERY_CHARS, SearchIndex
from ..search.normalize import normalize
from ..store import catalogue
from ..store.conn import Conn
from ..store.snapshots import newest_catalogue

__all__ = ["resolve_anime", "check_query", "catalogue_scope"]

#: Entry types that are never "the show": promotional videos, music videos, commercials.
_NOT_SHOWS = frozenset({"PV", "Music", "CM"})
#: Preference among several equally good matches.
_TYPE_RANK = {"TV": 0, "ONA": 1, "Movie": 2, "OVA": 3, "TV Special": 4, "Special": 5}
#: A fuzzy match this close (score points) to another franchise's is ambiguous.
_MARGIN = 3
#: Several shows start with the query's words: the leader needs this many times the
#: members of the next show of another franchise.
_PREFIX_LEAD = 3


def check_query(query: str) -> str:
    """The query stripped, or :class:`QueryError` when it cannot name a show."""
    q = query.strip()
    if not q:
        raise QueryError("the query is empty: type a title (any spelling) or a MAL id")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(q):,} characters long; a title is at most"
                         f" {MAX_QUERY_CHARS}")
    if q.isascii() and q.isdigit():
        return q
    key = normalize(q)
    letters = sum(ch.isalnum() for ch in key)
    if letters == 0:
        raise QueryError(f"{q!r} has no letters or digits: type a title or a MAL id")
    if letters < 2:
        raise QueryError(f"{q!r} is too short to name a show: type at least two letters"
                         " of a title, or a MAL id")
    return q


def catalogue_scope(conn: Conn) -> str:
    """"a 15,050-entry subset of MyAnimeList as of 24 March 2025"."""
    row = newest_catalogue(conn)
    if row is None:
        return "an empty catalogue"
    return f"a {row[0]:,}-entry subset of MyAnimeList as of {nice_date(row[1])}"


def _info(conn: Conn, ids: list[int]) -> dict[int, Any]:
    return catalogue.anime_brief(conn, ids)


def _main_series(conn: Conn, franchise_id: int | None) -> int | None:
    """The franchise's main TV series: its earliest TV (else ONA) entry among those followed
    by at least a third as many members as the most-followed one (season 1, not a
    children's spin-off or a short)."""
    if franchise_id is None:
        return None
    rows = catalogue.franchise_series_members(conn, franchise_id)
    for kind in ("TV", "ONA"):
        cands = [r for r in rows if r[1] == kind]
        if cands:
            top = max(int(r[3] or 0) for r in cands)
            big = [r for r in cands if int(r[3] or 0) * 3 >= top]
            return int(min(big, key=lambda r: (r[2] is None, r[2] or "", r[0]))[0])
    return None


def _choose(conn: Conn, ids: list[int]) -> int:
    """Among equally good matches: a TV series first, never a PV if anything else matched;
    a PV, music video or commercial opens its franchise's main TV series."""
    info = _info(conn, ids)
    ids = [m for m in ids if m in info]
    shows = [m for m in ids if info[m]["type"] not in _NOT_SHOWS] or ids
    best = min(shows, key=lambda m: (_TYPE_RANK.get(info[m]["type"], 9), ids.index(m)))
    if info[best]["type"] in _NOT_SHOWS:
        return _main_series(conn, info[best]["franchise_id"]) or best
    return best


def _not_found(conn: Conn, q: str, hits: list[Any]) -> NotFoundError:
    cands = [{"mal_id": h.mal_id, "title": h.title, "type": h.type, "year": h.year,
              "match": h.match, "confidence": h.confidence} for h in hits[:5]]
    near = "; ".join(f"{c['title']} ({c['type'] or '?'}, {c['year'] or '?'}, MAL"
                     f" {c['mal_id']})" for c in cands[:3])
    msg = f"No show called {q!r} in the catalogue ({catalogue_scope(conn)})."
    msg += f" Closest: {near}." if near else " Nothing comes close."
    return NotFoundError(msg, query=q, candidates=cands)


def resolve_anime(conn: Conn, query: str, *, index: Any = None) -> int:
    """The MAL id ``query`` names: a number is taken as a MAL id, anything else is searched.

    Raises :class:`QueryError` for a query that cannot name a show and
    :class:`NotFoundError` (with candidates) when no show matches confidently. ``index``:
    a loaded :class:`~nextseason.search.index.SearchIndex` to reuse (else one is loaded when
    needed).
    """
    q = check_query(query)
    if q.isascii() and q.isdigit():
        if len(q) <= 18 and catalogue.anime_exists(conn, int(q)):
            return int(q)
        raise NotFoundError(f"No anime with MAL id {q} in the catalogue"
                            f" ({catalogue_scope(conn)}).", query=q)
    # An exact alias needs no index: the title table is indexed on the search key.
    key = normalize(q)
    exact = catalogue.exact_alias_ids(conn, (key, key + " tv", key + " ona"))
    if exact:
        return _choose(conn, list(dict.fromkeys(exact)))
    hits = (index or SearchIndex.from_db(conn)).search(q, limit=10)
    good = [h for h in hits if h.confidence >= CONFIDENT]
    if not good:
        raise _not_found(conn, q, hits)
    top = [h for h in good if h.match == good[0].match and h.score >= good[0].score - _MARGIN]
    info = _info(conn, [h.mal_id for h in top])
    franchises = {info[h.mal_id]["franchise_id"] or -h.mal_id for h in top if h.mal_id in info}
    if good[0].match == "fuzzy" and len(franchises) > 1:
        raise _not_found(conn, q, hits)  # two different shows are equally near: ask
    if good[0].match == "prefix":
        # the first words of several shows: the most followed must lead the next by far
        top = [h for h in good if h.match == "prefix"]
        fr = _info(conn, [h.mal_id for h in top])
        lead = fr[top[0].mal_id]["franchise_id"] if top[0].mal_id in fr else None
        rivals = [h for h in top[1:] if h.mal_id in fr and (
            lead is None or fr[h.mal_id]["franchise_id"] != lead)]
        if rivals and rivals[0].members * _PREFIX_LEAD > top[0].members:
            raise _not_found(conn, q, hits)
        # the first words of several titles of one franchise: the earliest TV series among
        # them that is followed about as much as the most followed ("Attack" → season 1,
        # "Boruto" → Boruto, not the Naruto it continues)
        own = [h for h in top if h.mal_id in fr and fr[h.mal_id]["franchise_id"] == lead
               and h.type in ("TV", "ONA")]
        if own:
            most = max(h.members for h in own)
            big = [h for h in own if h.members * 3 >= most]
            return min(big, key=lambda h: (h.type != "TV", h.year or 9999, h.mal_id)).mal_id
        films = [h for h in top if h.type == "Movie" and not is_side_title(h.title)]
        if not films:
            # only a recap, special or PV starts with these words: the series the user
            # means is not in the catalogue
            raise _not_found(conn, q, hits)
        top = films[:1]
    return _choose(conn, [h.mal_id for h in top])
