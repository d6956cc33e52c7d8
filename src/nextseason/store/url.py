"""Where a PostgreSQL database is: a ``postgresql://`` URL and the schema it names.

Kept apart from :mod:`.pg` so that telling a URL from a path costs no import of psycopg
(SQLite users never load it).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import StoreError

__all__ = ["PgUrl", "is_url", "redact", "DEFAULT_SCHEMA"]

DEFAULT_SCHEMA = "nextseason"


def is_url(value: object) -> bool:
    """Whether ``value`` (a ``--db`` argument) names a PostgreSQL server, not a file."""
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


class PgUrl(str):
    """A ``postgresql://`` URL as given to ``--db``, with its schema taken out.

    ``str(url)`` is the URL as given; :attr:`conninfo` is what libpq is given (the URL
    without the ``schema`` parameter); :attr:`schema` is the live schema's name;
    :attr:`redacted` is the URL without its password, for messages.
    """

    @property
    def schema(self) -> str:
        return _split_schema(self)[1]

    @property
    def conninfo(self) -> str:
        return _split_schema(self)[0]

    @property
    def redacted(self) -> str:
        return redact(self)

    def with_schema(self, schema: str) -> PgUrl:
        parts = urlsplit(self.conninfo)
        query = parse_qsl(parts.query, keep_blank_values=True) + [("schema", schema)]
        return PgUrl(urlunsplit(parts._replace(query=urlencode(query))))


_IDENT = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _split_schema(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), DEFAULT_SCHEMA)
    if not _IDENT.fullmatch(schema):
        raise StoreError(f"{redact(url)}: schema {schema!r} is not a plain lower-case name "
                         "(letters, digits, _)")
    rest = [(k, v) for k, v in query if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode(rest))), schema


def redact(url: str) -> str:
    """The URL with its password (in the address or as ``password=``) replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    query = "&".join(
        f"{k}=***" if k == "password" else f"{k}={v}" if v else k
        for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit(parts._replace(netloc=netloc, query=query))
