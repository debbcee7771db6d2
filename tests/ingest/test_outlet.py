"""The outlet registry: lookups by tag, domain and name, index keys, the data file."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from newsindex.ingest.outlet import OutletEntry, OutletRegistry

ROOT = Path(__file__).resolve().parents[2]
DAI2017 = ROOT.parent / "shared" / "corpora" / "newsarticles-dai2017"


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.default()


def test_default_is_loaded_once(registry: OutletRegistry) -> None:
    assert OutletRegistry.default() is registry


def test_registry_is_packaged_data() -> None:
    packaged = resources.files("newsindex").joinpath("outlets.json")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]["newsindex"]
    assert "outlets.json" in package_data
    assert len(json.loads(packaged.read_text(encoding="utf-8"))) == len(
        OutletRegistry.default().entries()
    )


def test_first_entry_is_tass(registry: OutletRegistry) -> None:
    assert registry.entries()[0] == OutletEntry(
        name="TASS",
        aliases=("TASS", "ITAR-TASS", "TASS news agency", "Tass", "Itar-Tass"),
        agency_tags=("TASS", "ITAR-TASS"),
        domains=("tass.com", "tass.ru", "itar-tass.com"),
    )


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("TASS", "TASS"),
        ("/TASS/", "TASS"),
        ("tass", "TASS"),
        ("ITAR-TASS", "TASS"),
        ("(Reuters)", "Reuters"),
        ("Reuters", "Reuters"),
        ("Reuter", "Reuters"),
        ("AP", "Associated Press"),
        ("(AP) -", "Associated Press"),
        ("AFP", "Agence France-Presse"),
        ("CNN", "CNN"),
        ("RT", "RT"),
        ("dpa", "dpa"),
        ("Xinhua", "Xinhua"),
        ("NATO", None),
        ("", None),
    ],
    ids=lambda v: repr(v),
)
def test_by_agency_tag(registry: OutletRegistry, tag: str, name: str | None) -> None:
    entry = registry.by_agency_tag(tag)
    assert (entry.name if entry else None) == name


# The nine hosts of newsarticles-dai2017 (corpora README, section 3), then URLs.
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("www.aljazeera.com", "Al Jazeera"),
        ("tass.com", "TASS"),
        ("abcnews.go.com", "ABC News"),
        ("www.rte.ie", "RTÉ"),
        ("www.huffingtonpost.com", "HuffPost"),
        ("www.dw.com", "Deutsche Welle"),
        ("europe.chinadaily.com.cn", "China Daily"),
        ("www.bbc.co.uk", "BBC"),
        ("www.cnn.com", "CNN"),
        ("https://www.tass.com/politics/1", "TASS"),
        ("http://tass.com/world/929035", "TASS"),
        ("HTTPS://Edition.CNN.com:443/2017/03/01/x.html", "CNN"),
        ("www.republicworld.com/world-news", "Republic World"),
        ("apnews.com", "Associated Press"),
        ("go.com", None),
        ("notatass.com", None),
        ("tass.com.example.org", None),
        ("example.com", None),
        ("", None),
        ("http://[::1", None),
    ],
    ids=lambda v: repr(v),
)
def test_by_domain(registry: OutletRegistry, url: str, name: str | None) -> None:
    entry = registry.by_domain(url)
    assert (entry.name if entry else None) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("TASS", "TASS"),
        ("tass", "TASS"),
        ("ITAR-TASS", "TASS"),
        ("The Associated Press", "Associated Press"),
        ("associated press", "Associated Press"),
        ("AP", "Associated Press"),
        ("Agence France-Presse", "Agence France-Presse"),
        (" The  Guardian ", "The Guardian"),
        ("RTÉ", "RTÉ"),
        ("RTE", "RTÉ"),
        ("Huffington Post", "HuffPost"),
        ("DW", "Deutsche Welle"),
        ("RT", "RT"),  # the canonical name resolves, though find_cites never scans it
        ("Russia Today", "RT"),
        # Ordinary words are no outlet's alias.
        ("Guardian", None),
        ("Times", None),
        ("Post", None),
        ("Mail", None),
        ("Sun", None),
        ("NATO", None),
    ],
    ids=lambda v: repr(v),
)
def test_by_name(registry: OutletRegistry, text: str, name: str | None) -> None:
    entry = registry.by_name(text)
    assert (entry.name if entry else None) == name


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("TASS", ("tass", "itar-tass", "tass news agency")),
        ("ITAR-TASS", ("tass", "itar-tass", "tass news agency")),
        ("tass.com", ("tass", "itar-tass", "tass news agency")),
        ("Reuter", ("reuters", "reuter", "thomson reuters")),
        ("AP", ("associated press", "the associated press", "ap", "the ap")),
        ("RT", ("rt", "russia today", "rt news")),
        (" Foo Bar ", ("foo bar",)),
    ],
    ids=lambda v: repr(v),
)
def test_keys_for(registry: OutletRegistry, text: str, keys: tuple[str, ...]) -> None:
    assert registry.keys_for(text) == keys


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("TASS", "tass"),
        ("Associated Press", "associated press"),
        ("The Guardian", "the guardian"),
        ("RTÉ", "rté"),
        ("ITAR-TASS", "tass"),
        ("Foo Bar", "foo bar"),
    ],
    ids=lambda v: repr(v),
)
def test_key(registry: OutletRegistry, name: str, key: str) -> None:
    assert registry.key(name) == key


def test_every_canonical_key_leads_its_keys(registry: OutletRegistry) -> None:
    for entry in registry.entries():
        keys = registry.keys_for(entry.name)
        assert keys[0] == registry.key(entry.name)
        # whoosh's KEYWORD(commas=True) splits on commas
        assert all(key and "," not in key for key in keys)


# Short or common words that must never be scanned for as an outlet's name.
_ORDINARY = {
    "times", "the times", "post", "the post", "mail", "the mail", "sun", "the sun",
    "guardian", "star", "the star", "express", "mirror", "observer", "globe",
    "nation", "hill", "time", "rt", "abc", "cctv", "rbc", "dawn", "the hindu",
}  # fmt: skip


def test_aliases_are_specific(registry: OutletRegistry) -> None:
    aliases = [alias for entry in registry.entries() for alias in entry.aliases]
    assert [a for a in aliases if a.casefold() in _ORDINARY] == []
    # two- and three-letter aliases are exact upper-case tokens (and dpa's own style)
    assert [a for a in aliases if len(a) <= 3 and not a.isupper()] == ["dpa"]


def test_domains_are_bare_hosts(registry: OutletRegistry) -> None:
    domains = [d for entry in registry.entries() for d in entry.domains]
    assert [
        d for d in domains if d != d.lower() or d.startswith(("www.", "http"))
    ] == []


def test_duplicate_alias_is_refused() -> None:
    entries = [
        OutletEntry(name="A", aliases=("Daily",), agency_tags=(), domains=()),
        OutletEntry(name="B", aliases=("daily",), agency_tags=(), domains=()),
    ]
    with pytest.raises(ValueError, match="name 'daily' names both 'A' and 'B'"):
        OutletRegistry(entries)


@pytest.mark.parametrize(
    "data",
    [{"name": "x"}, [{"aliases": []}], [{"name": "x", "aliases": "x"}]],
    ids=["not-a-list", "no-name", "aliases-not-a-list"],
)
def test_malformed_registry_is_refused(data: object) -> None:
    with pytest.raises(ValueError, match="outlet"):
        OutletRegistry.from_json(data)


@pytest.mark.skipif(not DAI2017.exists(), reason="needs ../shared/corpora")
def test_every_dai2017_article_has_its_gold_outlet(registry: OutletRegistry) -> None:
    gold = {
        "www.aljazeera.com": "Al Jazeera",
        "tass.com": "TASS",
        "abcnews.go.com": "ABC News",
        "www.rte.ie": "RTÉ",
        "www.huffingtonpost.com": "HuffPost",
        "www.dw.com": "Deutsche Welle",
        "europe.chinadaily.com.cn": "China Daily",
        "www.bbc.co.uk": "BBC",
        "www.cnn.com": "CNN",
    }
    lines = (DAI2017 / "newsarticles.jsonl").read_text(encoding="utf-8").splitlines()
    misses = []
    for line in lines:
        url = json.loads(line)["article_source_link"].strip()
        entry = registry.by_domain(url)
        if entry is None or entry.name != gold[url.split("/")[2]]:
            misses.append(url)
    assert (len(lines), misses) == (3824, [])
