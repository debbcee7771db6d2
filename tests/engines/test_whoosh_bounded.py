"""bounded.top_documents: Whoosh's own top passages, found from array bounds.

On an index of three segments (the mixed fixture's Reuters and dai2017
articles, added in three runs) with documents deleted and not yet merged
away, every query tree of the model test (tests/query/test_tree.py), in
every date window, must give exactly what Whoosh's TopCollector gives:
the same documents, in the same order, with the same scores, ties broken
by document number.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import whoosh.index as windex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wquery
from whoosh.searching import Searcher

from newsindex import Index
from newsindex.engines.whoosh import bounded, columns
from newsindex.engines.whoosh.columns import Only
from newsindex.engines.whoosh.engine import WhooshRun
from newsindex.engines.whoosh.walked import Walked
from newsindex.errors import QueryError
from newsindex.query.plan import plan_search

from ..conftest import DATA
from ..index.test_parallel import NoEntities
from ..query.test_tree import WINDOWS, Node, render, trees

# The deletions are a plain Whoosh commit: the archive's tables lag behind it.
pytestmark = pytest.mark.filterwarnings("ignore::newsindex.errors.ArchiveBehindWarning")
LIMITS = (1, 10, 100)
MIXED = DATA / "mixed"


@pytest.fixture(scope="module", autouse=True)
def _every_query_bounded() -> Iterator[None]:
    """The fixture is small: no query would reach bounded's threshold."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bounded, "SMALL", 0)
        yield


