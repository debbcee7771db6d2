"""HTML pages: main text and metadata of real pages, against their gold.

The pages in tests/data/pages are byte copies from the visible half of
`webpages-htmldate-trafilatura` (../shared/corpora); each expected title,
author and snippet is that corpus's gold for the page (gold-visible.jsonl).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsindex.dates import ParsedDate
from newsindex.ingest.evidence import PageExtract
from newsindex.ingest.html_extract import extract_page, read_date, url_date
from newsindex.sources.html_page import decode_html

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"


@functools.cache
def page(name: str) -> PageExtract:
    """The extract of one test page, as `newsindex inspect` reads a bare file."""
    return extract_page(decode_html((PAGES / name).read_bytes()))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Gold:
    """A page's gold from gold-visible.jsonl, authors in normalised form."""

    file: str
    title: str
    authors: tuple[str, ...]
    with_: tuple[str, ...]
    without: tuple[str, ...]
    lang: str


GOLD = [
    pytest.param(
        Gold(
            file="KATAPULT-Magazin.de-parteien.html",
            title="Anzahl zugelassener Parteien",
            authors=("Tim Ehlers",),
            with_=(
                "es zu viele sind und viele auch nur",
                "in wenigen Bundesländern mit einer Landesliste antreten",
                "haben wir uns auf die größten beschränkt.",
            ),
            without=("Neueste Artikel", "Rechte in MV nötigen KATAPULT"),
            lang="de",
        ),
        id="katapult-de-json-ld",
    ),
    pytest.param(
        Gold(
            file="dalloz-actualite.fr.raoult.html",
            title="Libre cours : Raoult, les nazis et moi",
            authors=("Matthieu Hy",),  # "Par Matthieu Hy le 07 Mai 2020"
            with_=(
                "C’est la guerre. Et pourtant",
                "Vive le professeur Raoult !",
                "Que les magistrats sachent qu’ils peuvent com",
            ),
            without=("Votre commentaire ", "otre adresse e-m", "otre no"),
            lang="fr",
        ),
        id="dalloz-fr-byline",
    ),
    pytest.param(
        Gold(
            file="arteradio.com-nuls.html",
            title="La voix des nuls",
            authors=(),  # gold "": the page names no author
            with_=(
                "revendication prend chaque",
                'jour par les "gilets',
                "spécialiste du sujet.",
            ),
            without=(
                "Vous aimerez aussi",
                "Tous nos derniers podcasts",
                "de messagerie est uniquement",
            ),
            lang="fr",
        ),
        id="arteradio-fr-no-author",
    ),
    pytest.param(
        Gold(
            file="politico.com.retirement.html",
            title=(
                "Mark Meadows accused of timing retirement to help elect wife’s friend"
            ),
            authors=("Ally Mutnick",),  # gold "ALLY MUTNICK", shouting undone
            with_=(
                "shock retirement — revealed just 30 hours before the",
                "though he faces another stiff primary challenge next year.",
                "“I don’t expect anyone to hand me anything.",
            ),
            without=(
                "Credit Card Payments",
                "Notice to California Residents",
                "Terms of Service",
            ),
            lang="en",
        ),
        id="politico-en-json-ld",
    ),
    pytest.param(
        Gold(
            file="pix-bavaria.de.html",
            title="pix-bavaria",
            authors=(),
            with_=(
                "By our photos we would like to show you in which a fascinating "
                "region of Germany we are living",
                "We also take a look at our neighbours Austria, South Tyrol and "
                "Switzerland",
                "All photos are available in sizes up to 8,000x8,000 pixel",
            ),
            without=("Erstellt mit Piwigo", "Kontakt zu pix-bavaria"),
            lang="en",
        ),
        id="pix-bavaria-en-gallery",
    ),
]


@pytest.mark.parametrize("gold", GOLD)
def test_title_is_the_gold_title(gold: Gold) -> None:
    assert page(gold.file).title == gold.title


@pytest.mark.parametrize("gold", GOLD)
def test_authors_are_the_gold_authors(gold: Gold) -> None:
    assert page(gold.file).authors == gold.authors


