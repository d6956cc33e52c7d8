"""nextseason: will there be another season, and when?"""

__version__ = "0.1.0"
__all__ = ["__version__"]
