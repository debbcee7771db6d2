"""Cites: outlets a body names as the source of its material, with exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.ingest.cites import find_cites
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Cite

from ..conftest import raw_file

REGISTRY = OutletRegistry.default()


def _cite(body: str, name: str, phrase: str, written: str) -> Cite:
    """The Cite of `written` inside `phrase`, which occurs once in body."""
    assert body.count(phrase) == 1
    start = body.index(phrase) + phrase.index(written)
    return Cite(name=name, start=start, end=start + len(written))


def test_raw_000_cites_tass_asked_at_a_press_conference() -> None:
    body = raw_file("000").read_text(encoding="utf-8")
    assert find_cites(body, REGISTRY, own_outlet=None) == (
        _cite(body, "TASS", "in response to a question from TASS", "TASS"),
    )


@pytest.mark.parametrize("prefix", ["001", "002"], ids=["raw-001", "raw-002"])
def test_tass_copy_never_cites_tass(prefix: str) -> None:
    body = raw_file(prefix).read_text(encoding="utf-8")
    assert find_cites(body, REGISTRY, own_outlet="TASS") == ()


def test_raw_001_request_is_a_cite_for_another_outlet() -> None:
    body = raw_file("001").read_text(encoding="utf-8")
    assert find_cites(body, REGISTRY, own_outlet="Reuters") == (
        _cite(body, "TASS", "in response to TASS", "TASS"),
    )


def test_raw_003_cites_nobody() -> None:
    body = raw_file("003").read_text(encoding="utf-8")
    assert find_cites(body, REGISTRY, own_outlet=None) == ()


def test_raw_004_cites_bbc_ap_and_the_guardian() -> None:
    body = raw_file("004").read_text(encoding="utf-8")
    assert find_cites(body, REGISTRY, own_outlet="Republic World") == (
        _cite(body, "BBC", "As per BBC", "BBC"),
        _cite(
            body,
            "Associated Press",
            "As per The Associated Press",
            "The Associated Press",
        ),
        _cite(body, "The Guardian", "the Guardian stated", "the Guardian"),
    )


# Real sentences from newsarticles-dai2017 (article_id, own outlet) and, where
# marked, the patterns DESIGN.md names. Expected: (canonical name, as written).
CASES = [
    ("told-tass", "NATO Spokesperson Oana Lungescu told TASS on Monday.", None,
     [("TASS", "TASS")]),
    ("told-vedomosti-tass-2", "a federal official told Vedomosti that so far there "
     "are no profound discussions", "TASS", [("Vedomosti", "Vedomosti")]),
    ("ap-reported-abc", "Boyette and Rice are both suspects, The Associated Press "
     "reported.", "ABC News", [("Associated Press", "The Associated Press")]),
    ("the-nyt-reported-huffpost", "In October 2016, the New York Times reported that "
     "it had obtained three pages", "HuffPost",
     [("The New York Times", "the New York Times")]),
    ("xinhua-reported-chinadaily", "keeps its stake below 10 percent, Xinhua News "
     "Agency reported.", "China Daily", [("Xinhua", "Xinhua News Agency")]),
    ("writes-tass", "Kiev may lose tax liabilities, Nezavisimaya Gazeta writes.",
     "TASS", [("Nezavisimaya Gazeta", "Nezavisimaya Gazeta")]),
    ("tass-title-case-cnn", "Russian state-run news agency Tass reported Russian "
     "President Vladimir Putin", "CNN", [("TASS", "Tass")]),
    ("kcna-quoted-as-saying-dw", 'development," KCNA quoted Kim as saying.',
     "Deutsche Welle", [("Korean Central News Agency", "KCNA")]),
    ("told-the-dpa-aljazeera", "the regional administration of Wuppertal told the "
     "DPA news agency on Thursday.", "Al Jazeera", [("dpa", "DPA")]),
    ("according-to-a-report-rte", "has turned down the offer, according to a "
     "Financial Times report.", "RTÉ", [("Financial Times", "Financial Times")]),
    ("first-reported-by-abc", "The news was first reported by The Wall Street "
     "Journal.", "ABC News",
     [("The Wall Street Journal", "The Wall Street Journal")]),
    ("interview-with-abc", "In an interview with Fox News Tuesday night, Conway "
     "explained", "ABC News", [("Fox News", "Fox News")]),
    ("credit-trailer-dw", "restore law and order in France.\nmb/rt (AFP, dpa, "
     "Reuters)", "Deutsche Welle", [("Agence France-Presse", "AFP"), ("dpa", "dpa"),
                                     ("Reuters", "Reuters")]),
    ("contributed-abc", "The Associated Press contributed to this report.",
     "ABC News", [("Associated Press", "The Associated Press")]),
    ("analysis-by-the-bbc", "Analysis by the BBC this week found that education",
     None, [("BBC", "BBC")]),
    ("said-on-msnbc-abc", "an ethics czar for the Obama White House, said on MSNBC "
     "that the comments", "ABC News", [("MSNBC", "MSNBC")]),
    ("wrote-in-bbc", 'he wrote in the Financial Times. "Europe should not burn',
     "BBC", [("Financial Times", "the Financial Times")]),
    ("nbc-show-cnn", "Mark Warner of Virginia, told NBC's \"Meet the Press\" Sunday",
     "CNN", [("NBC News", "NBC")]),
    ("speaking-to", "Speaking to Reuters, the minister said", None,
     [("Reuters", "Reuters")]),
    ("has-learned", "Interfax has learned that the talks were postponed.", None,
     [("Interfax", "Interfax")]),
    ("quoted-by", "said a police source quoted by Associated Press.", None,
     [("Associated Press", "Associated Press")]),
    ("cited-by", "one poll cited by Reuters suggested the Turkey spat", None,
     [("Reuters", "Reuters")]),
    ("request-straight-apostrophe", "said in response to TASS's request.", None,
     [("TASS", "TASS")]),
    ("twice-in-order", "He told TASS on Monday and told Reuters on Tuesday, as "
     "TASS reported.", None, [("TASS", "TASS"), ("Reuters", "Reuters"),
                              ("TASS", "TASS")]),
    # Not cites: plain mentions, names outside the registry, longer names.
    ("new-straits-times-aljazeera", "Malaysia's New Straits Times newspaper reported "
     "on Tuesday that the", "Al Jazeera", []),
    ("plain-mention", "Protesters gathered outside the BBC building.", None, []),
    ("not-an-outlet", "NATO said the decision was final.", None, []),
    ("guardian-council", "according to the Guardian Council of Iran", None, []),
    ("bloomberg-philanthropies", "according to Bloomberg Philanthropies", None, []),
    ("sputnik-v", "according to Sputnik V developers", None, []),
    ("the-post-alone", "according to the Post, the talks failed", None, []),
    ("image-credits-dw", "Images courtesy of AFP, AP, EPA, Getty Images and Reuters",
     "Deutsche Welle", []),
    ("dateline-is-not-a-cite", "WASHINGTON (Reuters) - The Senate voted", None, []),
    ("rt-is-a-tag-only", "Peskov told RT on Monday", None, []),
    ("lowercase-ap", "the ap said", None, []),
    ("own-outlet-by-alias", "Lungescu told ITAR-TASS on Monday.", "ITAR-TASS", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "own", "expected"),
    [pytest.param(body, own, expected, id=id_) for id_, body, own, expected in CASES],
)
def test_find_cites(
    body: str, own: str | None, expected: list[tuple[str, str]]
) -> None:
    cites = find_cites(body, REGISTRY, own_outlet=own)
    assert [(c.name, body[c.start : c.end]) for c in cites] == expected


def test_body_past_the_cap_is_not_scanned() -> None:
    body = "x " * 1_000_000 + "told TASS"
    assert find_cites(body, REGISTRY, own_outlet=None) == ()


def test_long_body_gives_every_cite() -> None:
    body = "He told TASS. " * 20_000
    cites = find_cites(body, REGISTRY, own_outlet=None)
    assert (len(cites), cites[-1]) == (
        20_000,
        Cite(name="TASS", start=len(body) - 6, end=len(body) - 2),
    )


_NAMES = {
    e.name: {a.casefold() for a in (e.name, *e.aliases)} for e in REGISTRY.entries()
}
_PIECES = [
    "told ", "according to ", "As per ", "the ", "The ", "TASS", "Tass", "BBC", "AP",
    "The Associated Press", "Guardian", " reported", " stated", "(", ")", "\n", ", ",
    "AFP", "dpa", "Reuters", "’s", "'s", " request", "in response to ", "New ",
    "Monday", " ", "x", "Sputnik V", " quoted", "é",
]  # fmt: skip
bodies = st.one_of(
    st.text(), st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)
)
owns = st.sampled_from([None, "TASS", "BBC", "Associated Press", "AP", "Nobody"])


@settings(deadline=None)
@given(body=bodies, own=owns)
def test_cite_spans_name_their_outlet(body: str, own: str | None) -> None:
    cites = find_cites(body, REGISTRY, own_outlet=own)
    own_entry = REGISTRY.by_name(own) if own else None
    assert list(cites) == sorted(cites, key=lambda c: (c.start, c.end))
    for cite in cites:
        assert body[cite.start : cite.end].casefold() in _NAMES[cite.name]
        assert own_entry is None or cite.name != own_entry.name
