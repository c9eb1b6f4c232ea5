"""Arabic-aware full-text search: folding, query parsing, snippets, more like this.

The storage side lives with each backend (SQLite: rasd/store/sqlite_search.py,
PostgreSQL: rasd/store/postgres_search.py); `common` holds what they share;
everything here is backend-independent and pure.
"""
