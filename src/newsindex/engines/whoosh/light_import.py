"""Whoosh imported without the modules it loads that no search uses.

Three of Whoosh's imports cost a cold `newsindex search` more than the rest
of Whoosh does, for names it never calls there:

- `whoosh.compat` takes `urlretrieve` from `urllib.request`, which loads
  http.client, email, ssl and the rest of a web client (some 35 ms);
- `whoosh.reading` takes `cached_property` from the package of that name, a
  backport that imports asyncio for its async variant (some 20 ms);
- `whoosh.query.terms` takes `variations` (English word forms, for the
  `Variations` query newsindex does not make) from `whoosh.lang.morph_en`,
  which compiles some 400 regular expressions as it loads (some 12 ms).

Six more cost a few milliseconds each (17 ms together, `-X importtime`):
`tempfile` and `shutil` (with bz2 and lzma) for a writer's temporary
folders and files, `queue` for its worker processes, `html` for the HTML
highlighter, `calendar` for relative dates in Whoosh's own query language,
and `hashlib`, which loads OpenSSL, for `md5`, the hash of the term tables'
keys. A search looks up terms, so it is handed the standard library's own
MD5 (`_md5`, the same digests) where Python has it.

`load()` imports those Whoosh modules with stand-ins in `sys.modules` under
those names, and takes the stand-ins out again at once. The stand-ins give
Whoosh `functools.cached_property` (the same descriptor, in the standard
library since Python 3.8), and functions (`urlretrieve`, `variations`,
`escape`, `copyfileobj`) that import the real ones when called; any other
name is read from the real module, imported then, so code that meets a
stand-in in those few moments still works.

This package's `__init__` calls `load()`, and `engines.index_class` imports
this package before the Whoosh store (`newsindex.index.store`), so that
Whoosh is imported here first.
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["load"]

_lock = threading.Lock()
# Functions Whoosh imports by name and a search never calls.
_CALLED_LATER = (
    ("urllib.request", "urlretrieve"),
    ("whoosh.lang.morph_en", "variations"),
    ("html", "escape"),
    ("shutil", "copyfileobj"),
)
# Modules Whoosh imports whole and a search never reads from.
_LOADED_LATER = ("tempfile", "queue", "calendar")


class _StandIn(ModuleType):
    """A module whose own names are given, and whose others come from the
    real module of its name, imported when first asked for."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and such
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(name: str) -> ModuleType:
    """The real module `name`, imported past any stand-in."""
    module = sys.modules.get(name)
    if isinstance(module, _StandIn):
        with _lock:
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return importlib.import_module(name)


def _later(module: str, name: str) -> Callable[..., Any]:
    """A stand-in for the function `module.name` that imports it when called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), name)(*args, **kwargs)

    call.__module__, call.__name__, call.__qualname__ = __name__, name, name
    return call


def _md5() -> ModuleType | None:
    """A `hashlib` stand-in holding the built-in MD5; None without one."""
    try:
        from _md5 import md5  # type: ignore[import-not-found]  # CPython's own
    except ImportError:
        return None
    hashes = _StandIn("hashlib")
    hashes.md5 = md5  # type: ignore[attr-defined]
    return hashes


def _stand_ins() -> dict[str, ModuleType]:
    backport = _StandIn("cached_property")
    backport.cached_property = functools.cached_property  # type: ignore[attr-defined]
    modules = [backport, _md5()]
    for module, name in _CALLED_LATER:
        stand_in = _StandIn(module)
        setattr(stand_in, name, _later(module, name))
        modules.append(stand_in)
    modules += [_StandIn(name) for name in _LOADED_LATER]
    return {module.__name__: module for module in modules if module is not None}


def load() -> None:
    """Import `whoosh.compat`, `whoosh.reading`, `whoosh.query.terms` and
    `whoosh.codec.whoosh3` with the stand-ins, once."""
    if "whoosh.query.terms" in sys.modules:
        return
    with _lock:
        placed = {
            name: module
            for name, module in _stand_ins().items()
            if name not in sys.modules
        }
        sys.modules.update(placed)
    try:
        import whoosh.codec.whoosh3
        import whoosh.compat
        import whoosh.query.terms
        import whoosh.reading  # noqa: F401
    finally:
        with _lock:
            for name, module in placed.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
