"""The semantic signal's model: static word embeddings, pooled, on the CPU.

`newsindex[semantic]` installs `wordllama`, whose wheel carries its weights
(`weights/l2_supercat_256.safetensors`, 32,000 tokens x 256 dimensions,
16 MB) and its tokenizer (`tokenizers/l2_supercat_tokenizer_config.json`),
so nothing is fetched at run time. wordllama's own loader looks for the
tokenizer under `tokenizer/` and, not finding it there, downloads it; the
files are read here instead, and a text's vector is computed as wordllama's
`embed` does: the mean of its tokens' vectors (padding masked), normalised.
Importing the package itself is avoided: it pulls in pydantic and
requests, and its `inference` module calls `logging.basicConfig()`.

Without the extra, `load_embedder()` returns None and ranking goes on
without the semantic signal.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["StaticEmbedder", "load_embedder"]

_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_MAX_TOKENS = 256  # a passage is ~500 characters; longer text adds little


class StaticEmbedder:
    """Mean-pooled static token embeddings, L2-normalised."""

    def __init__(self, table: Any, tokenizer: Any) -> None:
        self._table = table
        self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit vector per text (a zero vector for a text with no tokens)."""
        import numpy as np

        # As wordllama's `tokenize`: no <s>, whose vector would pull every text alike.
        encoded = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        vectors = np.zeros((len(encoded), self._table.shape[1]), dtype=np.float32)
        for row, item in enumerate(encoded):
            ids = [i for i, m in zip(item.ids, item.attention_mask, strict=True) if m]
            if ids:
                vectors[row] = self._table[ids[:_MAX_TOKENS]].mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: list[list[float]] = (vectors / norms).tolist()
        return result


@cache
def load_embedder() -> StaticEmbedder | None:
    """The packaged model, loaded once; None if `newsindex[semantic]` is absent."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    if not (root / _WEIGHTS).is_file() or not (root / _TOKENIZER).is_file():
        return None
    import numpy as np
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    table = np.ascontiguousarray(
        load_file(str(root / _WEIGHTS))["embedding.weight"], dtype=np.float32
    )
    tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return StaticEmbedder(table, tokenizer)
