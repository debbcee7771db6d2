"""The JSON API in-process: answers equal the library's, errors are one line."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from newsindex import Index, IndexMissingError, render
from newsindex.ingest.entities import SpacyTagger
from newsindex.query.facets import FACETS
from newsindex.serve import api, http, openapi, pages, params
from newsindex.serve.http import create_app
from tests.conftest import raw_file

DATE_HINT = "(try 2021-10-19, 2021-10, '18 Oct 2021' or 'yesterday')"


@pytest.fixture(scope="module")
def client(raw_index: Index) -> Iterator[TestClient]:
    with TestClient(create_app(raw_index.path)) as client:
        yield client


def get_json(
    client: TestClient,
    url: str,
    status: int = 200,
    *,
    query: dict[str, Any] | None = None,
) -> Any:
    response = client.get(url, params=query)
    assert (response.status_code, response.headers["content-type"]) == (
        status,
        "application/json",
    ), response.text
    return response.json()


def facet_json(counts: dict[str, list[tuple[str, int]]]) -> dict[str, Any]:
    return {
        name: [{"value": value, "count": count} for value, count in pairs]
        for name, pairs in counts.items()
    }


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("q=NATO+mission", {}),
        ("q=Lavrov&since=2021-10-19", {"since": "2021-10-19"}),
        ("q=Lavrov&until=2021-10-18", {"until": "2021-10-18"}),
        (
            "q=Lavrov&until=2021-10-18&include_undated=true",
            {"until": "2021-10-18", "include_undated": True},
        ),
        ("q=NATO&outlet=ITAR-TASS", {"outlet": "ITAR-TASS"}),
        ("q=mission&entity=Sergei+Lavrov", {"entity": "Sergei Lavrov"}),
        ("q=NATO&limit=2&offset=1", {"limit": 2, "offset": 1}),
        ("q=NATO&sort=-date", {"sort": "-date"}),
        ("q=%22permanent+mission%22", {}),
    ],
)
def test_search_answers_as_the_library(
    client: TestClient, raw_index: Index, query: str, options: dict[str, Any]
) -> None:
    q = dict(pair.split("=") for pair in query.split("&"))["q"]
    q = q.replace("+", " ").replace("%22", '"')
    filters = {k: v for k, v in options.items() if k not in ("limit", "offset", "sort")}
    passages = raw_index.search(q, **{"limit": 10, **options})
    facets = raw_index.facets(q, FACETS, **filters)
    assert passages
    assert get_json(client, f"/api/search?{query}") == {
        "results": [p.to_dict() for p in passages],
        "total": sum(count for _, count in facets["outlet"]),
        "facets": facet_json(facets),
    }


def test_search_facets_and_total(client: TestClient) -> None:
    body = get_json(client, "/api/search?q=NATO+mission&limit=1")
    assert (len(body["results"]), body["total"], body["facets"]) == (
        1,
        5,
        {
            "outlet": [{"value": "unknown", "count": 3}, {"value": "TASS", "count": 2}],
            "month": [
                {"value": "2021-10", "count": 2},
                {"value": "2024-05", "count": 1},
                {"value": "undated", "count": 2},
            ],
        },
    )


@pytest.mark.parametrize(
    "query", ["NATO", "Lavrov mission", '"permanent mission"', "outlet:TASS"]
)
def test_every_passage_quotes_its_article(client: TestClient, query: str) -> None:
    body = get_json(client, "/api/search", query={"q": query, "limit": 100})
    assert body["results"]
    for p in body["results"]:
        article = get_json(client, f"/api/articles/{p['article_id']}")
        assert article["body"][p["start"] : p["end"]] == p["text"]
        for start, end in p["highlights"]:
            assert 0 <= start < end <= len(p["text"])


def test_article_is_the_stored_article(client: TestClient, raw_index: Index) -> None:
    (first, *_) = raw_index.search("NATO", limit=1)
    expected = raw_index.get(first.article_id).to_dict()
    assert get_json(client, f"/api/articles/{first.article_id}") == expected


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("", {}),
        ("?limit=3", {"limit": 3}),
        ("?type=person", {"type": "person"}),
        ("?q=Lavrov&since=2021-10-19", {"query": "Lavrov", "since": "2021-10-19"}),
    ],
)
def test_entities_answers_as_the_library(
    client: TestClient, raw_index: Index, query: str, options: dict[str, Any]
) -> None:
    expected = raw_index.entities(
        options.pop("query", None), **{"limit": 50, **options}
    )
    assert expected
    assert get_json(client, f"/api/entities{query}") == {"entities": expected}


def test_quotes_earliest_first_and_quoting_their_article(
    client: TestClient, raw_index: Index
) -> None:
    hits = raw_index.archive().find_quotes("We regret these steps", limit=20)
    body = get_json(client, "/api/quotes?q=We+regret+these+steps")
    assert body == {"quotes": [render.quote_dict(hit) for hit in hits]}
    assert hits
    for quote in body["quotes"]:
        article = get_json(client, f"/api/articles/{quote['article_id']}")
        assert article["body"][quote["start"] : quote["end"]] == quote["text"]


def test_outlets(client: TestClient) -> None:
    assert get_json(client, "/api/outlets") == {
        "outlets": [
            {"name": "TASS", "articles": 2, "first": "2021-10-18", "last": "2021-10-18"}
        ]
    }


def test_timeline_counts_what_search_counts(client: TestClient) -> None:
    body = get_json(client, "/api/timeline?q=Lavrov&since=2021-10&until=2021-11")
    assert body == {
        "by": "month",
        "total": 2,
        "undated": 0,
        "timeline": [
            {
                "period": "2021-10",
                "count": 2,
                "since": "2021-10-01",
                "until": "2021-10-31",
            },
            {
                "period": "2021-11",
                "count": 0,
                "since": "2021-11-01",
                "until": "2021-11-30",
            },
        ],
    }
    for period in body["timeline"]:
        dates = {"since": period["since"], "until": period["until"]}
        found = get_json(client, "/api/search", query={"q": "Lavrov", **dates})
        assert found["total"] == period["count"]


def test_timeline_split_by_outlet(client: TestClient) -> None:
    body = get_json(client, "/api/timeline?q=Lavrov&by=day&split=outlet")
    assert [(p["period"], p["outlet"], p["count"]) for p in body["timeline"]] == [
        ("2021-10-18", "TASS", 1),
        ("2021-10-19", "unknown", 1),
        ("2024-05-23", "unknown", 1),
    ]
    assert (body["total"], body["undated"]) == (5, 2)


SEARCH = "/api/search?q=NATO&"
LIMIT = "limit must be an integer from 1 to 100: "
OFFSET = "offset must be an integer from 0 to 10000: "
ENDPOINT = "no such endpoint: "
NO_ID = "no article with id "
ERRORS = [
    ("/api/search?q=(NATO", 400, "unbalanced parenthesis in query: '(NATO'"),
    ("/api/search?q=%22oil", 400, "unbalanced quote in query: '\"oil'"),
    (
        "/api/search?q=nosuch:oil",
        400,
        "unknown field 'nosuch' in query: 'nosuch:oil' "
        "(fields: byline, cites, entity, outlet, place, text, title)",
    ),
    ("/api/search?q=", 400, "empty query"),
    ("/api/search", 400, "missing parameter: 'q'"),
    (SEARCH + "since=soon", 400, f"cannot read date 'soon' {DATE_HINT}"),
    (SEARCH + "until=2021-13", 400, f"cannot read date '2021-13' {DATE_HINT}"),
    (SEARCH + "limit=abc", 400, LIMIT + "'abc'"),
    (SEARCH + "limit=-1", 400, LIMIT + "'-1'"),
    (SEARCH + "limit=0", 400, LIMIT + "'0'"),
    (SEARCH + "limit=101", 400, LIMIT + "'101'"),
    (SEARCH + "limit=1.5", 400, LIMIT + "'1.5'"),
    (SEARCH + "limit=%EF%BC%95", 400, LIMIT + "'\uff15'"),  # a full-width 5
    (SEARCH + "offset=-1", 400, OFFSET + "'-1'"),
    (SEARCH + "offset=10001", 400, OFFSET + "'10001'"),
    (SEARCH + "sort=best", 400, "sort must be one of relevance, date, -date: 'best'"),
    (
        SEARCH + "include_undated=yes",
        400,
        "include_undated must be true or false (or 1 or 0): 'yes'",
    ),
    (SEARCH + "foo=1", 400, "unknown parameter: 'foo'"),
    (SEARCH + "q=TASS", 400, "parameter given more than once: 'q'"),
    ("/api/entities?type=x", 400, "type must be one of person, org, place: 'x'"),
    ("/api/entities?since=soon", 400, f"cannot read date 'soon' {DATE_HINT}"),
    ("/api/entities?q=(NATO", 400, "unbalanced parenthesis in query: '(NATO'"),
    ("/api/quotes", 400, "missing parameter: 'q'"),
    ("/api/quotes?q=x&limit=1000", 400, LIMIT + "'1000'"),
    ("/api/outlets?all=1", 400, "unknown parameter: 'all'"),
    (
        "/api/timeline?q=NATO&by=hour",
        400,
        "by must be one of day, week, month, year: 'hour'",
    ),
    ("/api/articles/c124b852bc9b5986?full=1", 400, "unknown parameter: 'full'"),
    ("/api/openapi.json?v=2", 400, "unknown parameter: 'v'"),
    ("/api/articles/0000000000000000", 404, NO_ID + "'0000000000000000'"),
    ("/api/nothing", 404, ENDPOINT + "'/api/nothing'"),
    ("/api/", 404, ENDPOINT + "'/api/'"),
]


@pytest.mark.parametrize(("url", "status", "message"), ERRORS)
def test_errors_are_one_line_json(
    client: TestClient, url: str, status: int, message: str
) -> None:
    assert get_json(client, url, status) == {"error": message}


def test_writes_are_refused(client: TestClient) -> None:
    response = client.post("/api/search?q=NATO", json={})
    assert (response.status_code, response.json()) == (
        405,
        {"error": "method not allowed: 'POST' (this server is read-only)"},
    )


HOSTILE_IDS = [
    ("..", ENDPOINT + "'/api'"),  # httpx drops the dot segments before sending
    ("%2e%2e", NO_ID + "'..'"),
    ("..%2F..%2Fetc%2Fpasswd", ENDPOINT + "'/api/articles/../../etc/passwd'"),
    (
        "%2e%2e%2f%2e%2e%2fpyproject.toml",
        ENDPOINT + "'/api/articles/../../pyproject.toml'",
    ),
    (
        "raw%2F001_d4251eeafdea6d02.txt",
        ENDPOINT + "'/api/articles/raw/001_d4251eeafdea6d02.txt'",
    ),
    ("%00", NO_ID + "'\\x00'"),
    ("c124b852bc9b5986%00", NO_ID + "'c124b852bc9b5986\\x00'"),
    ("C:%5Cwindows", NO_ID + "'C:\\\\windows'"),
    ("a" * 65, NO_ID + f"'{'a' * 65}'"),
    ("a" * 10_000, NO_ID + f"'{'a' * 80}…'"),
    ("%E2%80%AE", NO_ID + "'\\u202e'"),  # right-to-left override
]


@pytest.mark.parametrize(("article_id", "message"), HOSTILE_IDS)
def test_hostile_article_paths_are_clean_404s(
    client: TestClient, article_id: str, message: str
) -> None:
    url = f"/api/articles/{article_id}"
    assert get_json(client, url, 404) == {"error": message}


def test_a_huge_query_is_refused_before_searching(client: TestClient) -> None:
    body = get_json(client, "/api/search", 400, query={"q": "NATO " * 4000})
    assert body == {
        "error": "parameter 'q' is too long (20000 characters, at most 2000)"
    }


def test_a_query_as_long_as_allowed_is_searched(client: TestClient) -> None:
    body = get_json(client, "/api/search", query={"q": "NATO " * 400})
    assert body["total"] == 5


def test_nul_and_control_characters_in_a_query_are_text(client: TestClient) -> None:
    body = get_json(client, "/api/search", query={"q": "NATO\x00\x1b[31m mission"})
    assert body["results"]


@pytest.mark.parametrize(
    "url",
    [
        "/static/..%2Fhttp.py",
        "/static/%2e%2e/http.py",
        "/static/..%5Chttp.py",
        "/static/%2Fetc%2Fpasswd",
        "/static/app.css%00.py",
    ],
)
def test_static_files_stay_in_their_folder(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "import" not in response.text


def test_responses_forbid_outside_scripts(client: TestClient) -> None:
    headers = client.get("/api/outlets").headers
    assert headers["content-security-policy"] == (
        "default-src 'self'; frame-ancestors 'none'"
    )
    assert headers["x-content-type-options"] == "nosniff"


def test_openapi_describes_every_endpoint_and_parameter(client: TestClient) -> None:
    doc = get_json(client, "/api/openapi.json")
    app_paths = {
        route.path
        for route in client.app.routes  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith("/api/")
    }
    assert set(doc["paths"]) == app_paths
    expected = {
        "/api/search": [p.name for p in params.SEARCH_API],
        "/api/timeline": [p.name for p in params.TIMELINE],
        "/api/articles/{id}": ["id"],
        "/api/entities": [p.name for p in params.ENTITIES],
        "/api/quotes": [p.name for p in params.QUOTES],
        "/api/outlets": [],
        "/api/openapi.json": [],
    }
    described = {
        path: [p["name"] for p in item["get"]["parameters"]]
        for path, item in doc["paths"].items()
    }
    assert described == expected
    assert doc == openapi.document()


def test_answers_match_the_openapi_schemas(client: TestClient) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    doc = get_json(client, "/api/openapi.json")
    registry = referencing.Registry().with_resource(
        "urn:openapi",
        referencing.Resource.from_contents(doc, referencing.jsonschema.DRAFT202012),
    )
    urls = {
        "/api/search": "/api/search?q=NATO",
        "/api/timeline": "/api/timeline?q=Lavrov&split=outlet",
        "/api/articles/{id}": "/api/articles/c124b852bc9b5986",
        "/api/entities": "/api/entities",
        "/api/quotes": "/api/quotes?q=We+regret+these+steps",
        "/api/outlets": "/api/outlets",
        "/api/openapi.json": "/api/openapi.json",
    }
    for path, url in urls.items():
        pointer = path.replace("~", "~0").replace("/", "~1")
        schema = {
            "$ref": f"urn:openapi#/paths/{pointer}/get/responses/200/content/"
            "application~1json/schema"
        }
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
        validator.validate(get_json(client, url))


def test_create_app_refuses_a_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError) as caught:
        create_app(tmp_path / "index")
    assert str(caught.value) == f"no index at {str(tmp_path / 'index')!r}"


def test_status_comes_from_the_exception_tree() -> None:
    from newsindex import ArticleNotFoundError, IndexLockedError, QueryError

    assert [
        http.status_of(exc)
        for exc in (
            QueryError("empty query", query=""),
            ArticleNotFoundError("x"),
            IndexMissingError("index"),
            IndexLockedError("index", 1),
        )
    ] == [400, 404, 503, 500]


def update_copy(raw_index: Index, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the session index, and a folder with one new report to add."""
    index_dir = tmp_path / "index"
    shutil.copytree(raw_index.path, index_dir)
    extra = tmp_path / "extra"
    extra.mkdir()
    text = raw_file("001").read_text(encoding="utf-8")
    (extra / "zanzibar.txt").write_text(
        text.replace("Brussels", "Zanzibar"), encoding="utf-8"
    )
    return index_dir, extra


