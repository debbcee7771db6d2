"""MCP over stdio that answers every malformed JSON-RPC message, as the spec says.

The SDK's stdio transport drops a line it cannot read as a message: bad
JSON, a batch (an array), a request without `method` get no reply at all,
and a client waits forever. JSON-RPC 2.0 (https://www.jsonrpc.org/specification,
"Error object" and "Batch") requires an answer: -32700 "Parse error" for
text that is not JSON, -32600 "Invalid Request" for JSON that is not a
message, with the request's id if one can be read and null if not. MCP
dropped batches (2025-06-18), so an array is an invalid request as a whole.
Lines are checked here with the SDK's own message model before the SDK
reads them, so whatever it would drop is answered instead; the rest (unknown
methods get -32601 from the SDK) passes through untouched.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager, suppress
from io import TextIOWrapper
from typing import Any, NoReturn, Protocol, cast

import anyio
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp.types import (
    INVALID_REQUEST,
    PARSE_ERROR,
    ErrorData,
    JSONRPCError,
    jsonrpc_message_adapter,
)
from pydantic import ValidationError

__all__ = ["check_message", "guarded_stdio"]


def check_message(line: str) -> JSONRPCError | None:
    """Return the error reply a line deserves, or None if it is a JSON-RPC message."""
    try:
        value = json.loads(line, parse_constant=_not_json)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return _error(None, PARSE_ERROR, "Parse error")
    request_id = _request_id(value)
    # The SDK reads {"id": {...}, "method": "ping"} as a notification that
    # happens to carry an "id", and drops it; an id must be a string or number.
    # (An error response may carry a null id: it is never answered.)
    has_method_and_id = isinstance(value, dict) and {"method", "id"} <= value.keys()
    if has_method_and_id and request_id is None:
        return _error(None, INVALID_REQUEST, "Invalid Request")
    try:
        jsonrpc_message_adapter.validate_json(line, by_name=False)  # as the SDK reads
    except ValidationError:
        return _error(request_id, INVALID_REQUEST, "Invalid Request")
    return None


class _Replies(Protocol):
    async def send(self, item: SessionMessage, /) -> None: ...


class _CheckedLines:
    """stdin's lines: malformed ones answered through `replies`, the rest passed on."""

    def __init__(self, lines: AsyncIterable[str]) -> None:
        self._lines = lines
        self._replies: _Replies | None = None
        self._ready = anyio.Event()

    def answer_through(self, replies: _Replies) -> None:
        self._replies = replies
        self._ready.set()

    async def __aiter__(self) -> AsyncIterator[str]:
        async for line in self._lines:
            if not line.strip():  # between messages: not a message
                continue
            error = check_message(line)
            if error is None:
                yield line
                continue
            await self._ready.wait()
            assert self._replies is not None
            await self._replies.send(SessionMessage(error))


@asynccontextmanager
async def guarded_stdio() -> AsyncIterator[tuple[Any, Any]]:
    """The SDK's stdio streams, with malformed messages answered before it reads."""
    wrapper = TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    lines = _CheckedLines(anyio.wrap_file(wrapper))
    try:
        # stdio_server only iterates what it is given as stdin, line by line.
        stdin = cast("anyio.AsyncFile[str]", lines)
        async with stdio_server(stdin=stdin) as (read, write):
            lines.answer_through(write)
            yield read, write
    finally:
        with suppress(ValueError):  # already detached
            wrapper.detach()  # sys.stdin's buffer is not ours to close


def _error(request_id: int | str | None, code: int, message: str) -> JSONRPCError:
    return JSONRPCError(
        jsonrpc="2.0", id=request_id, error=ErrorData(code=code, message=message)
    )


def _request_id(value: object) -> int | str | None:
    """The id a reply can carry: a request's string or integer id, else null."""
    if not isinstance(value, dict):
        return None
    found = value.get("id")
    if isinstance(found, str) or (
        isinstance(found, int) and not isinstance(found, bool)
    ):
        return found
    return None


def _not_json(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not JSON")  # json.loads takes NaN, Infinity