@pytest.mark.parametrize("gold", GOLD)
def test_text_has_every_with_snippet_and_no_without_snippet(gold: Gold) -> None:
    text = _fold(page(gold.file).text)
    missing = [s for s in gold.with_ if _fold(s) not in text]
    unwanted = [s for s in gold.without if _fold(s) in text]
    assert (missing, unwanted) == ([], [])


@pytest.mark.parametrize("gold", GOLD)
def test_lang_is_the_declared_language(gold: Gold) -> None:
    lang = page(gold.file).lang
    assert lang is not None
    assert lang.split("-")[0].lower() == gold.lang


@pytest.mark.parametrize("gold", GOLD)
def test_text_is_one_paragraph_per_line(gold: Gold) -> None:
    lines = page(gold.file).text.split("\n")
    assert all(line and line == " ".join(line.split()) for line in lines)


@pytest.mark.parametrize(
    ("name", "url", "publisher"),
    [
        pytest.param(
            "KATAPULT-Magazin.de-parteien.html",
            "https://katapult-magazin.de/de/artikel/anzahl-zugelassener-parteien",
            "Katapult-Magazin gGmbH",
            id="katapult-canonical-json-ld-publisher",
        ),
        pytest.param(
            "politico.com.retirement.html",
            "https://www.politico.com/news/2019/12/30/"
            "mark-meadows-retirement-elect-wife-friend-090838",
            "POLITICO",
            id="politico-canonical",
        ),
        pytest.param("pix-bavaria.de.html", None, None, id="pix-bavaria-neither"),
    ],
)
def test_url_and_publisher_are_the_pages_own(
    name: str, url: str | None, publisher: str | None
) -> None:
    assert (page(name).url, page(name).publisher) == (url, publisher)


def test_url_given_is_kept_when_the_page_names_none() -> None:
    html = decode_html((PAGES / "pix-bavaria.de.html").read_bytes())
    assert extract_page(html, url="https://www.pix-bavaria.de/").url == (
        "https://www.pix-bavaria.de/"
    )


def test_page_with_no_main_text_gives_empty_text() -> None:
    # A Blogger page saved before its scripts ran: its body is all JavaScript.
    extract = page("juliasleseblog.blogspot.com.irland.html")
    assert (extract.title, extract.text) == ("Irland Roadtrip", "")


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n ", id="blank"),
        pytest.param("<html></html>", id="empty-html"),
        pytest.param("no markup at all", id="plain-text"),
        pytest.param("http://example.com/looks-like-a-url", id="url-like"),
    ],
)
def test_input_without_a_page_gives_an_empty_extract(html: str) -> None:
    extract = extract_page(html)
    assert (extract.title, extract.text, extract.authors, extract.dates) == (
        None,
        "",
        (),
        (),
    )


def test_byline_under_the_headline_is_read() -> None:
    html = (
        "<html><body><h1>Der Titel</h1><p>Von Lisa Petrich Mi, 18. Oktober 2023"
        " um 12:50 Uhr</p><p>" + "Ein Satz der Geschichte. " * 30 + "</p></body></html>"
    )
    assert extract_page(html).authors == ("Lisa Petrich",)


