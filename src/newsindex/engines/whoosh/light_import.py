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

`load()` imports those Whoosh modules with stand-ins in `sys.modules` under
those names, and takes the stand-ins out again at once. The stand-ins give
Whoosh `functools.cached_property` (the same descriptor, in the standard
library since Python 3.8), and an `urlretrieve` and a `variations` that
import the real ones when called; any other name is read from the real
module, imported then, so code that meets a stand-in in those few moments
still works.

This package's `__init__` calls `load()`, and `engines.index_class` imports
this package before the Whoosh store (`newsindex.index.store`), so that
Whoosh is imported here first.
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading
from types import ModuleType
from typing import Any

__all__ = ["load"]

_lock = threading.Lock()


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


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    return _real("urllib.request").urlretrieve(*args, **kwargs)


def _variations(word: str) -> Any:
    return _real("whoosh.lang.morph_en").variations(word)


def _stand_ins() -> dict[str, ModuleType]:
    web = _StandIn("urllib.request")
    web.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    backport = _StandIn("cached_property")
    backport.cached_property = functools.cached_property  # type: ignore[attr-defined]
    forms = _StandIn("whoosh.lang.morph_en")
    forms.variations = _variations  # type: ignore[attr-defined]
    return {module.__name__: module for module in (web, backport, forms)}


def load() -> None:
    """Import `whoosh.compat`, `whoosh.reading` and `whoosh.query.terms` with
    the stand-ins, once."""
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
        import whoosh.compat
        import whoosh.query.terms
        import whoosh.reading  # noqa: F401
    finally:
        with _lock:
            for name, module in placed.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
