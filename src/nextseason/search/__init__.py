"""Title search: normalised keys, an in-memory ranked index, and the project's fan aliases.

>>> from nextseason.search import SearchIndex
>>> index = SearchIndex.from_rows([(40938, "Higehiro", "synonym", "higehiro", 642195)])
>>> index.search("HigeHiro!")[0].mal_id
40938
"""

from .aliases import FanAlias, fan_alias_rows, load_fan_aliases
from .index import MAX_QUERY_CHARS, SearchHit, SearchIndex
from .normalize import compact, normalize

__all__ = [
    "normalize",
    "compact",
    "SearchIndex",
    "SearchHit",
    "MAX_QUERY_CHARS",
    "FanAlias",
    "load_fan_aliases",
    "fan_alias_rows",
]
