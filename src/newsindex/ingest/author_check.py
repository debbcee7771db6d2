"""Check a name a page gives as its author before it is kept as a person.

A page's author slot holds what its template put around the name as often
as the name: share buttons ("Andrew Husband Twitter"), a "More" link, the
site's own name ("Adam Aaronson PhillyVoice"), a role joined to the name
("Focus-Online-Experte Robin Tschöpe"), a photo credit ("Aktuelles
Bildrechte"), a place ("Frankfurt") or a user name written with a dot
("Christian.Stadtfeld"). `check_name` trims the first kinds off the ends of
the name and refuses a name that is a place, a month, a credit, an
organisation, a placeholder or the site itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from msgspec import Struct, field

from newsindex.ingest.gazetteer import lookup

__all__ = ["Site", "check_name", "check_names"]


class Site(Struct, frozen=True):
    """The names a page gives its own site, as keys (lowercase letters, digits).

    `names` come from the page's metadata (og:site_name, the publisher):
    "phillyvoice", "finanztreffde". `hosts` from its URL's host: a personal
    site is often named for its author (heiko-adams.de), so a host name is
    trimmed off a name as a word, never matched inside one.
    """

    names: frozenset[str] = field(default_factory=frozenset)
    hosts: frozenset[str] = field(default_factory=frozenset)

    @property
    def words(self) -> frozenset[str]:
        return self.names | self.hosts


# Links and buttons a byline runs into, in the languages of the pages, and
# the labels before or after a name ("Interview", "Filed under", "Stand:").
_NAVIGATION = frozenset(
    {
        "twitter", "facebook", "instagram", "linkedin", "xing", "youtube",
        "whatsapp", "pinterest", "tiktok", "mastodon", "threads", "bluesky",
        "email", "e-mail", "mail", "rss", "more", "mehr", "plus", "follow",
        "folgen", "kontakt", "kontaktieren", "contact", "profile", "profil",
        "bio", "articles", "artikel", "posts", "beiträge", "website", "homepage",
        "aktuelles", "news", "share", "teilen", "partager", "vorlesen",
        "anhören", "listen", "print", "drucken", "imprimer", "blog", "filed",
        "interview", "stand", "auteur", "autor", "autorin", "author", "says",
        "said", "sagt", "schreibt", "writes", "alle", "alles", "all",
        "veröffentlicht", "publiziert", "published", "erstellt",
    }
)  # fmt: skip
# Words of a picture credit, never of a name ("zvg": zur Verfügung gestellt,
# the Swiss credit for a picture a source provided; "фото": photo).
_CREDITS = frozenset(
    {
        "bildrechte", "bildquelle", "bild", "foto", "fotos", "photo", "photos",
        "image", "images", "credit", "credits", "quelle", "copyright",
        "illustration", "grafik", "getty", "imago", "shutterstock", "istock",
        "фото", "zvg",
    }
)  # fmt: skip
_MONTHS_AND_DAYS = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "januar",
        "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
        "janvier", "février", "mars", "avril", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
        "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    }
)  # fmt: skip
# Roles joined to a name by a hyphen: "Focus-Online-Experte Robin Tschöpe".
_ROLES = frozenset(
    {
        "experte", "expertin", "redakteur", "redakteurin", "autor", "autorin",
        "gastautor", "gastautorin", "korrespondent", "korrespondentin",
        "reporter", "reporterin", "kolumnist", "kolumnistin", "expert",
        "editor", "writer", "columnist", "correspondent", "contributor",
    }
)  # fmt: skip
# Placeholders CMSs put where an author's name goes ("No Author" on
# japantimes.co.jp is read as the name "No").
_PLACEHOLDERS = frozenset(
    {
        "admin", "administrator", "unknown", "unbenannt", "anonymous", "anonym",
        "null", "none", "no", "publisher", "redaktion", "editor", "editorial",
        "staff",
    }
)  # fmt: skip
# Words that make a name an organisation's: a legal form or a newsroom
# ("Olympia-Verlag GmbH", "Naturstrom AG", "Redacción EC", "TVT-Redaktion").
_ORGANISATION_WORDS = frozenset(
    {
        "gmbh", "ag", "e.v", "e.v.", "eg", "inc", "inc.", "ltd", "ltd.", "llc",
        "verlag", "redaktion", "redacción", "redaccion", "redazione",
        "rédaction", "newsroom",
    }
)  # fmt: skip
# Words that open a phrase, never a name ("Ist Der Mann", "The Editors");
# "Le Pen" and "De Gaulle" open with a particle, and a pen name may open
# with an article of its own language ("Der Spendenteddy").
# "by" in the languages of the corpora, as a link to an author's posts says it.
_BY = frozenset({"by", "von", "par", "por", "door"})
_PHRASE_OPENERS = frozenset({"the", "a", "an", "ist", "un", "une", "zum", "zur"})
# "Christian.Stadtfeld": a user name that is a first and last name.
_DOTTED = re.compile(r"^([A-ZÀ-Þ][a-zß-ÿ]+)\.([A-ZÀ-Þ][a-zß-ÿ]+)$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,4}$", re.IGNORECASE)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, ZW*
# "@AndrewHusband", "cipha[at]cipha.net": a handle or an address, not a name.
_HANDLE = re.compile(r"\S*(?:@|\[at\]|\(at\))\S*", re.IGNORECASE)
_EDGE = " \t,;:|/·•-–—()[]"
# One word and a colon (or a full-width one) before the name is its label.
_LABEL = re.compile(r"^[^\s:\uff1a]{1,20}[:\uff1a]\s*(?=\S)")
_PLACE_LOCALES = ("en", "de", "fr", "es", "it", "pt", "nl")
# A full stop after a word that is no initial, nor a title or suffix ("Jr.").
_SENTENCE = re.compile(r"(?<!\bJr)(?<!\bSr)(?<!\bProf)(?<!\bJun)\b\w{3,}\.\s")
_MIN_SITE_KEY = 5
_MIN_WORD = 2  # a name has a word of two letters or more: "C" is an initial


def check_names(names: Iterable[str], site: Site) -> tuple[str, ...]:
    """Return the persons among one source's names, each checked, in order.

    A source naming a country is an address, not a byline: giromatch.com's
    <meta name="author"> is "GIROMATCH, Frankfurt a. M., Germany", and none
    of its parts is a person.
    """
    names = tuple(names)
    if any(_fold_name(n) in _countries() for n in names):
        return ()
    checked = (check_name(n, site) for n in names)
    return tuple(dict.fromkeys(n for n in checked if n))


def check_name(name: str, site: Site) -> str | None:
    """Return the person's name with template words trimmed, or None.

    A word of the name that is one of the site's names is the site's, not
    the person's; a name that is the site's (or holds a site name of
    `_MIN_SITE_KEY` letters or more) is no person.
    """
    name = _HANDLE.sub(" ", _INVISIBLE.sub("", name)).strip(_EDGE)
    if _key(name) in site.words or _DOMAIN.match(name):
        return None  # "Finanztreff.De", "Kath.Net": the site's own name
    # "Autor: Max Muster", and "责任编辑" (editor in charge) with a full-width
    # colon before the name on banyuetan.org: a label.
    name = _LABEL.sub("", _DOTTED.sub(r"\1 \2", name))
    words = name.split()
    # A button, a link or a date after the name ends it: "Inga Hoeltmann
    # Follow Transformationsbegleiterin", "Martin Junker Alles von Martin
    # Junker", "Alex Bozarjian Thursday".
    for i in range(1, len(words)):
        if _template_word(words[i], site) or _fold_name(words[i]) in _MONTHS_AND_DAYS:
            words = words[:i]
            break
    trimmed = False
    while words and (_template_word(words[0], site) or _role(words[0])):
        words.pop(0)
        trimmed = True
    # "Mehr von Nike Jane" (thisisjanewayne.com's author box), "More by ...":
    # the link's preposition goes with it; a name may begin "von" otherwise.
    if trimmed and len(words) > 2 and words[0].casefold() in _BY:
        words.pop(0)
    if not words:
        return None
    name = " ".join(words)
    return name if _person(name, site) else None


def _person(name: str, site: Site) -> bool:
    """Whether a trimmed name can be a person's (not a place, credit or site)."""
    folded = _fold_name(name).split()
    whole = " ".join(folded)
    if (
        max(len(w) for w in folded) < _MIN_WORD
        or any(w in _CREDITS for w in folded)
        or whole in _MONTHS_AND_DAYS
        or whole in _places()
        or whole in _PLACEHOLDERS
        or folded[0] in _PHRASE_OPENERS
    ):
        return False
    if _SENTENCE.search(name):
        return False  # "HiFi-Trends. Zudem": a sentence, not a name
    parts = {p for w in folded for p in (w, *w.split("-"))}
    if parts & _ORGANISATION_WORDS:
        return False
    known = lookup(name)
    if known is not None and known.type != "person":
        return False  # a place or an organisation the gazetteer lists
    key = _key(name)
    # "Die Tagespresse" on dietagespresse.com, "Lecker.de" on lecker.de.
    return not any(
        key == s or (len(key) >= _MIN_SITE_KEY and key in s) for s in site.names
    )


