"""The JSON contract as JSON Schema: `article.schema.json`, `passage.schema.json`."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["json_schema"]


@cache
def json_schema(name: str) -> dict[str, Any]:
    """Return the packaged JSON Schema `name` ("article" or "passage")."""
    if name not in ("article", "passage"):
        raise ValueError(f"no JSON Schema named {name!r}")
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema
