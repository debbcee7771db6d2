"""The query layer: parse, rank, collapse; reads the index only."""
