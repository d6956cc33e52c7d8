"""The store: one SQLite file, schema under versioned migrations, and all of the SQL.

Typed reads and writes per table group: :mod:`.catalogue` (anime, anime_version, title,
tag), :mod:`.observations`, :mod:`.relations` (relation, sequel_link, franchise,
adaptation_link), :mod:`.sources` (source works, sales, crosswalk, TVDB seasons, sequel
rules), :mod:`.articles` (articles, claims), :mod:`.forecasts`, :mod:`.snapshots`. Every
function takes a :class:`.conn.Conn`; transactions are :func:`.conn.atomic`. SQLite-only
statements live in :mod:`.db` and :mod:`.rebuild`.
"""

from .db import connect, connect_readonly, default_db_path, resolve_db_path
from .migrations import apply_migrations

__all__ = ["connect", "connect_readonly", "default_db_path", "resolve_db_path", "apply_migrations"]
