"""The ingester: RawDocument -> Article, pure functions with no index knowledge."""
