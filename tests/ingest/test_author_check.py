"""Author names are checked, not trusted: real author slots of real pages."""

from __future__ import annotations

import pytest

from newsindex.ingest.author_check import Site, check_name, check_names


@pytest.mark.parametrize(
    ("name", "site", "expected"),
    [
        # phillyvoice.com-Sixers: the site's name glued to the byline.
        (
            "Adam Aaronson PhillyVoice",
            Site(hosts=frozenset({"phillyvoice"})),
            "Adam Aaronson",
        ),
        # Share buttons and "More" links run into the name (issue #15).
        ("Andrew Husband Twitter", Site(), "Andrew Husband"),
        ("Jeremy Herron More", Site(), "Jeremy Herron"),
        # thisisjanewayne.com-bauch: "More by" before the name in an author box.
        ("Mehr von Nike Jane", Site(), "Nike Jane"),
        # motorsport-total.com-romeo: a contact button alone.
        ("Kontaktieren", Site(), None),
        # Osthessen-news.de: a user name with a dot.
        ("Christian.Stadtfeld", Site(), "Christian Stadtfeld"),
        # finanztreff.de-Influencer: the site's domain as the author.
        (
            "Finanztreff.De",
            Site(hosts=frozenset({"finanztreff", "finanztreffde"})),
            None,
        ),
        # giromatch.com-kredit: the company's address in the author slot.
        ("Germany", Site(), None),
        # ekhn.de-Pflegefinanzierung: a section name and a picture credit.
        ("Aktuelles Bildrechte", Site(), None),
        # sladisworld.wordpress.com: a month under the post.
        ("Dezember", Site(), None),
        # linkedin.com-hoeltmann: a button and the headline after the name.
        ("Inga Hoeltmann Follow Transformationsbegleiterin", Site(), "Inga Hoeltmann"),
        # fincompare.de-firmenwagen: "all posts by" runs into the name.
        ("Martin Junker Alles von Martin Junker", Site(), "Martin Junker"),
        # abc13.com-Copperfield: the weekday of the date line.
        ("Alex Bozarjian Thursday", Site(), "Alex Bozarjian"),
        # focus.de-leasen: a role joined to the site's name.
        ("Focus-Online-Experte Robin Tschöpe", Site(), "Robin Tschöpe"),
        # courgage-online.de-HIV: soft hyphens inside the name.
        ("Mat\xadthi\xadas Lauerer", Site(), "Matthias Lauerer"),
        # banyuetan.org: "editor in charge" and a full-width colon.
        ("责任编辑\uff1a孔德明", Site(), "孔德明"),
        # gizmeo.eu-insekten: an obfuscated address, and an initial alone.
        ("Cipha[at]cipha.Net", Site(), None),
        ("C", Site(), None),
        # infosperber.ch: the Swiss picture credit (zur Verfügung gestellt).
        ("Zvg", Site(), None),
        # blog.teufel.de: a sentence from an author box.
        ("HiFi-Trends. Zudem", Site(), None),
        # Initials and a suffix keep their dots.
        ("Marwan H. Adwan", Site(), "Marwan H. Adwan"),
        ("Perry Bacon Jr. Filed", Site(), "Perry Bacon Jr."),
        # A person whose first name is a place is still a person.
        ("Paris Hilton", Site(), "Paris Hilton"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_check_name(name: str, site: Site, expected: str | None) -> None:
    assert check_name(name, site) == expected


def test_a_source_naming_a_country_is_an_address() -> None:
    # giromatch.com-kredit: <meta name="author" content="GIROMATCH,
    # Frankfurt a. M., Germany">, as the byline normaliser splits it.
    names = ("Giromatch", "Frankfurt", "Germany")
    assert check_names(names, Site(hosts=frozenset({"giromatch"}))) == ()


def test_check_names_keeps_the_persons_in_order() -> None:
    # wsvn.com-crash: the station's name among its reporters.
    names = ("Jessica Holly", "Gail Levy", "7 News WSVN")
    site = Site(hosts=frozenset({"wsvn", "wsvncom"}))
    assert check_names(names, site) == ("Jessica Holly", "Gail Levy")
