"""The packaged static-embedding model, when `newsindex[semantic]` is installed.

CI installs `.[test]` only, so there these tests skip (saying why); the
fusion logic itself is tested with a fake embedder in test_rank.py.
"""

from __future__ import annotations

import pytest

from newsindex.query.rank_semantic import StaticEmbedder, load_embedder


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    model = load_embedder()
    if model is None:
        pytest.skip("newsindex[semantic] is not installed (wordllama)")
    return model


def test_vectors_are_unit_length(embedder: StaticEmbedder) -> None:
    vectors = embedder.embed(["Dollar falls against the yen", ""])
    assert [len(v) for v in vectors] == [256, 256]
    assert sum(x * x for x in vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert vectors[1] == [0.0] * 256


def test_a_currency_story_is_nearer_foreign_exchange_than_wheat(
    embedder: StaticEmbedder,
) -> None:
    query, money, grain = embedder.embed(
        [
            "money foreign exchange",
            "The Bank of Japan bought dollars in Tokyo as the yen rose.",
            "Wheat and barley harvests in Argentina were hit by drought.",
        ]
    )
    near = sum(q * v for q, v in zip(query, money, strict=True))
    far = sum(q * v for q, v in zip(query, grain, strict=True))
    assert near > far