def test_json_ld_organisation_is_not_an_author() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "X", "author": {"@type": "Organization", "name": "LA NACION"}}'
        "</script></head><body><p>Text.</p></body></html>"
    )
    assert extract_page(html).authors == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "2019-12-30T05:03:00-05:00",
            ParsedDate(
                datetime(2019, 12, 30, 5, 3, tzinfo=timezone(timedelta(hours=-5))),
                "datetime",
            ),
            id="iso-with-zone-keeps-it",
        ),
        pytest.param(
            "18. Oktober 2021", ParsedDate(datetime(2021, 10, 18), "day"), id="de"
        ),
        pytest.param(
            "1er mars 2020 à 14h30",
            ParsedDate(datetime(2020, 3, 1, 14, 30), "datetime"),
            id="fr-with-time",
        ),
        pytest.param(
            "Mittwoch, 5. Jänner 2022",
            ParsedDate(datetime(2022, 1, 5), "day"),
            id="de-at-weekday",
        ),
        pytest.param(
            "17 de marzo de 2020", ParsedDate(datetime(2020, 3, 17), "day"), id="es"
        ),
        pytest.param(
            "28.04.2020 18:00 Uhr",
            ParsedDate(datetime(2020, 4, 28, 18, 0), "datetime"),
            id="de-uhr",
        ),
        pytest.param(
            "1571212800",
            ParsedDate(datetime(2019, 10, 16, 8, 0, tzinfo=UTC), "datetime"),
            id="epoch-seconds",
        ),
        pytest.param("05/06/2021", None, id="ambiguous-day-month"),
        pytest.param("Oktober", None, id="no-year"),
        pytest.param("3 days ago", None, id="relative"),
    ],
)
def test_read_date(value: str, expected: ParsedDate | None) -> None:
    assert read_date(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://www.politico.com/news/2019/12/30/mark-meadows-090838",
            ParsedDate(datetime(2019, 12, 30), "day"),
            id="slashes",
        ),
        pytest.param(
            "https://www.befifty.de/home/2017/7/12/unter-uns-montauk",
            ParsedDate(datetime(2017, 7, 12), "day"),
            id="one-digit-month",
        ),
        pytest.param(
            "https://juliasleseblog.blogspot.com/2018/08/irland-roadtrip.html",
            ParsedDate(datetime(2018, 8, 1), "month"),
            id="month-only",
        ),
        pytest.param("https://example.com/2021/02/30/x", None, id="no-such-day"),
        pytest.param("https://example.com/about/", None, id="no-date"),
    ],
)
def test_url_date(url: str, expected: ParsedDate | None) -> None:
    assert url_date(url) == expected


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_extract_page_never_raises_on_any_text(html: str) -> None:
    assert isinstance(extract_page(html), PageExtract)


_REAL = [
    "KATAPULT-Magazin.de-parteien.html",
    "dalloz-actualite.fr.raoult.html",
    "pix-bavaria.de.html",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(_REAL),
    cuts=st.lists(
        st.tuples(st.floats(0, 1), st.integers(1, 400)), min_size=1, max_size=8
    ),
)
def test_extract_page_never_raises_on_a_mutilated_page(
    name: str, cuts: list[tuple[float, int]]
) -> None:
    html = decode_html((PAGES / name).read_bytes())
    for where, length in cuts:
        start = int(where * len(html))
        html = html[:start] + html[start + length :]
    assert isinstance(extract_page(html), PageExtract)


@pytest.mark.parametrize(
    ("name", "title"),
    [
        pytest.param(
            # trafilatura: "Streit ums Feuerholz - www.AussenGedanken.de"; a
            # part that is a domain name is the site's, not the headline's.
            "aussengedanken.de.feuerholz.html",
            "Streit ums Feuerholz",
            id="domain-name-cut-from-library-title",
        ),
        pytest.param(
            # trafilatura takes the blog's name from an <h1> linked home;
            # <title> and og:title give the post's headline.
            "fouryears.eu.interning.html",
            "Interning of Small Integers in Python",
            id="library-heading-no-declared-title-gives",
        ),
        pytest.param(
            # og:title (trafilatura's title) is the section, "Pressemitteilungen";
            # the <h1> and <title> ("BDZV: Olafur ...") give the headline.
            "bdzv.de.eliasson.html",
            "Olafur Eliasson gestaltet Titelseite für die deutschen Zeitungen",
            id="heading-and-title-outvote-og-title",
        ),
    ],
)
def test_real_page_title(name: str, title: str) -> None:
    assert page(name).title == title


# g1.globo.com (1542250510.html in the web-page corpus) puts its section's
# name in an <h1> banner above the story's own <h1>, and between the headline
# and the site in <title>: the layout of NPR's blogs ("... : The Two-Way :
# NPR"), of which the corpora hold no page. Trimmed from the real page.
G1_SECTION_PAGE = """<html><head>
<title>Estudante faz vaquinha virtual para tratamento de pitbull abandonado com \
deficiência | Rondônia | G1</title>
<meta property="og:site_name" content="G1">
</head><body>
<h1 class="header-title"> <div class="header-title-content"> <a \
class="header-editoria--link" href="https://g1.globo.com/ro/rondonia/">Rondônia</a> \
</div> </h1>
<main class="mc-body theme" itemscope itemtype="http://schema.org/NewsArticle">
<h1 class="content-head__title" itemprop="headline">Estudante faz vaquinha virtual \
para tratamento de pitbull abandonado com deficiência</h1>
<p class="content-text__container "> A meta estabelecida na vaquinha é de R$ 6 mil. \
Até a publicação desta reportagem, já tinham sido arrecadados mais R$ 1,3 mil. </p>
</main></body></html>"""


