"""Settings of the live clients: where the APIs are, how fast and how long to wait, caching.

Every field has a documented default; :meth:`LiveConfig.from_env` reads the environment
(``NEXTSEASON_JIKAN_URL``, ``NEXTSEASON_ANILIST_URL``, ``NEXTSEASON_CACHE_DIR``,
``NEXTSEASON_CONTACT``) and then explicit overrides (the CLI's ``--jikan-url``,
``--anilist-url``, ``--no-cache``), which win.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..errors import ConfigError

__all__ = ["LiveConfig", "DEFAULT_JIKAN_URL", "DEFAULT_ANILIST_URL", "ENV_JIKAN_URL",
           "ENV_ANILIST_URL", "ENV_CACHE_DIR", "ENV_CONTACT"]

DEFAULT_JIKAN_URL = "https://api.jikan.moe/v4"
DEFAULT_ANILIST_URL = "https://graphql.anilist.co"
ENV_JIKAN_URL = "NEXTSEASON_JIKAN_URL"
ENV_ANILIST_URL = "NEXTSEASON_ANILIST_URL"
ENV_CACHE_DIR = "NEXTSEASON_CACHE_DIR"
ENV_CONTACT = "NEXTSEASON_CONTACT"

# Documented limits: Jikan 3 requests/s and 60/min (docs.api.jikan.moe, "Rate Limiting");
# AniList 90/min documented, 30/min in force while its API is "in a degraded state"
# (docs.anilist.co/guide/rate-limiting).
JIKAN_LIMITS: tuple[tuple[int, float], ...] = ((3, 1.0), (60, 60.0))
ANILIST_LIMITS: tuple[tuple[int, float], ...] = ((30, 60.0),)


@dataclass(frozen=True)
class LiveConfig:
    """How the clients talk to Jikan and AniList."""

    jikan_url: str = DEFAULT_JIKAN_URL
    anilist_url: str = DEFAULT_ANILIST_URL
    cache_dir: Path | None = None          # None: the user cache dir (platformdirs) /http
    use_cache: bool = True                 # False: --no-cache (neither read nor written)
    jikan_ttl: float = 24 * 3600.0         # Jikan caches everything for 24 h itself
    anilist_ttl: float = 3600.0
    timeout: float = 30.0                  # seconds, per request (connect 10 s)
    max_retries: int = 4                   # retries after the first attempt
    backoff: float = 1.0                   # first backoff in seconds, doubled each retry
    max_wait: float = 120.0                # longest single wait honoured (Retry-After)
    jikan_limits: tuple[tuple[int, float], ...] = JIKAN_LIMITS
    anilist_limits: tuple[tuple[int, float], ...] = ANILIST_LIMITS
    contact: str | None = None             # a URL or address added to the User-Agent

    def __post_init__(self) -> None:
        for name, option in (("jikan_url", "--jikan-url"), ("anilist_url", "--anilist-url")):
            value = getattr(self, name)
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                example = DEFAULT_JIKAN_URL if name == "jikan_url" else DEFAULT_ANILIST_URL
                raise ConfigError(f"{option} {value!r} is not an http(s) URL with a host "
                                  f"(e.g. {example})")
            object.__setattr__(self, name, value.rstrip("/"))
        if self.max_retries < 0 or self.timeout <= 0 or self.backoff < 0:
            raise ConfigError("max_retries must be ≥ 0, timeout > 0 and backoff ≥ 0")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any
                 ) -> LiveConfig:
        """Defaults, then the environment, then ``overrides`` whose value is not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get(ENV_JIKAN_URL):
            values["jikan_url"] = env[ENV_JIKAN_URL]
        if env.get(ENV_ANILIST_URL):
            values["anilist_url"] = env[ENV_ANILIST_URL]
        if env.get(ENV_CACHE_DIR):
            values["cache_dir"] = Path(env[ENV_CACHE_DIR])
        if env.get(ENV_CONTACT):
            values["contact"] = env[ENV_CONTACT]
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise TypeError(f"LiveConfig has no setting {key!r}")
            if value is not None:
                values[key] = value
        return cls(**values)

    def with_(self, **changes: Any) -> LiveConfig:
        return replace(self, **changes)

    @property
    def user_agent(self) -> str:
        """Names the project, its version and the HTTP library, and the user's contact."""
        agent = f"nextseason/{__version__} (anime sequel forecasts; python-httpx/" \
                f"{httpx.__version__}"
        return agent + (f"; +{self.contact})" if self.contact else ")")
