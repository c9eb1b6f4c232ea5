"""`rasd serve`: the web UI and REST API over a database (registered by rasd.cli).

    rasd serve [--db DB] [--host 127.0.0.1] [--port 8000] [--api-key KEY]
"""
from __future__ import annotations

import argparse
import os
import sys

from rasd.api.state import API_KEY_ENV


def register(sub, add_db) -> None:
    p = sub.add_parser("serve", help="web UI and REST API over a database (http://127.0.0.1:8000/)")
    add_db(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    p.add_argument("--api-key", help=f"key required by write endpoints (X-API-Key header; default: ${API_KEY_ENV})")
    p.add_argument("--max-body-bytes", type=int, default=None, help="largest POST body accepted (default: 5 MB)")
    p.add_argument("--create", action="store_true", help="create the database when it does not exist")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from rasd.api import DEFAULT_MAX_BODY_BYTES, create_app

    if not 0 < args.port < 65536:
        print(f"rasd serve: error: --port must be 1-65535, not {args.port}", file=sys.stderr)
        return 2
    api_key = args.api_key if args.api_key is not None else os.environ.get(API_KEY_ENV) or None
    # StoreError (missing database, bad url, schema too new) is reported by rasd.cli.main
    app = create_app(
        args.db, api_key=api_key or "", max_body_bytes=args.max_body_bytes or DEFAULT_MAX_BODY_BYTES, create=args.create
    )
    host = f"[{args.host}]" if ":" in args.host else args.host
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else host
    from rasd.store.postgres import redact  # no password in the output

    print(f"rasd: serving {redact(app.state.rasd.db)}", flush=True)
    print(f"rasd: web UI at http://{shown}:{args.port}/  ·  API docs at http://{shown}:{args.port}/docs", flush=True)
    if api_key:
        print("rasd: write endpoints need the X-API-Key header", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"rasd: warning: listening on {args.host}, reachable from other machines", file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    except KeyboardInterrupt:  # pragma: no cover - uvicorn handles Ctrl-C itself
        pass
    return 0