def _split_reuters(text: str) -> tuple[str, str]:
    head, *records = re.split(r"(?=<REUTERS )", text)
    half = len(records) // 2
    return head + "".join(records[:half]), head + "".join(records[half:])


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """The mixed articles in three commits (three segments), then 5% of the
    documents deleted by a plain Whoosh writer that merges nothing."""
    work = tmp_path_factory.mktemp("bounded")
    corpus = work / "corpus"
    corpus.mkdir()
    first, second = _split_reuters((MIXED / "reuters-mixed.sgm").read_text("latin-1"))
    lines = (MIXED / "dai2017-mixed.jsonl").read_text("utf-8").splitlines(keepends=True)
    runs = [
        {"a.sgm": first},
        {"b.jsonl": "".join(lines[: len(lines) // 2])},
        {"c.sgm": second, "d.jsonl": "".join(lines[len(lines) // 2 :])},
    ]
    for files in runs:
        for name, text in files.items():
            (corpus / name).write_text(
                text, "latin-1" if name.endswith("sgm") else "utf-8"
            )
        Index.build(corpus, work / "index", tagger=NoEntities()).close()
    raw = windex.open_dir(str(work / "index"))
    with raw.searcher() as searcher:
        passages = sorted(searcher.document_numbers(kind="passage"))
    rng = random.Random(7)
    writer = raw.writer()
    for docnum in rng.sample(passages, len(passages) // 20):
        writer.delete_document(docnum)
    writer.commit(merge=False)
    index = Index.open(work / "index")
    yield index
    index.close()
    shutil.rmtree(work, ignore_errors=True)


def _whoosh(
    searcher: Searcher, query: wquery.Query, limit: int
) -> list[tuple[float, int]]:
    collector = searcher.collector(limit=limit)
    searcher.search_with_collector(query, collector)
    return [(hit.score, hit.docnum) for hit in collector.results()]


def _query(
    index: Index, text: str, since: str | None, until: str | None
) -> tuple[Searcher, wquery.Query]:
    plan = plan_search(index, text, since=since, until=until)
    run = index.engine().run(plan.tree, plan.text)
    assert isinstance(run, WhooshRun)
    return run.searcher, run._windowed(run.compiled.query)


def test_the_fixture_has_segments_and_deletions(segmented: Index) -> None:
    reader = segmented.searcher().reader()
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    assert len(leaves) == 3
    assert any(leaf.has_deletions() for leaf in leaves)


@pytest.mark.parametrize(
    "text",
    [
        "oil",
        '"oil prices"',
        '"prime minister"~3',
        "oil OR opec",
        "oil AND prices",
        "title:oil minister",
        "outlet:Reuters oil",
        "oil NOT outlet:Reuters",
        "oil -title:opec",
        "oil (opec OR saudi)",
    ],
)
def test_common_queries_are_bounded_not_left_to_whoosh(
    segmented: Index, text: str
) -> None:
    searcher, query = _query(segmented, text, None, None)
    for limit in LIMITS:
        found = bounded.top_documents(searcher, query, limit)
        assert found is not None, text
        assert found == _whoosh(searcher, query, limit), (text, limit)
        assert found


@settings(
    max_examples=int(os.environ.get("NEWSINDEX_TREE_EXAMPLES", "300")) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=trees, window=st.sampled_from(WINDOWS), limit=st.sampled_from(LIMITS))
def test_any_tree_gives_whooshs_own_top_documents(
    segmented: Index, tree: Node, window: tuple[str | None, str | None], limit: int
) -> None:
    text = render(tree)
    try:
        searcher, query = _query(segmented, text, *window)
    except QueryError:
        return  # selects nothing to rank: search never runs it
    ranking = bounded.Ranking.of(searcher, query)
    if ranking is not None:
        assert ranking.top(limit) == _whoosh(searcher, query, limit), text
        matching = sorted(searcher.docs_for_query(query))
        assert ranking.matching().tolist() == matching, text


def test_a_query_part_without_a_bound_is_left_to_whoosh(segmented: Index) -> None:
    searcher, _ = _query(segmented, "oil", None, None)
    pattern = wquery.Or([wquery.Prefix("text", "sau"), wquery.Term("text", "oil")])
    assert bounded.top_documents(searcher, pattern, 10) is None


@pytest.mark.parametrize(
    "text",
    ["oil", '"oil prices"', "oil -title:opec", "(oil OR prices) -opec", "oil -opec"],
)
def test_every_match_is_whooshs_own(segmented: Index, text: str) -> None:
    searcher, query = _query(segmented, text, None, None)
    ranking = bounded.Ranking.of(searcher, query)
    assert ranking is not None
    matching = sorted(searcher.docs_for_query(query))
    assert matching
    assert ranking.matching().tolist() == matching


def test_a_search_counts_the_articles_its_passages_belong_to(
    segmented: Index,
) -> None:
    searcher, query = _query(segmented, "(oil OR prices) -opec", None, None)
    articles = {
        searcher.stored_fields(d)["article_id"] for d in searcher.docs_for_query(query)
    }
    assert segmented.search("(oil OR prices) -opec").total == len(articles) > 1


@pytest.mark.parametrize("text", ["oil", '"oil prices"', "oil -title:opec"])
def test_an_articles_best_passage_is_whooshs_own(segmented: Index, text: str) -> None:
    searcher, query = _query(segmented, text, None, None)
    ranking = bounded.Ranking.of(searcher, query)
    assert ranking is not None
    articles = {searcher.stored_fields(d)["article_id"] for _, d in ranking.top(30)}
    assert len(articles) > 5
    for article in sorted(articles):
        only = Only(query, wquery.Term("article_id", article))
        passages = list(searcher.document_numbers(article_id=article))
        assert ranking.best_within(passages) == _whoosh(searcher, only, 1)[0], article
    assert ranking.best_within([]) is None


@pytest.mark.parametrize(
    "text", ["oil", '"oil prices"', "oil -title:opec", "outlet:Reuters oil", "sau*"]
)
def test_a_walk_kept_whole_answers_as_whoosh_at_any_depth(
    segmented: Index, text: str
) -> None:
    """A cold process's first small query is walked once (walked.py) and
    asked again for more passages, one article's best and every match."""
    searcher, query = _query(segmented, text, "1987-03-01", None)
    walked = Walked.of(searcher, query, lambda: None)
    for limit in (*LIMITS, 100_000):
        assert walked.top(limit) == _whoosh(searcher, query, limit), (text, limit)
    matching = sorted(searcher.docs_for_query(query))
    assert walked.matching() == matching
    assert len(matching) > 10
    for article in sorted(
        {searcher.stored_fields(d)["article_id"] for _, d in walked.top(5)}
    ):
        only = Only(query, wquery.Term("article_id", article))
        passages = list(searcher.document_numbers(article_id=article))
        assert walked.best_within(passages) == _whoosh(searcher, only, 1)[0], article
    assert walked.best_within([]) is None


@given(
    scores=st.lists(st.sampled_from([0.0, 0.5, 1.25, 2.0, 3.5]), max_size=60),
    count=st.integers(1, 70),
)
def test_the_best_by_partition_are_the_best_by_sorting(
    scores: list[float], count: int
) -> None:
    import numpy as np

    docs = np.arange(len(scores), dtype=np.int64) * 3
    values = np.asarray(scores)
    expected = np.lexsort((docs, -values))[:count].tolist()
    assert bounded._best(docs, values, count).tolist() == expected


@pytest.fixture(scope="module")
def common_word(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, bytes]:
    """A segment where one word has many blocks of postings (in three
    documents of four, with a weight that varies)."""
    from whoosh import fields

    where = tmp_path_factory.mktemp("blocks")
    raw = windex.create_in(str(where), fields.Schema(text=fields.TEXT(phrase=False)))
    writer = raw.writer()
    for n in range(2000):
        writer.add_document(text="said " * (1 + n % 3) if n % 4 else "other words")
    writer.commit()
    ((leaf, _),) = raw.reader().leaf_readers()
    assert leaf.doc_frequency("text", b"said") == 1500  # 12 blocks of 128
    return leaf, b"said"


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_windows_postings_skip_blocks_and_keep_its_documents(
    common_word: tuple[Any, bytes], data: st.DataObject
) -> None:
    import numpy as np

    leaf, word = common_word
    every, weights = bounded._postings(leaf.postings("text", word), True)
    count = leaf.doc_count_all()
    start = data.draw(st.integers(0, count))
    size = data.draw(st.integers(0, count // 4))
    window = np.arange(start, min(count, start + size), dtype=np.int64)
    read, read_weights = bounded._postings(
        leaf.postings("text", word),
        True,
        None,
        window,
    )
    kept = np.isin(every, window)
    assert read[np.isin(read, window)].tolist() == every[kept].tolist()
    assert read_weights[np.isin(read, window)].tolist() == weights[kept].tolist()
    assert len(read) <= len(every)
    if len(window) and len(every) and window[-1] < every[len(every) // 2]:
        assert len(read) < len(every)  # the blocks past the window are not read


def test_a_window_of_one_blocks_last_document_reads_that_block(
    common_word: tuple[Any, bytes],
) -> None:
    import numpy as np

    leaf, word = common_word
    every, _ = bounded._postings(leaf.postings("text", word), True)
    for last in every[127::128].tolist():  # each block's last document
        window = np.asarray([last], dtype=np.int64)
        read, _ = bounded._postings(leaf.postings("text", word), True, None, window)
        assert last in read.tolist()
        assert len(read) == 128


def test_warming_reads_every_segments_lengths_and_the_facet_table(
    segmented: Index,
) -> None:
    from newsindex.engines.whoosh import facet_table

    searcher = segmented.searcher()
    leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
    fields = searcher.schema.scorable_names()
    wanted = {(columns.segment_key(leaf), field) for leaf in leaves for field in fields}
    bounded._LENGTHS.clear()
    facet_table._tables.clear()

    segmented.warm()

    assert len(leaves) == 3
    assert "text" in fields
    assert wanted <= set(bounded._LENGTHS)
    (built,) = facet_table._tables.values()
    assert facet_table.facet_table(searcher) is built  # searches reuse it
