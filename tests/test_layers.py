"""Nothing above the engine interface imports an engine.

Every module of the package is read (not imported) and each import in it,
at the top or inside a function, is checked: only the engines themselves
(`newsindex.engines.whoosh`, ...) and the Whoosh store in `newsindex.index`
may import whoosh, an OpenSearch client or an engine's own modules. The
query layer, the archive, the ingester, the CLI and the servers speak to
`newsindex.engines.base` and to `Index`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsindex"
ENGINE_LIBRARIES = ("whoosh", "opensearchpy")
ENGINE_MODULES = ("newsindex.engines.whoosh", "newsindex.engines.opensearch")
# The engines, the one function that picks an engine for a location
# (engines/__init__.py), and the Whoosh store under `WhooshIndex`. The
# engine-agnostic `Index` (index/base.py) and an update run (index/update.py)
# are above the interface.
WHOOSH_STORE = (
    "index/store.py",
    "index/documents.py",
    "index/durable.py",
    "index/folder.py",
    "index/lock.py",
    "index/manifest.py",
    "index/safe_pickle.py",
    "index/schema.py",
    "index/verify.py",
    "index/whoosh_fixes.py",
    "index/whoosh_writer.py",
)
BELOW = ("engines/whoosh/", "engines/opensearch/", "engines/__init__.py", *WHOOSH_STORE)
# Importing a module of the Whoosh store is importing the engine.
STORE_MODULES = tuple(
    "newsindex." + path.removesuffix(".py").replace("/", ".") for path in WHOOSH_STORE
)


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def above(path: Path) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return not relative.startswith(BELOW)


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def is_engine(name: str) -> bool:
    return (
        name.split(".")[0] in ENGINE_LIBRARIES
        or name.startswith(ENGINE_MODULES)
        or name in STORE_MODULES
    )


@pytest.mark.parametrize(
    "path",
    [p for p in modules() if above(p)],
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_no_engine_above_the_interface(path: Path) -> None:
    assert sorted(n for n in imported(path) if is_engine(n)) == []


def test_the_walk_sees_the_engines() -> None:
    """The check can fail: the Whoosh engine's own modules do import whoosh."""
    engine = PACKAGE / "engines" / "whoosh" / "engine.py"
    assert not above(engine)
    assert "whoosh.searching" in imported(engine)
    assert len([p for p in modules() if above(p)]) > 40
    assert above(PACKAGE / "index" / "base.py")
    assert above(PACKAGE / "index" / "update.py")