def test_section_banner_is_not_the_headline() -> None:
    assert extract_page(G1_SECTION_PAGE).title == (
        "Estudante faz vaquinha virtual para tratamento de pitbull abandonado"
        " com deficiência"
    )


# it-for-kids.org (it-for-kids.org.variables.html): <title> is the site's
# name, as og:site_name gives it, like The New Republic's "The New Republic"
# (no page of which is in the corpora); og:title and the <h1> give the story.
IT4KIDS_PAGE = """<html><head>
<meta property="og:title" content="Variablen und ihr Zuhause" />
<meta property="og:site_name" content="IT4Kids | IT-Kurse für Grundschulen" />
<meta name="twitter:title" content="Variablen und ihr Zuhause"/>
<title>IT4Kids | IT-Kurse für Grundschulen</title>
</head><body><div class="container"><div class="row">
<div class="col-md-5 col-12">
<h1 style="font-weight: 400;font-size:45px">Variablen und ihr Zuhause</h1>
<p class="text-muted" style="font-size:20px">11.12.2019 - Amelie Loevenich</p>
</div></div>
<div><div class="row"><div class="col"><p style="font-size: 24px">
Wie war das nochmal mit den Variablen?
Hier ein Auszug aus unseren Lehrmaterialien!
</p></div></div></div></div></body></html>"""


def test_site_name_title_is_not_the_headline() -> None:
    assert extract_page(IT4KIDS_PAGE).title == "Variablen und ihr Zuhause"


def test_author_labelled_at_the_foot_of_the_story() -> None:
    # hss.de-Regierung: the author is named only in the story's last line.
    page = """<html><head><title>Tunesien: Neue Regierung | Hanns-Seidel-Stiftung
    </title></head><body><article><h1>Tunesien: Neue Regierung</h1>
    <p>Die neue Regierung hat sich vorgenommen, die offensichtliche
    Dysfunktionalität und Fragmentierung der bisherigen Regierung zu
    korrigieren und notwendige Reformen voranzutreiben.</p>
    <p><strong>Autorin: Uta Staschewski, Projektleiterin der HSS in
    Tunesien.</strong></p></article></body></html>"""
    assert extract_page(page).authors == ("Uta Staschewski",)


def test_a_source_naming_more_co_authors_gives_the_fuller_list() -> None:
    # refinery29.com-single: JSON-LD names one author, <meta> both.
    page = """<html><head><title>Single an Weihnachten</title>
    <meta name="author" content="Sadhbh O'Sullivan, Elisabeth Kochan">
    <script type="application/ld+json">{"@context":"http://schema.org",
    "@type":"NewsArticle","headline":"Single an Weihnachten",
    "author":{"@type":"Person","name":"Sadhbh O'Sullivan"},
    "creator":["Sadhbh O'Sullivan","Elisabeth Kochan"]}</script>
    </head><body><article><h1>Single an Weihnachten</h1><p>Weihnachten allein
    zu verbringen, ist für viele Menschen keine Ausnahme mehr.</p></article>
    </body></html>"""
    assert extract_page(page).authors == ("Sadhbh O'Sullivan", "Elisabeth Kochan")


