"""Readers: files on disk -> RawDocuments."""
