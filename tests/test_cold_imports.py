"""A cold `newsindex search` imports what a search needs, and no more.

Each check runs in a new Python process, as the command does: what an
earlier test imported would hide what this one imports.
"""

from __future__ import annotations

import json
import subprocess
import sys

from newsindex import Index

# Loaded by Whoosh's own imports, or by newsindex's commands, and never used
# by a search: a web client (http.client, email, ssl), asyncio, logging,
# Whoosh's English word forms, the ingest side (spaCy, trafilatura, rapidfuzz,
# the outlet registry when no outlet is named).
NOT_FOR_A_SEARCH = (
    "urllib.request",
    "http.client",
    "asyncio",
    "cached_property",
    "logging",
    "spacy",
    "trafilatura",
    "rapidfuzz",
    "whoosh.lang.morph_en",
    "newsindex.ingest.outlet",  # the outlet registry: for an outlet filter
    # Whoosh's for writers (temporary files, worker queues), its HTML highlighter,
    # its relative dates; OpenSSL (the term tables hash with the built-in MD5).
    "tempfile",
    "shutil",
    "queue",
    "html",
    "calendar",
    "_hashlib",
    "whoosh.writing",
    "signal",
)

_SEARCH = """
import json, sys
from newsindex.cli import main
sys.argv = ["newsindex", "search", "Lungescu", "--index", sys.argv[1], "--json"]
try:
    main()
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(code: str, *args: str) -> tuple[list[str], set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    *output, modules = done.stdout.splitlines()
    return output, set(json.loads(modules))


def test_a_search_imports_none_of_what_it_does_not_use(raw_index: Index) -> None:
    hits, modules = _modules_after(_SEARCH, str(raw_index.path))
    assert [json.loads(hit)["outlet"] for hit in hits] == ["TASS"]
    assert sorted(modules & set(NOT_FOR_A_SEARCH)) == []


def test_whoosh_imported_past_the_stand_ins_still_has_what_it_imported() -> None:
    code = """
import json, sys
from newsindex.engines.whoosh import light_import
light_import.load()
unloaded = [
    name
    for name in ("urllib.request", "asyncio", "whoosh.lang.morph_en")
    if name not in sys.modules
]
import whoosh.compat, whoosh.reading
import urllib.request
print(json.dumps([
    unloaded,
    whoosh.compat.urlretrieve.__module__,
    sorted(whoosh.query.terms.variations("rendered")),
    urllib.request.urlopen.__module__,
]))
print(json.dumps(sorted(sys.modules)))
"""
    (line,), modules = _modules_after(code)
    unloaded, urlretrieve_module, forms, urlopen_module = json.loads(line)
    assert unloaded == ["urllib.request", "asyncio", "whoosh.lang.morph_en"]
    assert {"render", "renders", "rendering"} <= set(forms)  # the real ones
    assert (
        urlretrieve_module == "newsindex.engines.whoosh.light_import"
    )  # imports the real one
    assert urlopen_module == "urllib.request"  # the real module, once asked for
    assert "asyncio" not in modules


def test_a_stand_in_hands_on_any_other_name_from_the_real_module() -> None:
    code = """
import json, sys
from newsindex.engines.whoosh import light_import
stand_ins = light_import._stand_ins()
web = stand_ins["urllib.request"]
backport = stand_ins["cached_property"]
print(json.dumps([web.Request.__module__, backport.threaded_cached_property.__name__]))
print(json.dumps(sorted(sys.modules)))
"""
    (line,), modules = _modules_after(code)
    assert json.loads(line) == ["urllib.request", "threaded_cached_property"]
    assert {"urllib.request", "cached_property"} <= modules


def test_only_a_first_small_query_is_left_to_whooshs_walk(raw_index: Index) -> None:
    """numpy's import is worth it for a process that goes on searching: the
    first small query is walked by Whoosh, the next one imports numpy."""
    code = """
import json, sys
from newsindex import Index
index = Index.open(sys.argv[1])
seen = []
for text in ("Lungescu", "Lungescu", "Lavrov NATO"):
    outlets = [hit.outlet for hit in index.search(text)]
    seen.append([text, outlets[:1], "numpy" in sys.modules])
print(json.dumps(seen))
print(json.dumps(sorted(sys.modules)))
"""
    (line,), _ = _modules_after(code, str(raw_index.path))
    assert json.loads(line) == [
        ["Lungescu", ["TASS"], False],
        ["Lungescu", ["TASS"], False],  # the same query again: walked again
        ["Lavrov NATO", ["TASS"], True],
    ]


def test_a_first_small_query_is_walked_once_for_its_passages_and_its_total(
    raw_index: Index,
) -> None:
    """Asked for more passages, another article's best and the number of
    articles, a walked query reads the walk it kept (walked.py)."""
    code = """
import json, sys
from whoosh.searching import Searcher
from newsindex import Index
walks = []
for name in ("search_with_collector", "docs_for_query"):
    def counted(self, *args, _name=name, _real=getattr(Searcher, name), **kwargs):
        walks.append(_name)
        return _real(self, *args, **kwargs)
    setattr(Searcher, name, counted)
index = Index.open(sys.argv[1])
found = index.search("NATO", limit=3, all_copies=True)
print(json.dumps([len(found), found.total, walks, "numpy" in sys.modules]))
print(json.dumps(sorted(sys.modules)))
"""
    (line,), _ = _modules_after(code, str(raw_index.path))
    assert json.loads(line) == [3, 5, ["search_with_collector"], False]


def test_whooshs_hashes_and_helpers_are_the_real_ones_in_effect() -> None:
    """The term tables' keys hash as hashlib's MD5 hashes them (an index
    written with either reads with the other); the functions imported by
    name do what the real ones do once called."""
    code = """
import io, json, sys
from newsindex.engines.whoosh import light_import
light_import.load()
from whoosh.compat import htmlescape
from whoosh.filedb import compound, filetables
keys = [b"", b"reuters", "Лавров".encode(), bytes(range(256))]
ours = [filetables.md5_hash(key) for key in keys]
loaded = "_hashlib" in sys.modules
copied = io.BytesIO()
compound.copyfileobj(io.BytesIO(b"segment"), copied)
import hashlib
real = [int(hashlib.md5(key).hexdigest(), 16) & 0xFFFFFFFF for key in keys]
print(json.dumps([ours == real, loaded, htmlescape("<b>"), copied.getvalue().decode()]))
print(json.dumps(sorted(sys.modules)))
"""
    (line,), _ = _modules_after(code)
    assert json.loads(line) == [True, False, "&lt;b&gt;", "segment"]


def test_the_command_leaves_its_objects_out_of_the_collections_at_exit(
    raw_index: Index,
) -> None:
    """`newsindex` freezes what it made when its command is done, so that
    the interpreter's exit does not look through it for cycles; a program
    that embeds the CLI's commands (click's `cli`) keeps collecting."""
    code = """
import atexit, gc, json, sys
from click.testing import CliRunner
from newsindex.cli import cli, main
args = ["search", "Lungescu", "--index", sys.argv[1]]
assert CliRunner().invoke(cli, args).exit_code == 0
embedded = gc.get_freeze_count()
atexit.register(lambda: print(json.dumps([embedded, gc.get_freeze_count() > 0])))
sys.argv = ["newsindex", *args]
main()
"""
    done = subprocess.run(
        [sys.executable, "-c", code, str(raw_index.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [0, True]
