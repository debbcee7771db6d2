"""The web page in-process: results, facet links, the article view, escaping."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup, Tag
from starlette.testclient import TestClient

from newsindex import Index, render
from newsindex.ingest.entities import SpacyTagger
from newsindex.serve.http import create_app
from tests.conftest import raw_file

HOSTILE = (
    '<script>alert("title")</script> NATO notice\n\n'
    "BRUSSELS, October 20. /TASS/. NATO said <b>bold</b> and "
    '<script>alert(1)</script> "quoted & escaped" in a statement about the '
    "mission. The alliance <img src=x onerror=alert(2)> repeated it.\n"
)
LINKS = [
    {
        "title": "Alliance statement one",
        "url": "javascript:alert(1)",
        "text": "BRUSSELS, October 21. /TASS/. The alliance issued a statement on "
        "Thursday about the liaison staff, saying the decision was regrettable.",
    },
    {
        "title": "Alliance statement two",
        "url": "https://example.org/nato/statement",
        "text": "BRUSSELS, October 22. /TASS/. The alliance issued a second "
        "statement on Friday about the liaison office, saying dialogue was open.",
    },
]


@pytest.fixture(scope="module")
def client(raw_index: Index) -> Iterator[TestClient]:
    with TestClient(create_app(raw_index.path)) as client:
        yield client


@pytest.fixture(scope="module")
def odd_client(
    raw_index: Index, tmp_path_factory: pytest.TempPathFactory, tagger: SpacyTagger
) -> Iterator[TestClient]:
    """raw/ plus a republished copy, markup in the text, and URLs to link or not."""
    root = tmp_path_factory.mktemp("odd")
    shutil.copytree(raw_index.path, root / "index")
    extra = root / "extra"
    extra.mkdir()
    shutil.copy(raw_file("001"), extra / "republished.txt")
    (extra / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (extra / "links.json").write_text(json.dumps(LINKS), encoding="utf-8")
    with Index.open(root / "index") as writer:
        writer.update(extra, tagger=tagger)
    with TestClient(create_app(root / "index")) as client:
        yield client


def page(client: TestClient, url: str, status: int = 200) -> tuple[BeautifulSoup, str]:
    response = client.get(url)
    assert (response.status_code, response.headers["content-type"]) == (
        status,
        "text/html; charset=utf-8",
    )
    return BeautifulSoup(response.text, "html.parser"), response.text


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select(selector)
    assert len(found) == 1, selector
    return found[0]


def facets(soup: BeautifulSoup, heading: str) -> list[tuple[str, str | None, str]]:
    """(value, link or None, count) of one facet list."""
    section = next(
        s for s in soup.select(".facets section") if one(s, "h2").text == heading
    )
    rows = []
    for li in section.select("li"):
        link = li.find("a")
        rows.append(
            (
                one(li, ".facet-value").text.removesuffix(" ✕"),
                str(link["href"]) if isinstance(link, Tag) else None,
                one(li, ".count").text,
            )
        )
    return rows


def test_front_page_is_the_form_with_its_help(client: TestClient) -> None:
    soup, _ = page(client, "/")
    assert one(soup, 'meta[name="viewport"]')["content"] == (
        "width=device-width, initial-scale=1"
    )
    fields = soup.select("form.search input, form.search select")
    assert [f["name"] for f in fields] == [
        "q", "since", "until", "outlet", "entity", "sort", "include_undated",
    ]  # fmt: skip
    for field in fields:
        assert one(soup, f'label[for="{field["id"]}"]').text.strip()
    assert "outlet:TASS" in one(soup, "details.syntax").text
    assert soup.select(".card") == []


def test_results_show_passages_with_their_matches_marked(
    client: TestClient, raw_index: Index
) -> None:
    passages = raw_index.search("NATO mission", limit=10)
    soup, _ = page(client, "/?q=NATO+mission")
    cards = soup.select(".card")
    assert len(cards) == len(passages) == 5
    assert one(soup, "#results-heading").text == "5 articles match"
    for card, p in zip(cards, passages, strict=True):
        href = (
            f"/articles/{p.article_id}?start={p.start}&end={p.end}&q=NATO+mission"
            "#passage"
        )
        assert one(card, ".outlet").text == (p.outlet or "unknown outlet")
        assert one(card, "time").text == (p.published or "undated")
        assert one(card, "h3 a")["href"] == href
        assert one(card, "h3 a").text == (p.title or "(untitled)")
        assert one(card, "blockquote").text == p.text
        assert [m.text for m in card.select("mark")] == [
            p.text[start:end] for start, end in p.highlights
        ]
        assert one(card, "button.copy")["data-citation"] == render.citation(p)
    assert one(soup, "#q")["value"] == "NATO mission"


def test_facet_counts_link_to_their_filter(client: TestClient) -> None:
    soup, _ = page(client, "/?q=NATO+mission")
    assert facets(soup, "Outlet") == [
        ("unknown", None, "3"),
        ("TASS", "/?q=NATO+mission&outlet=TASS", "2"),
    ]
    assert facets(soup, "Month") == [
        ("2021-10", "/?q=NATO+mission&since=2021-10&until=2021-10", "2"),
        ("2024-05", "/?q=NATO+mission&since=2024-05&until=2024-05", "1"),
        ("undated", None, "2"),
    ]


def test_entity_links_set_the_filter_they_count(
    client: TestClient, raw_index: Index
) -> None:
    soup, _ = page(client, "/?q=NATO+mission&outlet=TASS")
    expected = raw_index.entity_facet("NATO mission", outlet="TASS")
    entities = facets(soup, "People, organisations, places")
    links = [
        {"q": "NATO mission", "outlet": "TASS", "entity": e.name} for e in expected
    ]
    assert entities == [
        (e.name, "/?" + urlencode(query), str(e.count))
        for e, query in zip(expected, links, strict=True)
    ]
    assert entities[:2] == [
        ("Brussels", "/?q=NATO+mission&outlet=TASS&entity=Brussels", "2"),
        (
            "Liaison Mission Moscow",
            "/?q=NATO+mission&outlet=TASS&entity=Liaison+Mission+Moscow",
            "2",
        ),
    ]
    for name, href, count in entities[:3]:
        soup, _ = page(client, str(href))
        heading = one(soup, "#results-heading").text
        assert heading == f"{count} article{'s' if count != '1' else ''} match"
        assert one(soup, "#entity")["value"] == name


def test_the_entity_filter_set_is_marked_and_removable(client: TestClient) -> None:
    soup, _ = page(client, "/?q=NATO+mission&entity=Jens+Stoltenberg")
    active = one(soup, ".facet-entity .facet-value.active")
    assert (active.text, active["href"], active["aria-current"]) == (
        "Jens Stoltenberg ✕",
        "/?q=NATO+mission",
        "true",
    )
    # A name the facet lists under another spelling comes first, with the total.
    soup, _ = page(client, "/?q=NATO+mission&entity=Stoltenberg")
    (first, *_) = facets(soup, "People, organisations, places")
    assert first == ("Stoltenberg", "/?q=NATO+mission", "4")
    assert one(soup, "#results-heading").text == "4 articles match"


def test_filters_sit_in_disclosures(client: TestClient) -> None:
    soup, _ = page(client, "/?q=NATO+mission&outlet=TASS&sort=-date")
    filters = one(soup, "form.search details.filters")
    assert one(filters, "summary").text == "Filters (2 set)"
    assert [f["name"] for f in filters.select("input, select")] == [
        "since", "until", "outlet", "entity", "sort", "include_undated",
    ]  # fmt: skip
    narrow = one(soup, "aside.facets details.narrow")
    assert one(narrow, "summary").text == "Narrow by outlet, name, month"
    assert [h.text for h in narrow.select("h2")] == [
        "Outlet", "People, organisations, places", "Month",
    ]  # fmt: skip
    soup, _ = page(client, "/")
    assert one(soup, "details.filters summary").text == "Filters"


def test_an_article_opened_from_results_links_back_to_them(
    client: TestClient, raw_index: Index
) -> None:
    search = "/?q=NATO&outlet=TASS&limit=1&offset=1"
    soup, _ = page(client, search)
    (p,) = raw_index.search("NATO", outlet="TASS", limit=1, offset=1)
    href = one(soup, ".card h3 a")["href"]
    assert href == (
        f"/articles/{p.article_id}?start={p.start}&end={p.end}"
        "&q=NATO&outlet=TASS&limit=1&offset=1#passage"
    )
    assert one(soup, ".card")["id"] == f"r-{p.article_id}-{p.start}"
    soup, _ = page(client, str(href))
    back = one(soup, "p.back a")
    assert (back.text, back["href"]) == (
        "← Back to results",
        f"{search}#r-{p.article_id}-{p.start}",
    )
    assert one(soup, "mark#passage").text == p.text
    assert (one(soup, "#q")["value"], one(soup, "#outlet")["value"]) == (
        "NATO",
        "TASS",
    )
    soup, _ = page(client, f"/articles/{p.article_id}")
    assert soup.select("p.back") == []


def test_an_outlet_link_filters_and_then_removes_the_filter(
    client: TestClient,
) -> None:
    soup, _ = page(client, "/?q=NATO+mission&outlet=TASS")
    assert [o.text for o in soup.select(".card .outlet")] == ["TASS", "TASS"]
    active = one(soup, ".facet-value.active")
    assert (active.text, active["href"], active["aria-current"]) == (
        "TASS ✕",
        "/?q=NATO+mission",
        "true",
    )
    assert one(soup, "#outlet")["value"] == "TASS"


def test_a_month_link_filters_by_date(client: TestClient) -> None:
    soup, _ = page(client, "/?q=NATO+mission&since=2021-10&until=2021-10")
    dates = [t.text for t in soup.select(".card time")]
    assert dates == ["2021-10-18T16:46", "2021-10-19"]
    assert facets(soup, "Month") == [
        ("2021-10", "/?q=NATO+mission", "2"),
    ]


def test_pages_link_forward_and_back(client: TestClient) -> None:
    soup, _ = page(client, "/?q=NATO&limit=2")
    assert [a["href"] for a in soup.select("nav.pages a")] == [
        "/?q=NATO&limit=2&offset=2"
    ]
    soup, _ = page(client, "/?q=NATO&limit=2&offset=2")
    assert one(soup, "ol.cards")["start"] == "3"
    assert [a["href"] for a in soup.select("nav.pages a")] == [
        "/?q=NATO&limit=2",
        "/?q=NATO&limit=2&offset=4",
    ]


def test_the_article_view_marks_the_passage(
    client: TestClient, raw_index: Index
) -> None:
    for p in raw_index.search("NATO mission", limit=10):
        body = raw_index.get(p.article_id).body
        soup, _ = page(client, f"/articles/{p.article_id}?start={p.start}&end={p.end}")
        assert one(soup, "mark#passage").text == p.text
        assert one(soup, ".body").text == body


def test_the_article_view_without_a_span_marks_nothing(
    client: TestClient, raw_index: Index
) -> None:
    article = raw_index.get("c124b852bc9b5986")
    soup, _ = page(client, "/articles/c124b852bc9b5986")
    assert (soup.select("mark"), one(soup, ".body").text) == ([], article.body)
    assert one(soup, "h2").text == article.title


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/?q=(NATO", 400, "unbalanced parenthesis in query: '(NATO'"),
        ("/?q=NATO&limit=abc", 400, "limit must be an integer from 1 to 100: 'abc'"),
        ("/?q=NATO&x=1", 400, "unknown parameter: 'x'"),
        (
            "/?q=NATO&since=soon",
            400,
            "cannot read date 'soon' (try 2021-10-19, 2021-10, '18 Oct 2021' or "
            "'yesterday')",
        ),
        (
            "/articles/c124b852bc9b5986?start=5&end=3",
            400,
            "start and end must mark a span of the body (0 <= start < end <= 2134): "
            "start=5, end=3",
        ),
        (
            "/articles/c124b852bc9b5986?start=5",
            400,
            "start and end must mark a span of the body (0 <= start < end <= 2134): "
            "start=5, end=None",
        ),
        (
            "/articles/c124b852bc9b5986?start=0&end=9999",
            400,
            "start and end must mark a span of the body (0 <= start < end <= 2134): "
            "start=0, end=9999",
        ),
        ("/articles/0000000000000000", 404, "no article with id '0000000000000000'"),
        ("/articles/%3Cscript%3E", 404, "no article with id '<script>'"),
        ("/nothing", 404, "no such page: '/nothing'"),
    ],
)
def test_errors_are_a_message_on_the_page(
    client: TestClient, url: str, status: int, message: str
) -> None:
    soup, _ = page(client, url, status)
    assert one(soup, "p.error[role=alert]").text == message


def test_an_error_keeps_the_form_filled(client: TestClient) -> None:
    soup, _ = page(client, "/?q=%22permanent+mission&outlet=TASS", 400)
    assert (one(soup, "#q")["value"], one(soup, "#outlet")["value"]) == (
        '"permanent mission',
        "TASS",
    )


def test_markup_in_the_corpus_is_shown_as_text(odd_client: TestClient) -> None:
    soup, html = page(odd_client, "/?q=escaped")
    card = soup.select(".card")[0]
    assert "<script>alert(1)</script>" in one(card, "blockquote").text
    assert "<img src=x onerror=alert(2)>" in one(card, "blockquote").text
    assert [s.get("src") for s in soup.select("script")] == ["/static/app.js"]
    assert soup.select("img, b") == []
    soup, html = page(odd_client, str(one(card, "h3 a")["href"]))
    assert [s.get("src") for s in soup.select("script")] == ["/static/app.js"]
    assert '<script>alert("title")</script> NATO notice' in one(soup, ".body").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_republished_copies_are_listed(odd_client: TestClient) -> None:
    body = odd_client.get("/api/search?q=official+notification").json()
    (first, *_) = body["results"]
    assert [a["article_id"] for a in first["also_in"]] != []
    soup, _ = page(odd_client, "/?q=official+notification")
    card = soup.select(".card")[0]
    assert [a["href"] for a in card.select(".also-in a")] == [
        f"/articles/{a['article_id']}?q=official+notification" for a in first["also_in"]
    ]


@pytest.mark.parametrize(
    ("title", "link"),
    [
        ("Alliance statement one", None),  # javascript: is never a link
        ("Alliance statement two", "https://example.org/nato/statement"),
    ],
)
def test_only_web_urls_are_linked(
    odd_client: TestClient, title: str, link: str | None
) -> None:
    soup, _ = page(odd_client, f'/?q=title:"{title}"&limit=1')
    soup, _ = page(odd_client, str(one(soup, ".card h3 a")["href"]))
    assert [a["href"] for a in soup.select(".fields a")] == ([link] if link else [])