def test_authors_two_sources_agree_on_outvote_the_json_ld_author() -> None:
    # wsvn.com-crash: JSON-LD names the web producer; the byline under the
    # headline and the parsely-author tags name the two reporters.
    page = """<html><head><title>Crash</title>
    <link rel="canonical" href="https://wsvn.com/news/local/miami-dade/crash/">
    <meta name="parsely-author" content="Jessica Holly" />
    <meta name="parsely-author" content="Gail Levy" />
    <meta name="parsely-author" content="7 News WSVN" />
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
    {"@type":"NewsArticle","headline":"15-year-old driver killed, 14-year-old
    passenger critical in SW Miami-Dade crash","author":{"@id":
    "https://wsvn.com#/schema/person/81ef431710b6b70373ff710de0cddae3"}},
    {"@type":"Person","@id":
    "https://wsvn.com#/schema/person/81ef431710b6b70373ff710de0cddae3",
    "name":"Kathleen Ditton"}]}</script></head><body>
    <h1 class="article-header__title" itemprop="headline">15-year-old driver
    killed, 14-year-old passenger critical in SW Miami-Dade crash</h1>
    <div class="article-header__byline" itemprop="author"> By <a
    href="https://wsvn.com/author/jessica-holly/" class="author url fn"
    rel="author">Jessica Holly</a>, <a href="https://wsvn.com/author/gail-levy/"
    class="author url fn" rel="author">Gail Levy</a>, <a
    href="https://wsvn.com/author/7-news-wsvn/" class="author url fn"
    rel="author">7 News WSVN</a> </div>
    <p>An overnight crash in Southwest Miami-Dade resulted in the death of a
    15-year-old boy who was behind the wheel.</p></body></html>"""
    assert extract_page(page).authors == ("Jessica Holly", "Gail Levy")


def test_a_related_story_byline_under_the_headline_is_outvoted() -> None:
    # de.cointelegraph.com-CME: the first "von ..." under the headline is a
    # related story's author; JSON-LD and the post's author element agree.
    page = """<html><head><title>CME</title>
    <script type="application/ld+json">{"@context":"https://schema.org",
    "@type":"NewsArticle","headline":"CME wird zweitgrößte Bitcoin-Futures-Börse",
    "author":{"@type":"Person","name":"Prashant Jha"}}</script></head><body>
    <article><h1>CME wird zweitgrößte Bitcoin-Futures-Börse</h1>
    <div class="post-meta__author"><a href="/authors/prashant-jha"
    class="post-meta__author-link"><div lang="en" class="post-meta__author-name">
    Prashant Jha </div></a></div><div class="related"><h4
    class="related__subheading">Gary Genslers Haltung gegenüber Bitcoin-ETFs
    "inkonsequent"?</h4><p class="related__author">von <strong>Jesse
    Coghlan</strong></p><p class="related__time">vor 23 Stunden</p></div>
    <p>Die Chicago Mercantile Exchange hat die Binance als zweitgrößte
    Bitcoin-Futures-Börse nach offenen Positionen überholt.</p>
    </article></body></html>"""
    assert extract_page(page).authors == ("Prashant Jha",)


@pytest.mark.parametrize(
    ("page", "authors"),
    [
        pytest.param(
            # baechli-bergsport.ch-lawinen: a class naming the author.
            '<h1>Einblick in die Praxis und Theorie von Lawinen</h1><p class="date-'
            'author">Janic Cathomen, 01.12.2021</p><div class="article-content"><p>'
            "<strong>Mit bestem Wissen und Gewissen in den Bergwinter: "
            "Professionelle Ausbildungen, solide Erfahrung und fundiertes Wissen "
            "helfen, die Risiken zu minimieren.</strong></p></div>",
            ("Janic Cathomen",),
            id="class-date-author",
        ),
        pytest.param(
            # eawag.ch-elektron: "Erstellt von" opens the author element.
            "<h1>Elektronen</h1><p>Forschende der Eawag haben untersucht, wie "
            "Bakterien Elektronen an Mineralien abgeben.</p>"
            '<span class="news-list-author">Erstellt von Andri Bryner</span>',
            ("Andri Bryner",),
            id="erstellt-von",
        ),
        pytest.param(
            # 7mind.de-grenzen: the byline opens the story, above its heading.
            "<div><p><i>von Daniela Obers</i></p><h2><b>Grenzen, das Fundament "
            "der Selbstfürsorge</b></h2><p>"
            + "Grenzen zu setzen ist nicht immer leicht, aber es lohnt sich. " * 8
            + "</p></div>",
            ("Daniela Obers",),
            id="von-line-opens-text",
        ),
        pytest.param(
            # giromatch.com-kredit: the company's address as <meta name=author>.
            '<meta name="author" content="GIROMATCH, Frankfurt a. M., Germany" />'
            "<h1>1000 Euro Kredit</h1><p>"
            + "Ein Kredit über 1000 Euro ist schnell beantragt. " * 6
            + "</p>",
            (),
            id="address-is-no-author",
        ),
    ],
)
def test_authors_of_page_snippets(page: str, authors: tuple[str, ...]) -> None:
    html = f"<html><head><title>T</title></head><body><article>{page}</article>"
    assert extract_page(html + "</body></html>").authors == authors


