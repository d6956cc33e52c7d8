"""The catalogue as the reports and the claims read it: which show a query names
(:func:`resolve_anime`) and a show's franchise timeline, source works and figures
(:func:`franchise_report`).

It sits above :mod:`nextseason.link` (it numbers seasons over the linker's edges) and
below :mod:`nextseason.claims` and :mod:`nextseason.report`, which both read it.
"""

from .franchise import FranchiseReport, franchise_report
from .resolve import catalogue_scope, check_query, resolve_anime

__all__ = ["FranchiseReport", "franchise_report", "resolve_anime", "check_query",
           "catalogue_scope"]
