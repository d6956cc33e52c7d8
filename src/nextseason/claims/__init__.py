"""Claims: read articles, extract dated claims with their quotes, reconcile them."""

from .model import FIELDS, Claim

__all__ = ["Claim", "FIELDS"]
