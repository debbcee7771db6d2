"""The index: Articles and their passages in a fielded Whoosh index."""
