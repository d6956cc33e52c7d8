"""The web app (FastAPI + Jinja2, no JavaScript build step): :func:`create_app`."""

from .app import create_app

__all__ = ["create_app"]
