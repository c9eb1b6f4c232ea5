"""Web UI: server-rendered pages over the same reads as the REST API.

    rasd/web/routes.py     page handlers
    rasd/web/render.py     highlighted text, snippets, the SVG chart, Arabic dates and labels
    rasd/web/templates/    Jinja2 templates (base.html: dir="rtl" lang="ar", header with search)
    rasd/web/static/       rasd.css, rasd.js (no build step, no external assets)
"""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from rasd.web.routes import WEB_DIR, error_page, router

__all__ = ["install"]


def install(app: FastAPI):
    """Add the pages and /static to `app`; returns the HTML error renderer for browsers."""
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.include_router(router)
    return error_page
