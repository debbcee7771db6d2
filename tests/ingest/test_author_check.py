"""Author names are checked, not trusted: real author slots of real pages."""

from __future__ import annotations

import pytest

from newsindex.ingest.author_check import Site, check_name


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
        # A person whose first name is a place is still a person.
        ("Paris Hilton", Site(), "Paris Hilton"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_check_name(name: str, site: Site, expected: str | None) -> None:
    assert check_name(name, site) == expected