# Real markup, trimmed, for each way a title adds to the headline that the
# page itself tells apart (issue #15): a kicker printed as the <h1>'s first
# element, a feed naming the site, a site name with its acronym, and a part
# of the title that the JSON-LD headline gives alone.
TAGESSCHAU_KICKER = """<html><head>
<title>Interne Unterlagen im Netz: Daten von Rheinmetall gehackt | tagesschau.de\
</title>
<meta property="og:title" content="Daten von Rheinmetall gehackt - Interne Unterlagen \
im Netz"/>
<meta property="og:site_name" content="tagesschau.de"/>
</head><body><h1>
<span class="dachzeile">Interne Unterlagen im Netz</span>
<span class="headline">Daten von Rheinmetall gehackt</span>
</h1>
<p class="autorenzeile small">Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt \
Strunz, NDR</p>
<p class="text small"> Interne Unterlagen des größten deutschen Rüstungskonzern \
Rheinmetall sind im Internet aufgetaucht, nachdem Hacker die Daten kopiert und zum \
Kauf angeboten hatten.</p></body></html>"""

HEIKO_ADAMS_FEED = """<html><head>
<title>Laufen im Winter: Von &#8222;bäh!&#8220; zu &#8222;yeah!&#8220; in 12 \
Monaten. &#8250; Nordish by Nature</title>
<meta property="og:title" content="Laufen im Winter: Von &#8222;bäh!&#8220; zu \
&#8222;yeah!&#8220; in 12 Monaten. &#8250; Nordish by Nature">
<link rel="alternate" type="application/rss+xml" title="Nordish by Nature &raquo; \
Feed" href="http://www.heiko-adams.de/feed/" />
</head><body><article><header><h2 class="entry-title">Laufen im Winter: Von \
&#8222;bäh!&#8220; zu &#8222;yeah!&#8220; in 12 Monaten.</h2></header>
<div class="entry-content"><p>Es ist irgendwie schon faszinierend, wie sich \
Ansichten innerhalb vom 12 Monaten ändern können.</p></div></article></body></html>"""

EJWUE_ACRONYM = """<html><head>
<title>Faire Lieferketten - Evangelisches Jugendwerk in Württemberg (ejw)&#10;- EJW\
</title>
<meta property="og:site_name" content="Evangelisches Jugendwerk in Württemberg" />
</head><body><h1>
<a href="/">
<img src="/typo3conf/ext/site_ejwue/Resources/Public/Assets/Images/EJW_Logo2017.svg"
     alt="Evangelisches Jugendwerk Württemberg" height="62"></a></h1>
<h1>Faire Lieferketten</h1>
<div class="contentWrap"><h3>Aktionen planen, die was bewegen</h3>
<p class="withArrow">In Baden-Württemberg hat sich eine Initiative aus \
Jugendverbänden und Eine-Welt-Organisationen zusammengetan, um die &quot;Initiative \
Lieferkettengesetz&quot; zu unterstützen.</p></div></body></html>"""

SWIM_DECLARED_PART = """<html><head>
<title>Einheit der Woche | Lagen-Pyramide mit GA2 - SWIM.DE</title>
<meta property="og:title" content="Einheit der Woche | Lagen-Pyramide mit GA2 - \
SWIM.DE" />
<meta property="og:site_name" content="SWIM.DE" />
<script type="application/ld+json">{
    "@context": "http://schema.org/",
    "@type": "BlogPosting",
    "headline": "Lagen-Pyramide mit GA2",
    "datePublished": "2022-02-03"}</script>
</head><body><h1 class="single-post-title">
<span class="post-title" itemprop="headline"><small>Einheit der Woche</small><br>\
Lagen-Pyramide mit GA2</span></h1>
<div class="single-post-excerpt post-excerpt-at"><p>Schwerpunkt der Einheit ist eine \
Lagen-Pyramide über insgesamt 1.000 Meter, dabei wird es auch etwas schneller.</p>\
</div></body></html>"""


