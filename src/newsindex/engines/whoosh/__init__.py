"""The embedded engine: Whoosh, files in the index folder, no server."""

from newsindex.engines.whoosh import light_import

light_import.load()  # before any module of this package imports Whoosh
