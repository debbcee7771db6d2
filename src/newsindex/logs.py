"""The library's loggers (`newsindex.*`): silent unless the application sets
up logging.

The package's logger gets its NullHandler (as the logging HOWTO asks of a
library) when the first module that logs asks for its logger, not when
`newsindex` is imported: a search that logs nothing does not import logging.
"""

from __future__ import annotations

import logging

__all__ = ["get_logger"]


def get_logger(name: str) -> logging.Logger:
    """The logger `name` (a module's `__name__`), the package's handler in place."""
    package = logging.getLogger("newsindex")
    if not any(isinstance(h, logging.NullHandler) for h in package.handlers):
        package.addHandler(logging.NullHandler())
    return logging.getLogger(name)
