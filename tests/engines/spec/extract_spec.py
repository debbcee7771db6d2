"""Copy the request-body schemas newsindex sends out of the OpenSearch API spec.

Run once by hand, with PyYAML, against a checkout of
opensearch-project/opensearch-api-specification:

    python tests/engines/spec/extract_spec.py SPEC_CHECKOUT COMMIT

It writes `request_bodies.json`: the request bodies below, and every schema
they reach through `$ref`, as one JSON Schema document whose `$defs` are
named `<file stem>:<schema name>` (`_common.query_dsl:QueryContainer`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

# (namespace file, request body name): what the OpenSearch engine sends.
BODIES = [
    ("_core", "bulk"),
    ("_core", "count"),
    ("_core", "delete_by_query"),
    ("_core", "mget"),
    ("_core", "search"),
    ("indices", "indices.analyze"),
    ("indices", "indices.create"),
    ("indices", "indices.put_index_template"),
]


def main(checkout: str, commit: str) -> None:
    files: dict[str, Any] = {}

    def load(path: str) -> Any:
        if path not in files:
            text = subprocess.run(
                ["git", "-C", checkout, "show", f"{commit}:{path}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            files[path] = yaml.safe_load(text)
        return files[path]

    defs: dict[str, Any] = {}
    todo: list[tuple[str, str]] = []

    def rewrite(node: Any, here: str) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "$ref":
                    target, _, pointer = value.partition("#")
                    path = _join(here, target) if target else here
                    name = pointer.rsplit("/", 1)[-1]
                    key_name = f"{Path(path).stem}:{name}"
                    if key_name not in defs:
                        defs[key_name] = None
                        todo.append((path, name))
                    out["$ref"] = f"#/$defs/{key_name}"
                elif key.startswith("x-"):
                    continue
                else:
                    out[key] = rewrite(value, here)
            return out
        if isinstance(node, list):
            return [rewrite(item, here) for item in node]
        return node

    bodies = {}
    for namespace, name in BODIES:
        here = f"spec/namespaces/{namespace}.yaml"
        body = load(here)["components"]["requestBodies"][name]
        (content,) = body["content"].values()
        bodies[name] = rewrite(content["schema"], here)
    while todo:
        path, name = todo.pop()
        schema = load(path)["components"]["schemas"][name]
        defs[f"{Path(path).stem}:{name}"] = rewrite(schema, path)
    out = {
        "$comment": (
            "Request-body schemas from opensearch-project/opensearch-api-specification"
            f" at {commit} (spec/namespaces/_core.yaml, spec/namespaces/indices.yaml"
            " and the spec/schemas/*.yaml they reference), made by extract_spec.py."
        ),
        "bodies": bodies,
        "$defs": defs,
    }
    target = Path(__file__).with_name("request_bodies.json")
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


def _join(here: str, target: str) -> str:
    parts = here.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
