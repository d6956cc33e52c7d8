"""The linker: sequel edges between anime, and franchises as connected groups.

``link_catalogue(conn)`` is what the build calls; ``predict_sequel_edges`` is the pure
prediction it writes (used by the benchmark); ``parse_title`` is the title analysis.
"""

from .franchise import Franchise, UnionFind, find_franchises
from .linker import LinkStats, SequelEdge, link_catalogue, predict_sequel_edges
from .titles import TitleParts, parse_title

__all__ = [
    "Franchise",
    "LinkStats",
    "SequelEdge",
    "TitleParts",
    "UnionFind",
    "find_franchises",
    "link_catalogue",
    "parse_title",
    "predict_sequel_edges",
]
