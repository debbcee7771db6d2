"""Check a name a page gives as its author before it is kept as a person.

A page's author slot holds what its template put around the name as often
as the name: share buttons ("Andrew Husband Twitter"), a "More" link, the
site's own name ("Adam Aaronson PhillyVoice"), a photo credit ("Aktuelles
Bildrechte"), a place ("Frankfurt") or a user name written with a dot
("Christian.Stadtfeld"). `check_name` trims the first kinds off the ends of
the name and refuses a name that is a place, a month or a credit.
"""

from __future__ import annotations

import functools
import re

__all__ = ["check_name"]

# Links and buttons a byline runs into, in the languages of the pages.
_NAVIGATION = frozenset(
    {
        "twitter", "facebook", "instagram", "linkedin", "xing", "youtube",
        "whatsapp", "pinterest", "tiktok", "mastodon", "threads", "bluesky",
        "email", "e-mail", "mail", "rss", "more", "mehr", "plus", "follow",
        "folgen", "kontakt", "kontaktieren", "contact", "profile", "profil",
        "bio", "articles", "artikel", "posts", "beiträge", "website", "homepage",
        "aktuelles", "news", "share", "teilen", "partager", "vorlesen",
        "anhören", "listen", "print", "drucken", "imprimer",
    }
)  # fmt: skip
# Words of a picture credit, never of a name.
_CREDITS = frozenset(
    {
        "bildrechte", "bildquelle", "bild", "foto", "fotos", "photo", "photos",
        "image", "images", "credit", "credits", "quelle", "copyright",
        "illustration", "grafik", "getty", "imago", "shutterstock", "istock",
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
# "Christian.Stadtfeld": a user name that is a first and last name.
_DOTTED = re.compile(r"^([A-ZÀ-Þ][a-zß-ÿ]+)\.([A-ZÀ-Þ][a-zß-ÿ]+)$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,4}$", re.IGNORECASE)
_EDGE = " \t,;:|/·•-–—()[]"
_PLACE_LOCALES = ("en", "de", "fr", "es", "it", "pt", "nl")


def check_name(name: str, site: frozenset[str] | set[str]) -> str | None:
    """Return the person's name with template words trimmed, or None.

    `site` holds the site's names as keys (lowercase letters and digits
    only: "phillyvoice", "finanztreffde"); a word of the name equal to one
    is the site's, not the person's.
    """
    name = name.strip(_EDGE)
    if _key(name) in site or _DOMAIN.match(name):
        return None  # "Finanztreff.De", "Kath.Net": the site's own name
    name = _DOTTED.sub(r"\1 \2", name)
    words = name.split()
    while words and _template_word(words[-1], site):
        words.pop()
    while words and _template_word(words[0], site):
        words.pop(0)
    if not words:
        return None
    folded = [w.casefold().strip(_EDGE + ".") for w in words]
    if any(w in _CREDITS for w in folded):
        return None
    whole = " ".join(folded)
    if whole in _MONTHS_AND_DAYS or whole in _places():
        return None
    return " ".join(words)


def _template_word(word: str, site: frozenset[str] | set[str]) -> bool:
    folded = word.casefold().strip(_EDGE + ".")
    return folded in _NAVIGATION or _key(word) in site


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


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
    names: set[str] = set()
    for code in _PLACE_LOCALES:
        locale = Locale.parse(code)
        names.update(n.casefold() for n in locale.territories.values())
        for zone in zones:
            try:
                city = get_timezone_location(zone, locale=locale, return_city=True)
            except (LookupError, ValueError):
                continue
            names.add(city.casefold())
    return frozenset(names)
