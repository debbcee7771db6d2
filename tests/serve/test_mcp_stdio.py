"""`newsindex mcp` answers every malformed JSON-RPC message with the spec's error.

JSON-RPC 2.0: -32700 for text that is not JSON, -32600 for JSON that is not
a message (an array: MCP has no batches), -32601 for an unknown method; the
id of the request when it can be read, else null. Checked over real stdio,
raw lines in, replies read with a bounded wait.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO, Any

import pytest

from newsindex import Index
from newsindex.serve.mcp_stdio import check_message

REPLY_SECONDS = 60  # the bound on each wait for a reply

PARSE_ERROR = {"code": -32700, "message": "Parse error"}
INVALID = {"code": -32600, "message": "Invalid Request"}

MALFORMED = [
    ("not json", None, PARSE_ERROR),
    ('{"jsonrpc": "2.0", "id": 1, "method": "ping"', None, PARSE_ERROR),
    ('{"jsonrpc": "2.0", "id": NaN, "method": "ping"}', None, PARSE_ERROR),
    ("[]", None, INVALID),
    ('[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]', None, INVALID),
    ('"just a string"', None, INVALID),
    ('{"jsonrpc": "2.0", "id": 2}', 2, INVALID),
    ('{"jsonrpc": "2.0", "id": "a", "params": {}}', "a", INVALID),
    ('{"jsonrpc": "1.0", "id": 3, "method": "ping"}', 3, INVALID),
    ('{"id": 4, "method": "ping"}', 4, INVALID),
    ('{"jsonrpc": "2.0", "id": 5, "method": 7}', 5, INVALID),
    ('{"jsonrpc": "2.0", "id": 6, "method": "ping", "params": 5}', 6, INVALID),
    ('{"jsonrpc": "2.0", "id": {"a": 1}, "method": "ping"}', None, INVALID),
    ('{"jsonrpc": "2.0", "id": true, "method": "ping"}', None, INVALID),
    ('{"jsonrpc": "2.0", "method": 1, "params": "bar"}', None, INVALID),
]
MALFORMED_IDS = [
    "not-json",
    "cut-short",
    "nan",
    "empty-batch",
    "batch",
    "string",
    "no-method",
    "no-method-string-id",
    "jsonrpc-1.0",
    "no-jsonrpc",
    "method-not-string",
    "params-not-object",
    "id-object",
    "id-boolean",
    "spec-example",
]


def reply(request_id: object, error: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": error}


@pytest.mark.parametrize(("line", "request_id", "error"), MALFORMED, ids=MALFORMED_IDS)
def test_check_message_names_the_error(
    line: str, request_id: object, error: dict[str, Any]
) -> None:
    found = check_message(line)
    assert found is not None
    dumped = json.loads(found.model_dump_json(by_alias=True, exclude_unset=True))
    assert dumped == reply(request_id, error)


@pytest.mark.parametrize(
    "line",
    [
        '{"jsonrpc": "2.0", "id": 1, "method": "ping"}',
        '{"jsonrpc": "2.0", "id": "x", "method": "nosuch", "params": {}}',
        '{"jsonrpc": "2.0", "method": "notifications/initialized"}',
        '{"jsonrpc": "2.0", "id": 1, "result": {}}',
        '{"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "x"}}',
    ],
    ids=["request", "unknown-method", "notification", "response", "error-response"],
)
def test_messages_pass(line: str) -> None:
    assert check_message(line) is None


class Stdio:
    """A `newsindex mcp` process: write raw lines, read reply lines, bounded."""

    def __init__(self, index: Index) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsindex", "mcp", "--index", str(index.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self.replies: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        self.reader = threading.Thread(
            target=self._read, args=(self.process.stdout,), daemon=True
        )
        self.reader.start()

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            self.replies.put(line)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def ask(self, line: str) -> dict[str, Any]:
        self.send(line)
        answer: dict[str, Any] = json.loads(self.replies.get(timeout=REPLY_SECONDS))
        return answer

    def close(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()
        return self.process.wait(timeout=REPLY_SECONDS)

    def end(self) -> None:
        """Stop the process if it still runs; close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=REPLY_SECONDS)
        self.reader.join(timeout=REPLY_SECONDS)  # it reads to the end of stdout
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


@pytest.fixture(scope="module")
def stdio(raw_index: Index) -> Iterator[Stdio]:
    server = Stdio(raw_index)
    yield server
    server.end()


@pytest.mark.parametrize(("line", "request_id", "error"), MALFORMED, ids=MALFORMED_IDS)
def test_malformed_line_gets_its_error_over_stdio(
    stdio: Stdio, line: str, request_id: object, error: dict[str, Any]
) -> None:
    assert stdio.ask(line) == reply(request_id, error)


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 10,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "raw", "version": "1"},
    },
}


def test_valid_traffic_goes_on_after_malformed(stdio: Stdio) -> None:
    assert stdio.ask("not json") == reply(None, PARSE_ERROR)
    started = stdio.ask(json.dumps(INITIALIZE))
    assert (started["id"], started["result"]["serverInfo"]["name"]) == (10, "newsindex")
    stdio.send('{"jsonrpc": "2.0", "method": "notifications/initialized"}')
    stdio.send("")  # a blank line is no message: no reply
    assert stdio.ask('{"jsonrpc": "2.0", "id": 11, "method": "ping"}') == {
        "jsonrpc": "2.0",
        "id": 11,
        "result": {},
    }
    assert stdio.ask('{"jsonrpc": "2.0", "id": 12, "method": "nosuch"}') == {
        "jsonrpc": "2.0",
        "id": 12,
        "error": {"code": -32601, "message": "Method not found", "data": "nosuch"},
    }
    assert stdio.ask("[]") == reply(None, INVALID)
    listed = stdio.ask('{"jsonrpc": "2.0", "id": 13, "method": "tools/list"}')
    names = sorted(tool["name"] for tool in listed["result"]["tools"])
    assert (listed["id"], names) == (
        13,
        [
            "coverage_timeline",
            "find_entities",
            "get_article",
            "list_outlets",
            "search_news",
            "trace_quote",
        ],
    )
    assert stdio.close() == 0