# verivox.de: the page's only <h1> is the headline the reader sees, though
# <title> words it otherwise; trafilatura's title (that <h1>) stands.
VERIVOX_SOLE_H1 = """<html><head>
<title>Leasing oder Finanzierung? Rechner, Vor- und Nachteile | VERIVOX</title>
</head><body><h1 class="hero-headline">Leasing oder Finanzierung? Jetzt Angebote \
berechnen!</h1>
<p>Wer heute ein Auto kaufen möchte, sei es ein Neuwagen, sei es ein „junger Alter“, \
greift häufig auf eine Finanzierung zurück. Rund zwei Drittel der Fahrzeuge auf \
Deutschlands Straßen sind fremdfinanziert oder geleast.</p></body></html>"""

# pronats.de: the only <h1> is the association's name, linked to its home page
# in German ("/?locale=de-DE"); it is no headline.
PRONATS_HOME_H1 = """<html><head><title>Kinder und Arbeit &raquo; ProNATs e.V.\
</title></head><body>
<h1 id="branding" class="de-DE">
\t<a href="/?locale=de-DE" title="Verein zur Unterstützung arbeitender Kinder und \
Jugendlicher">
\t\t<span>ProNATs e.V.</span>
\t\t<span class="slogan">
\t\t\tVerein zur Unterstützung arbeitender Kinder und Jugendlicher
\t\t</span>
\t</a>
</h1>
<h2>Kinder und Arbeit</h2>
<p>Weite Bereiche der Debatte über „Kinderarbeit“ kranken daran, zu wenig über die \
damit verbundenen Kindheits- und Arbeitskonzepte zu reflektieren.</p></body></html>"""


@pytest.mark.parametrize(
    ("html", "title"),
    [
        pytest.param(
            VERIVOX_SOLE_H1,
            "Leasing oder Finanzierung? Jetzt Angebote berechnen!",
            id="sole-h1-stands",
        ),
        pytest.param(PRONATS_HOME_H1, "Kinder und Arbeit", id="h1-linked-home-lang"),
        pytest.param(
            TAGESSCHAU_KICKER, "Daten von Rheinmetall gehackt", id="kicker-in-h1"
        ),
        pytest.param(
            HEIKO_ADAMS_FEED,
            "Laufen im Winter: Von „bäh!“ zu „yeah!“ in 12 Monaten.",
            id="feed-names-site",
        ),
        pytest.param(EJWUE_ACRONYM, "Faire Lieferketten", id="site-name-acronym"),
        pytest.param(
            SWIM_DECLARED_PART, "Lagen-Pyramide mit GA2", id="json-ld-gives-part"
        ),
    ],
)
def test_title_parts_the_page_tells_apart(html: str, title: str) -> None:
    assert extract_page(html).title == title


# The byline junk of issue #15, as the real pages give it (trimmed).
PHILLYVOICE_BYLINE = """<html><head><title>Sixers game notes: Joel Embiid leads \
Sixers to statement victory over Boston Celtics | PhillyVoice</title>
<meta property="og:site_name" content="PhillyVoice" />
</head><body><article><h1>Sixers game notes: Joel Embiid leads Sixers to statement \
victory over Boston Celtics</h1>
<h2>The Sixers captured their biggest win of the year Wednesday night.</h2>
<div class="article-byline"><div class="author">
<span class="by">By</span>
<a class="author-name" href="/staff-contributors/adam-aaronson/">
Adam Aaronson
</a>
<br />
<span class="author-staff">
PhillyVoice Staff
</span>
</div></div>
<p>The Sixers captured their biggest win of the year Wednesday night.</p>
</article></body></html>"""

OSTHESSEN_USER_NAME = """<html><head><title>B&uuml;rgermeisterwahl: Claudia Brandes \
und links-gr&uuml;nes B&uuml;ndnis m&uuml;ssen liefern - Osthessen|News</title>
<meta property="og:site_name" content="Osthessen|News" />
<script type="application/ld+json">{"@context": "https://schema.org",
"@type": "NewsArticle",
"headline": "Claudia Brandes und ihr links-grünes Bündnis müssen jetzt liefern",
        "author": {
        "@type": "Person",
          "name": "christian.stadtfeld"
        }}</script>
</head><body><article><p>Zunächst ist festzustellen, dass die CDU in Petersberg und \
ihr Bürgermeister in den vergangenen sechs Jahren nicht unbedingt einen harmonischen \
Eindruck hinterlassen haben.</p></article></body></html>"""