def test_new_commits_are_seen_without_a_restart(
    raw_index: Index, tmp_path: Path, tagger: SpacyTagger
) -> None:
    index_dir, extra = update_copy(raw_index, tmp_path)
    with TestClient(create_app(index_dir)) as client:
        assert get_json(client, "/api/search?q=Zanzibar")["results"] == []
        with Index.open(index_dir) as writer:
            writer.update(extra, tagger=tagger)
        found = get_json(client, "/api/search?q=Zanzibar")["results"]
        assert [Path(p["source"]["path"]).name for p in found] == ["zanzibar.txt"]
        article = get_json(client, f"/api/articles/{found[0]['article_id']}")
        assert article["body"][found[0]["start"] : found[0]["end"]] == found[0]["text"]


def test_readers_keep_answering_while_an_update_commits(
    raw_index: Index, tmp_path: Path, tagger: SpacyTagger
) -> None:
    """A search spanning a commit still answers (the archive waits for the writer)."""
    index_dir, extra = update_copy(raw_index, tmp_path)
    failures: list[str] = []
    stop = threading.Event()

    def keep_searching(client: TestClient) -> None:
        while not stop.is_set():
            response = client.get("/api/search?q=NATO+Zanzibar&limit=5")
            if response.status_code != 200:
                failures.append(response.text)

    # A bug answers 500 here rather than raising into the reader threads.
    with TestClient(create_app(index_dir), raise_server_exceptions=False) as client:
        readers = [
            threading.Thread(target=keep_searching, args=(client,)) for _ in range(4)
        ]
        for thread in readers:
            thread.start()
        with Index.open(index_dir) as writer:
            writer.update(extra, tagger=tagger)
        stop.set()
        for thread in readers:
            thread.join()
        assert failures == []
        assert get_json(client, "/api/search?q=Zanzibar")["total"] == 1


