"""Every request body the OpenSearch engine sends is valid by OpenSearch's spec.

The bodies are the ones sent in this test session, recorded by the
client's connection (conftest.py), checked against the request-body
schemas of opensearch-project/opensearch-api-specification (spec/), so
that what osmem-server accepts a real cluster accepts too.

Two readings of the spec, both stricter or equal in effect: `oneOf` is
read as `anyOf`, because the spec's alternatives overlap (a field sort
`{"published": {"order": "asc"}}` is both a SortOptions and a
FieldWithOrder, so `oneOf` would refuse every sort); and a query
container must name a query type the spec lists (the spec leaves it open,
for plugins' queries, so a misspelt `nestd` would pass), as must a
request body name only the fields the spec lists.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from newsindex import Index
from newsindex.engines.opensearch import OpenSearchSearcher, OpenSearchWriter
from newsindex.query.plan import plan_search

from ..index.test_parallel import NoEntities
from .conftest import SENT, Both, client_for

SPEC = Path(__file__).with_name("spec") / "request_bodies.json"

# Request path -> the spec's request body (spec/namespaces/*.yaml).
ROUTES = [
    ("POST", re.compile(r"/_bulk$"), "bulk"),
    ("POST", re.compile(r"/_count$"), "count"),
    ("POST", re.compile(r"/_delete_by_query$"), "delete_by_query"),
    ("POST", re.compile(r"/_mget$"), "mget"),
    ("POST", re.compile(r"/_search$"), "search"),
    ("POST", re.compile(r"/_analyze$"), "indices.analyze"),
    ("PUT", re.compile(r"^/_index_template/[^/]+$"), "indices.put_index_template"),
    ("PUT", re.compile(r"^/[^_/][^/]*$"), "indices.create"),
    # The body of `index` and `create` is the document itself: the spec
    # takes any object (`_core.yaml`: `index`, `create`).
    ("PUT", re.compile(r"^/[^_/][^/]*/_(doc|create)/[^/]+$"), "document"),
]


@cache
def _spec() -> dict[str, Any]:
    spec = json.loads(SPEC.read_text())
    spec = json.loads(json.dumps(spec).replace('"oneOf"', '"anyOf"'))
    spec["$defs"]["_common.query_dsl:QueryContainer"]["additionalProperties"] = False
    for name, body in spec["bodies"].items():
        if name != "bulk":
            body["additionalProperties"] = False
    return dict(spec)


def validator(name: str) -> jsonschema.Draft202012Validator:
    spec = _spec()
    return jsonschema.Draft202012Validator(
        {"$defs": spec["$defs"], **spec["bodies"][name]}
    )


def operation_validator() -> jsonschema.Draft202012Validator:
    spec = _spec()
    return jsonschema.Draft202012Validator(
        {"$defs": spec["$defs"], "$ref": "#/$defs/_core.bulk:OperationContainer"}
    )


def route(method: str, path: str) -> str | None:
    """The spec's request body for a request (POST and PUT alike where both are)."""
    for verb, pattern, name in ROUTES:
        allowed = {verb, "PUT"} if verb == "POST" else {verb}
        if method in allowed and pattern.search(path):
            return name
    return None


def problems(method: str, url: str, body: Any) -> list[str]:
    """What is wrong with one request's body by the spec (empty: nothing)."""
    path = url.split("?")[0]
    name = route(method, path)
    if name is None:
        return [f"no spec route for {method} {path}"]
    text = body.decode() if isinstance(body, bytes) else str(body)
    if name == "document":
        return [] if isinstance(json.loads(text), dict) else ["not an object"]
    if name == "bulk":
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        found = [e.message for e in validator(name).iter_errors(lines)]
        actions = iter(lines)
        for action in actions:
            found += [e.message for e in operation_validator().iter_errors(action)]
            if "delete" not in action:
                next(actions)  # the document itself: no schema
        return found
    return [e.message for e in validator(name).iter_errors(json.loads(text))]


def test_the_validator_refuses_what_a_cluster_refuses() -> None:
    nested = {"nested": {"path": "passages", "query": {"match_all": {}}}}
    assert problems("POST", "/x/_search", json.dumps({"query": nested})) == []
    bad_mode = {"nested": {**nested["nested"], "score_mode": "maxx"}}
    assert problems("POST", "/x/_search", json.dumps({"query": bad_mode}))
    assert problems("POST", "/x/_search", json.dumps({"query": {"nestd": {}}}))
    assert problems("POST", "/x/_search", json.dumps({"sizee": 1}))


@pytest.fixture(scope="module")
def exercised(
    raw_both: Both,
    mixed_both: Both,
    osmem_server: Any,
    corpus_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> list[Any]:
    """Every kind of request the engine sends, then all those sent this session."""
    cache_dir = tmp_path_factory.mktemp("cache")
    client = client_for(osmem_server)
    writer = OpenSearchWriter(client, "spec-check")
    writer.create()
    writer.create()
    articles = list(raw_both.whoosh.articles())
    writer.write(articles, content_hashes={articles[0].source.path: "0" * 16})
    writer.refresh()
    writer.delete([articles[0].id])
    writer.delete_path(articles[1].source.path)
    searcher = OpenSearchSearcher(client, "spec-check")
    for query, options in [
        ("Lavrov NATO", {}),
        ('"interested dialogue"~3 -outlet:TASS', {"since": "2021-10-01"}),
        ("Lavr* OR place:Brussels", {"include_undated": True, "until": "2021-10"}),
        ('entity:Lavrov byline:"Jane Doe" cites:AP +title:regrets', {}),
    ]:
        tree = plan_search(raw_both.whoosh, query, **options).tree
        for sort in ("relevance", "date", "-date"):
            for collapse in (False, True):
                searcher.search(tree, text=query, sort=sort, collapse=collapse)
        searcher.count(tree, text=query)
        searcher.facets(tree, ["outlet", "month"], text=query)
        searcher.histogram(tree, "week", text=query)
        searcher.histogram(tree, "year", split=True, text=query)
    searcher.get(articles[2].id)
    _exercise_an_index(osmem_server, corpus_dir, cache_dir)
    return [sent for sent in SENT if sent[2] is not None]


def _exercise_an_index(server: Any, corpus_dir: Path, cache_dir: Path) -> None:
    """What `Index` on a URL sends: create, update, manifest, archive, remove."""
    where = f"{server.url}/spec-index"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSINDEX_CACHE_DIR", str(cache_dir))
        with Index.build(corpus_dir / "raw", where, tagger=NoEntities()) as index:
            index.search("Lavrov", limit=3)
            first = next(index.articles())
            index.remove(first.id)
            other = min(p for p in index.manifest() if p != first.source.path)
            index.remove(other)
            index.progress()


def _is_scan(body: Any) -> bool:
    """A search that pages through documents in key order: nothing is scored."""
    sent = json.loads(body.decode() if isinstance(body, bytes) else str(body))
    return "search_after" in sent or sent.get("track_total_hits") is False


def test_every_body_sent_is_valid_by_the_spec(exercised: list[Any]) -> None:
    for method, url, body in exercised:
        assert problems(method, url, body) == [], (method, url, body)
        if url.split("?")[0].endswith("/_search") and not _is_scan(body):
            # global term statistics
            assert "search_type=dfs_query_then_fetch" in url, url
    routes = {route(method, url.split("?")[0]) for method, url, _ in exercised}
    # No mget is sent; the article index is created without a body (its
    # template, checked, gives the settings and mappings), the manifest
    # index with one.
    assert routes == {name for _, _, name in ROUTES} - {"mget"}
