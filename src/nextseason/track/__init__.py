"""Following shows: the watchlist, each series' state over time, and what changed."""

from .changes import Change, find_changes
from .state import record_states, series_state, series_title

__all__ = ["Change", "find_changes", "record_states", "series_state", "series_title"]