def test_a_bug_is_a_500_without_a_traceback(
    raw_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(api, "find", boom)
    monkeypatch.setattr(pages, "find", boom)
    with TestClient(create_app(raw_index.path), raise_server_exceptions=False) as c:
        response = c.get("/api/search?q=NATO")
        page = c.get("/?q=NATO")
    message = "internal error (the server log has the details)"
    assert (response.status_code, response.json()) == (500, {"error": message})
    assert page.status_code == 500
    assert message in page.text
    assert "secret detail" not in page.text + response.text


def test_worker_processes_build_the_app_from_the_environment(
    raw_index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSINDEX_SERVE_INDEX", str(raw_index.path))
    with TestClient(http.app_from_environment()) as client:
        found = get_json(client, "/api/search?q=Lungescu")
        assert [p["outlet"] for p in found["results"]] == ["TASS"]


def test_several_workers_still_refuse_a_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        http.run(tmp_path / "none", workers=2)


def test_explain_adds_the_query_tree(client: TestClient) -> None:
    plain = get_json(client, "/api/search", query={"q": "Lavrov NOT outlet:TASS"})
    assert "explain" not in plain
    found = get_json(
        client,
        "/api/search",
        query={"q": "Lavrov NOT outlet:TASS", "until": "2021-10", "explain": "1"},
    )
    assert found["explain"] == {
        "op": "and",
        "children": [
            {"op": "word", "field": "any", "text": "Lavrov"},
            {
                "op": "not",
                "child": {
                    "op": "filter",
                    "field": "outlet",
                    "value": "TASS",
                    "keys": ["tass", "itar-tass", "tass news agency"],
                },
            },
            {
                "op": "date",
                "start": None,
                "stop": "2021-10-31T23:59:59.999999Z",
                "undated": False,
            },
        ],
    }
    assert [p["outlet"] for p in found["results"]] == [None]  # 004, 2021-10-19
    assert found["total"] == 1


def test_a_pattern_of_everything_is_refused_at_once(client: TestClient) -> None:
    assert get_json(client, "/api/search", 400, query={"q": "*"}) == {
        "error": "'*' matches every word: add letters to it in query: '*'"
    }


def test_a_search_past_its_budget_answers_503(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSINDEX_SEARCH_SECONDS", "0.000001")
    # A query no other test asks: a searcher keeps its last rankings, and an
    # answer already worked out takes no time.
    assert get_json(client, "/api/search", 503, query={"q": "NATO budget"}) == {
        "error": "search stopped after 1e-06 s (NEWSINDEX_SEARCH_SECONDS): "
        "'NATO budget' matches too much; narrow it"
    }
