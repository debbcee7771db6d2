"""Search engines behind one interface (`base.py`): the only code that knows one.

The query layer hands an engine newsindex's own query tree
(`newsindex.query.tree`) and gets back passages with their provenance,
article counts, facet counts and the filter values it has never seen.
`whoosh/` is the embedded engine; `opensearch/` runs the same trees on an
OpenSearch cluster. Nothing above this package imports an engine's library;
`tests/test_layers.py` walks the imports to keep it so.
"""
