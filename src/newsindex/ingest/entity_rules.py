"""Rules over the model's spans and an article's groups, each measured on Reuters.

- `with_listed_forms`: the gazetteer's forms the model missed or cut short
  (dev orgs found 0.9296 -> 0.9433 with the acronym rule of entities.py).
- `with_defined_acronyms`: `Name (ACR)` after an organisation's span, the
  span run on to the bracket when the acronym spells the longer name
  (Reuters: `the United Nations Conference on Trade` tagged, `and
  Development (UNCTAD)` not).
- `names_a_portfolio`: `State` in `Secretary of State` is the title's, not
  an organisation (dai2017: the commonest one-word organisation).
- `drop_common_words`: a one-word organisation its article also writes in
  lower case is a word (`the State argues` beside `Washington state`).
- `with_known_countries`: a country or region CLDR names, standing alone
  and left untagged by the model (Reuters: `Japan` in `Japan's surplus`).
- `is_a_place_misread`: a country or one-word city CLDR names, tagged as a
  person and standing alone, is the place (dai2017: `Kiev has refused`).
- `headline_name_end`: a span in a headline's capitals ends before the
  headline's verb (Reuters `VOLCKER SAYS FURTHER SIZEABLE` tagged ORG,
  `BAKER SAYS` PERSON).
- `follows_a_title`: a name right after a person's title is a person's,
  whatever the model typed it (Reuters: `Prime Minister Anibal Cavaco Silva`
  and `Trade Commissioner Willy de Clercq` tagged ORG).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsindex.ingest.acronyms import abbreviates
from newsindex.ingest.gazetteer import find_forms, lookup
from newsindex.ingest.places import find_countries, is_place_not_person
from newsindex.records import EntityType

__all__ = [
    "drop_common_words",
    "follows_a_title",
    "headline_name_end",
    "is_a_place_misread",
    "names_a_portfolio",
    "runs_past",
    "with_defined_acronyms",
    "with_known_countries",
    "with_listed_forms",
]

TaggedSpan = tuple[str, int, int]  # as entities.py: (label, start, end)
Mention = tuple[str, int, int]  # (cleaned name, start, end)
_LEADING_ARTICLE = re.compile(r"^\s*(?:the|The|THE)\s+$")
_POSSESSIVE_END = re.compile(r"^[’']s?$")
# `Secretary of State`, `Minister of the Interior`: what precedes the span.
_TITLE_OF = re.compile(r"([A-Za-z]+)\s+of\s+(?:the\s+)?$")
_TITLE_CASE = re.compile(r"^[A-Z][a-z]+$")
# After an organisation's span: up to six more words of the name (capitalised
# or minor), then `(ACR)`, the bracket perhaps cut: `and Development (UNCTAD)`.
_RUN_ON = re.compile(
    r"((?:\s+(?:and|of|for|on|the|de|&|[A-Z][\w'-]*)){0,6}?)"
    r"\s*\(\s*([A-Z][A-Z.&]{1,9})\s*\)?"
)
# Titles whose `of X` names a portfolio; `President of Cargill` names a firm.
# Titles written right before a person's name, never before a body's:
# `General` (`General Motors`), `Director` (`Director General`) and `Chief`
# are left out.
_PERSON_TITLES = frozenset(
    {
        "president", "vice-president", "president-elect", "premier", "chancellor",
        "minister", "secretary", "chairman", "chairwoman", "governor", "senator",
        "sen", "rep", "congressman", "congresswoman", "commissioner", "ambassador",
        "envoy", "mayor", "judge", "spokesman", "spokeswoman", "economist",
        "analyst", "mr", "mrs", "ms", "dr", "sir", "lord", "king", "queen",
        "prince", "princess", "pope", "sheikh",
    }
)  # fmt: skip
# The word right before a name, a line break between them at most (wire copy
# wraps: `Council of Economic Advisers chairman\nBeryl Sprinkel`): `Minister`
# in `Finance Minister Kiichi Miyazawa`, `Mr` in `Mr. Volcker`.
_WORD_BEFORE = re.compile(r"(?<![\w.-])([A-Za-z][a-z-]*)\.?(?:[ \t]+|[ \t]*\n[ \t]*)$")
# A person's name: capitalised words and the particles of surnames.
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|de|da|del|der|van|von|la|le|al-\w+|bin)$")
_MAX_NAME_WORDS = 4
# A capitalised word right beside a country's name, a wire line break between
# them at most (`the Uruguay\nRound`): the name is part of a longer one (`Air
# France`, `Japan Airlines`), unless the word opens sentences (`In Japan`).
_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][\w'’&-]*)(?:[ \t]+|[ \t]*\n[ \t]*)$")
_OPENERS = frozenset(
    {
        "in", "from", "to", "for", "at", "on", "by", "with", "and", "but", "or",
        "as", "if", "when", "while", "since", "after", "before", "like", "unlike",
        "both", "neither", "only", "even", "then", "so", "yet", "also", "because",
        "although", "meanwhile", "across", "outside", "inside", "throughout",
        "en", "au", "aux", "et", "mais", "pour", "dans", "vers",
    }
)  # fmt: skip
_CAPITALISED_AFTER = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)[A-Z]")
# `Bank of Japan`, `Republic of Korea`: a name's `of`, the country its last word.
_NAME_OF_BEFORE = re.compile(r"\b[A-Z][\w'’&-]*\s+of\s+(?:the\s+)?$")
# The verbs of wire headlines (`BAKER SAYS ...`, `REAGAN RENEWS ...`): in
# capitals the model runs a name on into them.
_HEADLINE_VERBS = frozenset(
    {
        "SAYS", "SAID", "SEES", "URGES", "WARNS", "RENEWS", "EXPECTS", "ASKS",
        "CALLS", "DENIES", "PROPOSES", "BACKS", "OPPOSES", "REJECTS", "WANTS",
        "PLANS", "NOMINATES", "AGREES", "CONFIRMS", "PREDICTS", "SUPPORTS",
        "TELLS", "INSISTS", "FORECASTS", "RULES", "VOWS", "QUITS", "RESIGNS",
    }
)  # fmt: skip
_PORTFOLIO_TITLES = frozenset(
    {"secretary", "secretaries", "minister", "ministers", "ministry", "department"}
)


def with_listed_forms(text: str, spans: Iterable[TaggedSpan]) -> list[TaggedSpan]:
    """The model's spans, and each listed form it missed or cut short.

    A listed form inside a longer span stays the model's (`US Navy`); a span
    inside a listed form gives way to it: Reuters `the Organisation for
    Economic\nCo-operation and` (the model's) and `... and Development`.
    """
    model = list(spans)
    out = list(model)
    for type_, start, end in find_forms(text):
        over = [s for s in model if s[1] < end and start < s[2]]
        if any(runs_past(text, s, start, end) for s in over):
            continue
        out = [s for s in out if s not in over]
        out.append(("ORG" if type_ == "org" else "GPE", start, end))
    return sorted(out, key=lambda s: (s[1], s[2]))


def with_known_countries(text: str, spans: Iterable[TaggedSpan]) -> list[TaggedSpan]:
    """The spans, and each country CLDR names that no span touches, standing alone.

    Standing alone: no capitalised word right before or after it, nor a
    name's `of` before it, on a line in mixed case (`Air France`, `Japan
    Airlines`, `Bank of Japan`, `Michael Jordan` name something else), and
    the model tagged the same form nowhere else in the text as anything but
    a place (`Chad` the person).
    """
    out = list(spans)
    elsewhere = {text[s:e] for label, s, e in out if label not in ("GPE", "LOC")}
    for start, end in find_countries(text):
        if text[start:end] in elsewhere:
            continue
        if any(s < end and start < e for _, s, e in out):
            continue
        if not _in_capitals(text, start, end) and _beside_a_name(text, start, end):
            continue
        out.append(("GPE", start, end))
    return sorted(out, key=lambda s: (s[1], s[2]))


def headline_name_end(text: str, start: int, end: int) -> int:
    """Where a span written in capitals ends, cut before a headline's verb.

    `VOLCKER SAYS FURTHER SIZEABLE` ends after `VOLCKER`; a span in mixed
    case, or whose first word is the verb, is left as it is.
    """
    span = text[start:end]
    if not span.isupper():
        return end
    for word in re.finditer(r"\S+", span):
        if word[0] in _HEADLINE_VERBS:
            return (
                end if word.start() == 0 else start + len(span[: word.start()].rstrip())
            )
    return end


def is_a_place_misread(text: str, mention: Mention, full_names: set[str]) -> bool:
    """Whether a span tagged as a person names a place CLDR knows, standing alone.

    A country or region, or a one-word city (`places.is_place_not_person`),
    that is no word of another person's name in the text (`full_names`, the
    person spans of several words: `Jordan` beside `Michael Jordan`) and has
    no capitalised word beside it.
    """
    name, start, end = mention
    if not is_place_not_person(name):
        return False
    words = set(name.split())
    if any(words & set(other.split()) for other in full_names - {name}):
        return False
    return _in_capitals(text, start, end) or not _beside_a_name(text, start, end)


def _in_capitals(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return not any(c.islower() for c in line)


def _beside_a_name(text: str, start: int, end: int) -> bool:
    window = max(0, start - 40)
    before = _CAPITALISED_BEFORE.search(text, window, start)
    return (
        (before is not None and before[1].lower() not in _OPENERS)
        or _NAME_OF_BEFORE.search(text, window, start) is not None
        or _CAPITALISED_AFTER.match(text, end) is not None
    )


def runs_past(text: str, span: TaggedSpan, start: int, end: int) -> bool:
    """Whether a span holds words of a name beyond `text[start:end]`.

    An article or a possessive does not count: Reuters tagged `the General
    Agreement` (LAW) in `the General Agreement on\nTariffs and Trade`.
    """
    before = text[span[1] : start] if span[1] < start else ""
    after = text[end : span[2]] if span[2] > end else ""
    before = _LEADING_ARTICLE.sub("", before)
    return any(c.isalnum() for c in before + _POSSESSIVE_END.sub("", after))


def with_defined_acronyms(text: str, spans: Iterable[TaggedSpan]) -> list[TaggedSpan]:
    """The spans, an organisation's run on to its bracketed acronym, and the
    acronym as an organisation's mention."""
    out = list(spans)
    for label, start, end in list(out):
        found = _RUN_ON.match(text, end, end + 120)
        if label != "ORG" or found is None:
            continue
        listed = lookup(found[2])
        if listed is not None and listed.type != "org":
            continue  # a place's form: `Cargill (USA)` is no acronym of Cargill
        acronym_at = found.span(2)
        if any(s < acronym_at[1] and acronym_at[0] < e for _, s, e in out):
            continue  # tagged already: the model's reading stands
        if found[1].strip():
            if not abbreviates(found[2], text[start : found.end(1)]):
                continue
            run = (end, found.end(1))
            out = [t for t in out if not (t[1] < run[1] and run[0] < t[2])]
            out.remove((label, start, end))
            out.append((label, start, found.end(1)))
        out.append(("ORG", *acronym_at))
    return sorted(out, key=lambda s: (s[1], s[2]))


def names_a_portfolio(text: str, mention: Mention) -> bool:
    """Whether a one-word name follows `<title> of`: `Secretary of State`."""
    name, start, _ = mention
    if " " in name:
        return False
    before = _TITLE_OF.search(text, max(0, start - 40), start)
    return before is not None and before[1].lower() in _PORTFOLIO_TITLES


def drop_common_words(
    groups: dict[tuple[EntityType, str], list[Mention]], text: str
) -> None:
    """Leave out a one-word organisation written in lower case as often as not.

    Title case only (`State`, not `NATO`), and never a listed form (`Fed`).
    """
    for type_, key in list(groups):
        mentions = groups[(type_, key)]
        names = {name for name, _, _ in mentions}
        if type_ != "org" or len(names) != 1:
            continue
        (name,) = names
        if not _TITLE_CASE.match(name) or lookup(name) is not None:
            continue
        lower = len(re.findall(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", text))
        if lower >= len(mentions):
            del groups[(type_, key)]


def follows_a_title(text: str, mention: Mention) -> bool:
    """Whether a name written like a person's comes right after a person's title.

    `Finance Minister Kiichi Miyazawa`, `Mr. Volcker`; a name in capitals
    (`President OPEC`) or of more than four words is not a person's.
    """
    name, start, _ = mention
    words = name.split()
    if len(words) > _MAX_NAME_WORDS or name.isupper():
        return False
    if not all(_NAME_WORD.match(word) for word in words):
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and before[1].lower() in _PERSON_TITLES
