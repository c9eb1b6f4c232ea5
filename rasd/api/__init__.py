"""REST API and web server: `create_app(db)` returns the FastAPI app (`rasd serve` runs it).

    rasd/api/app.py       create_app, body size limit
    rasd/api/routes.py    the /api endpoints
    rasd/api/queries.py   reads shared by the API and the web pages
    rasd/api/ingest.py    POST /api/ingest bodies → the ingest pipeline
    rasd/api/errors.py    the one error shape
    rasd/web/             server-rendered pages (Jinja2 templates, one CSS file)
"""
from __future__ import annotations

from rasd.api.app import DEFAULT_MAX_BODY_BYTES, create_app

__all__ = ["DEFAULT_MAX_BODY_BYTES", "create_app"]