def _fold_name(name: str) -> str:
    return " ".join(w.casefold().strip(_EDGE + ".") for w in name.split())


def _template_word(word: str, site: Site) -> bool:
    folded = word.casefold().strip(_EDGE + ".")
    return folded in _NAVIGATION or _key(word) in site.words


def _role(word: str) -> bool:
    """A role, alone or joined to the site's name: "Focus-Online-Experte"."""
    return word.casefold().strip(_EDGE + ".").split("-")[-1] in _ROLES


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


@functools.cache
def _countries() -> frozenset[str]:
    """Country names in several languages, from CLDR through babel."""
    from babel import Locale

    return frozenset(
        n.casefold()
        for code in _PLACE_LOCALES
        for n in Locale.parse(code).territories.values()
    )


@functools.cache
def _places() -> frozenset[str]:
    """Countries and the cities time zones are named for, in several languages.

    From CLDR through babel: "Germany", "Deutschland", "Allemagne", "Berlin",
    "New York", "Londres". Read once, on first use (about a second).
    """
    import zoneinfo

    from babel import Locale
    from babel.dates import get_timezone_location

    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z)
    names = set(_countries())
    for code in _PLACE_LOCALES:
        locale = Locale.parse(code)
        for zone in zones:
            try:
                city = get_timezone_location(zone, locale=locale, return_city=True)
            except (LookupError, ValueError):
                continue
            names.add(city.casefold())
    return frozenset(names)
