"""Arabic-aware full-text search: folding, query parsing, snippets, more like this.

The storage side lives with each backend (SQLite: rasd/store/sqlite_search.py);
everything here is backend-independent and pure.
"""
