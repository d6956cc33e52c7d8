"""The store: one SQLite file, schema under versioned migrations."""

from .db import connect, connect_readonly, default_db_path, resolve_db_path
from .migrations import apply_migrations

__all__ = ["connect", "connect_readonly", "default_db_path", "resolve_db_path", "apply_migrations"]
