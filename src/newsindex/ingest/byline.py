"""Author names from a byline: `By JOHN SMITH and Ann Lee` -> John Smith, Ann Lee.

A byline carries more than names: a lead word (`By`, `Von`, `Reporting by`),
outlet and role suffixes (`, Reuters`, `| CNN`, `, Staff Writer`), places
(`in Moscow`) and dates (`Published 10:30 AM`). Those are dropped; names are
split on `,`, `;`, `|`, `&`, ` and `. Case is changed only where the source
shouted: `JOHN SMITH` -> `John Smith`, `Mary O'BRIEN` -> `Mary O'Brien`,
`Ronald McDONALD` -> `Ronald McDonald`; an all-lowercase name is capitalised
(`keith grant`, seen in Reuters-21578); any other name is kept as written.
The result is a fixed point: `normalise_byline(", ".join(names)) == names`.
"""

from __future__ import annotations

import re

from newsindex.ingest.outlet import OutletRegistry

__all__ = ["normalise_byline"]


def _words(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words in `text`."""
    return frozenset(text.split())


_MAX_BYLINE = 1_000  # a longer "byline" is body text; only its start is read
_MAX_ROUNDS = 3
_MAX_OUTLET_WORDS = 4  # "By Brad Schade Reuters": outlet names glued on the end

_SPACE = re.compile(r"\s+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Where the names end: a date, a time, "Published ...", "Updated ...".
_DATE_START = re.compile(
    r"\b(?:published|updated|posted|last\s+updated|modified)\b"
    rf"|\b{_MONTH}\s+\d"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+\d"
    r"|(?<![^\W\d_])\d",  # a digit, not inside a user name ("Marianne1")
    re.IGNORECASE,
)
_GROUP_SPLIT = re.compile(r"\s*[;|•·]\s*|\s+/\s+|\s+[-–—]+\s+")
_NAME_SPLIT = re.compile(r"\s*[,&]\s*|\s+(?:and|und|et|with)\s+", re.IGNORECASE)
# Credits that are not authorship.
_NOT_AUTHORS = re.compile(
    r"^(?:edit(?:ing|ed)|graphics?|photos?|photographs?|pictures?|video|"
    r"produced|compiled|illustrat(?:ion|ions|ed))\s+by\b",
    re.IGNORECASE,
)
_LEAD = re.compile(
    r"^(?:(?:additional\s+)?(?:reporting|reported|written|writing|story|words|"
    r"text|report)\s+)?(?:by|par|por|door)\b[\s:]*",
    re.IGNORECASE,
)
_VON = re.compile(r"^von\s+(?=\S+\s+\S)", re.IGNORECASE)  # not "Von Miller"
# A lowercase linking word starts what follows the name: "in Moscow",
# "for CNN", "special to The Washington Post".
_TAIL = re.compile(r"\s+(?:in|at|for|from|special\s+to|reporting\s+from)\s.*$")
_CONTACT = re.compile(r"\S*@\S*|\S*https?://\S*|\bwww\.\S*", re.IGNORECASE)
_POSSESSIVE_LEAD = re.compile(r"^(?P<outlet>.+?)[’']s\s+(?=\S)")
_EDGE = " \t.,:;-–—'\"“”‘’()[]{}*+=_~^<>#!?/\\|&"
_CONNECTOR = re.compile(
    r"^(?:and|und|et|with)\s+|\s+(?:and|und|et|with)$", re.IGNORECASE
)

_ROLE_WORDS = _words(
    """staff staffer staffers writer writers reporter reporters correspondent
    correspondents editor editors contributor contributors contributing
    columnist columnists producer producers analyst bureau desk team agencies
    agency wire wires newsroom journalist journalists photographer
    photographers chief senior special political business economics foreign
    diplomatic technology health science sports entertainment news online
    digital service services media intern author opinion guest host anchor
    presenter reports report sport supervisor manager director president
    officer founder ceo professor lecturer fellow researcher student expert
    consultant executive strategist specialist coordinator adviser advisor"""
)
# A piece naming an institution is an affiliation, not a person.
_AFFILIATION_WORDS = _words(
    """university institute college school centre center foundation academy
    council association society ministry department"""
)
_CALENDAR_WORDS = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december today
    yesterday"""
)
_SUFFIXES = _words("jr jr. sr sr. jnr snr ii iii iv")
_ROMAN = _words("II III IV VI VII VIII IX")
_PARTICLES = _words(
    """de da di du del della der den la le van von bin ibn al el dos das ter ten
    zu"""
)
# A final dot that belongs to the name: "John Smith Jr.", "Jane J."
_KEEPS_DOT = re.compile(r"(?:^|\s)(?:Jr|Sr|Jnr|Snr|[A-Z])$")
_PART_SPLIT = re.compile(r"([\-'’.])")


def normalise_byline(
    text: str, registry: OutletRegistry | None = None
) -> tuple[str, ...]:
    """Return the author names in a byline, in order, without roles or outlets.

    `registry` tells outlet names from person names (`, Reuters`,
    `| CNN`); by default the packaged registry. A byline with no names
    (`Reuters Staff`) gives ().
    """
    registry = registry if registry is not None else OutletRegistry.default()
    names = _names(text[:_MAX_BYLINE], registry)
    # Re-read the names as a byline until nothing changes, so that the result
    # is a fixed point whatever odd input led to it; one round almost always
    # suffices.
    for _ in range(_MAX_ROUNDS):
        again = _names(", ".join(names), registry)
        if again == names:
            return names
        names = again
    return ()