FINANZTREFF_SITE_AUTHOR = """<html><head><title>Influencer und Trading Apps: Die \
Jungen entdecken die Börse</title>
<meta name="author" content="finanztreff.de" />
<meta property="og:url" content="http://www.finanztreff.de/realtimenews/influencer-\
und-trading-apps-die-jungen-entdecken-die-boerse/24437626"  />
</head><body><article><h1>Influencer und Trading Apps: Die Jungen entdecken die \
Börse</h1><p >Niedrige Zinsen und der anhaltende Aktienboom ziehen immer mehr junge \
Menschen an die Börse. So zumindest die allgemeine Lesart.</p>\
</article></body></html>"""


# The links beside a name in an author box ("Twitter"; "Mehr von", German
# for "More by"): the pages of the "Andrew Husband Twitter" and
# "Jeremy Herron More" are not in the corpora; these two are.
STACKOVERFLOW_AUTHOR_BOX = """<html><head><title>What is Rust and why is it so \
popular? - Stack Overflow Blog</title></head><body><article>
<h1>What is Rust and why is it so popular?</h1>
<p>The short answer is that Rust solves pain points present in many other languages, \
providing a solid step forward with a limited number of downsides.</p>
<div class="m-author">
<div class="m-author__header">
<div class="m-author__header-content">
<div class="m-author__name">Jake Goulding</div>
<div class="m-author__title"/>
</div></div>
<div class="m-author__meta">
<a class="m-author__meta-item" href="https://stackoverflow.blog/authors/jgoulding/">\
Author Archives</a><a class="m-author__meta-item" href="https://www.integer32.com/" \
target="blank">Website</a><a class="m-author__meta-item" \
href="https://twitter.com/JakeGoulding" target="blank">Twitter</a><a \
class="m-author__meta-item" href="https://github.com/shepmaster" \
target="blank">Github</a>
</div></div></article></body></html>"""

JANEWAYNE_MORE_BY = """<html><head><title>Warum ich lieber &quot;Bauchgeburt&quot; \
statt Kaiserschnitt sage. - Jane Wayne News</title></head><body><article>
<h1>Warum ich lieber "Bauchgeburt" statt Kaiserschnitt sage.</h1>
<p>Es fängt oft schon bei Bekannten an, die unbedarft von „normalen“ statt von \
„vaginalen“ oder „spontanen“ Geburten sprechen.</p>
<div class="author_box col-10"><div class="author_box_inner">
<span class="von">Mehr von</span><a href="https://www.thisisjanewayne.com/news/author/\
nike/" title="Beiträge von Nike Jane" rel="author">Nike Jane</a></div></div>
</article></body></html>"""


@pytest.mark.parametrize(
    ("html", "authors"),
    [
        pytest.param(PHILLYVOICE_BYLINE, ("Adam Aaronson",), id="site-name-glued"),
        pytest.param(
            STACKOVERFLOW_AUTHOR_BOX, ("Jake Goulding",), id="twitter-beside-name"
        ),
        pytest.param(JANEWAYNE_MORE_BY, ("Nike Jane",), id="more-by-beside-name"),
        pytest.param(
            OSTHESSEN_USER_NAME, ("Christian Stadtfeld",), id="user-name-with-dot"
        ),
        pytest.param(FINANZTREFF_SITE_AUTHOR, (), id="site-domain-as-author"),
        pytest.param(
            # ekhn.de (the article block of the page, cut at its first
            # paragraph): "red" for the newsroom, "Autor: Multimedia Redaktion",
            # a category list ending "Aktuelles" and an empty "Bildrechte:".
            decode_html(
                (PAGES / "ekhn.de.pflegefinanzierung.snippet.html").read_bytes()
            ),
            (),
            id="section-and-credit-label",
        ),
    ],
)
def test_byline_junk_of_real_pages(html: str, authors: tuple[str, ...]) -> None:
    assert extract_page(html).authors == authors
