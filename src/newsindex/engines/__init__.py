"""Search engines behind newsindex: each the only place that imports its client."""
