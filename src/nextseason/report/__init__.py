"""Reports: one typed object per report, rendered to text and JSON by separate renderers."""

from ..catalogue.franchise import FranchiseReport, franchise_report

__all__ = ["FranchiseReport", "franchise_report"]
