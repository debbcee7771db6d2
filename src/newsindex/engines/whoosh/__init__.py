"""The embedded engine: Whoosh, files in the index folder, no server."""
