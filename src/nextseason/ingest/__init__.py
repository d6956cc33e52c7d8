"""Readers for the raw catalogue, source-material, sales and crosswalk files."""

from .build import BuildReport, Progress, build, import_source, resolve_data_dir
from .sources import SOURCES, Source

__all__ = ["BuildReport", "Progress", "build", "import_source", "resolve_data_dir", "SOURCES",
           "Source"]
