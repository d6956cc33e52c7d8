"""Readers for the raw catalogue, source-material, sales and crosswalk files, and the
importer that stores them (the whole build is :mod:`nextseason.pipeline`)."""

from .importer import Progress, add_fan_aliases, import_source, resolve_data_dir
from .sources import SOURCES, Source

__all__ = ["Progress", "add_fan_aliases", "import_source", "resolve_data_dir", "SOURCES",
           "Source"]