def _names(text: str, registry: OutletRegistry) -> tuple[str, ...]:
    line = _SPACE.sub(" ", text).strip()
    cut = _DATE_START.search(line)
    if cut is not None:
        line = line[: cut.start()]
    names: list[str] = []
    for group in _GROUP_SPLIT.split(line):
        group = _strip_edges(group)
        if not group or _NOT_AUTHORS.match(group):
            continue
        for segment in _NAME_SPLIT.split(group):
            name = _clean_segment(segment, registry)
            if name is None:
                continue
            if names and name.casefold() in _SUFFIXES:
                names[-1] = f"{names[-1]} {name}"
            else:
                names.append(name)
    names = [_fix_case(name) for name in names if name.casefold() not in _SUFFIXES]
    if any(" " in name for name in names):
        # "By Cal Mankowski, Reutersd": a lone word beside full names is not one.
        names = [name for name in names if " " in name]
    return tuple(dict.fromkeys(names))


def _strip_lead(segment: str, registry: OutletRegistry) -> str:
    """Drop "By", "Reporting by", "Von" and "CNN's" from the start of a segment."""
    while True:
        before = segment
        segment = _strip_edges(_VON.sub("", _LEAD.sub("", segment)))
        lead = _POSSESSIVE_LEAD.match(segment)
        if lead and registry.resolve(lead.group("outlet")) is not None:
            segment = segment[lead.end() :]
        if segment == before:
            return segment


def _clean_segment(segment: str, registry: OutletRegistry) -> str | None:
    """Return the person name in one comma-separated piece, or None if there is none."""
    segment = _TAIL.sub("", _CONTACT.sub(" ", segment))
    segment = _CONNECTOR.sub("", _strip_edges(_SPACE.sub(" ", segment)))
    segment = _strip_lead(segment, registry)
    if not any(c.isalpha() for c in segment) or _NOT_AUTHORS.match(segment):
        return None
    words = segment.split(" ")
    if any(w.casefold().strip(_EDGE) in _AFFILIATION_WORDS for w in words):
        return None  # "Ivan Oransky, New York University"
    mixed_case = any(c.isupper() for c in segment)
    for i, word in enumerate(words):
        # A role ("Phil McNulty Chief football writer", "Reuters Staff") or, in
        # a capitalised name, a plain lowercase word ends the name.
        bare = word.casefold().strip(_EDGE)
        if bare in _ROLE_WORDS or (
            mixed_case and word.islower() and bare not in _PARTICLES
        ):
            words = words[:i]
            break
    # An outlet after two or more words ends the name: "Brad Schade Reuters",
    # "Dafydd Pritchard BBC Wales Sport"; "Alex Forbes" stays whole.
    for i in range(2, len(words)):
        if any(
            registry.resolve(" ".join(words[i : i + size])) is not None
            for size in range(1, _MAX_OUTLET_WORDS + 1)
        ):
            words = words[:i]
            break
    name = _strip_edges(" ".join(words))
    if not name or registry.resolve(name) is not None:
        return None  # "Staff Writer", "CNN", "The Associated Press"
    if len(words) == 1 and name.casefold() in _CALENDAR_WORDS:
        return None
    return name


def _strip_edges(text: str) -> str:
    """Strip punctuation and space from both ends, keeping the dot of `Jr.`, `J.`."""
    core = text.strip(_EDGE)
    end = text.find(core) + len(core)
    if core and text[end : end + 1] == "." and _KEEPS_DOT.search(core):
        return core + "."
    return core


def _fix_case(name: str) -> str:
    """Title-case what the source shouted; keep mixed-case names as written."""
    tokens = name.split(" ")
    if not any(c.isupper() for c in name):
        return " ".join(_lower_token(t, i) for i, t in enumerate(tokens))
    shouted = name.isupper()
    return " ".join(_upper_token(t, i, shouted=shouted) for i, t in enumerate(tokens))


def _lower_token(token: str, index: int) -> str:
    """Capitalise a token of an all-lowercase name, leaving `de`, `van` alone."""
    if index > 0 and token in _PARTICLES:
        return token
    return "".join(_capitalise(part) for part in _PART_SPLIT.split(token))


def _upper_token(token: str, index: int, *, shouted: bool) -> str:
    """Title-case the shouted parts of a token: `O'BRIEN`, `McDONALD`, `JOHN`."""
    if token in _ROMAN:
        return token
    if shouted and index > 0 and token.lower() in _PARTICLES:
        return token.lower()  # JEAN DE LA CROIX -> Jean de la Croix
    min_letters = 2 if shouted else 3  # keep initials like "JJ" in a mixed name
    return "".join(_upper_part(part, min_letters) for part in _PART_SPLIT.split(token))


def _upper_part(part: str, min_letters: int) -> str:
    cased = sum(1 for c in part if c.isupper() or c.islower())
    if cased >= min_letters and part.isupper():
        return _capitalise(part)
    for size in (2, 3):  # McDONALD, MacDONALD, DeSANTIS
        head, tail = part[:size], part[size:]
        if (
            len(tail) >= 3
            and head[:1].isupper()
            and head[1:].islower()
            and tail.isalpha()
            and tail.isupper()
        ):
            return head + _capitalise(tail)
    return part


def _capitalise(part: str) -> str:
    """`DONALD` -> `Donald`, `mcdonald` -> `McDonald`; leading non-letters stay."""
    first = next((i for i, c in enumerate(part) if c.lower() != c.upper()), len(part))
    head, word = part[:first], part[first:]
    if not word:
        return part
    word = word[0].title() + word[1:].lower()
    if len(word) > 2 and word.startswith("Mc"):
        word = "Mc" + word[2].title() + word[3:]
    return head + word
