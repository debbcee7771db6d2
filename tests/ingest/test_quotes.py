"""Quotes: spans into the body and the speaker the text names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsindex.ingest.quotes import find_quotes

# raw/000: curly quotes, speaker after, then a pronoun that refers back.
LAVROV = (
    "“In response to NATO’s actions, we’re suspending the operations of our permanent "
    "mission to NATO,” Lavrov said at a press conference in Moscow.\n\n"
    "“Secondly, we’re suspending the operations of the NATO Military Liaison Mission "
    "in Moscow,” he said."
)
# raw/004: a straight quote closed by a curly one, speaker before.
MIXED = (
    "As per The Associated Press, Russian Foreign Minister Sergei Lavrov told "
    'reporters in Moscow, "NATO isn’t interested in any kind of equal dialogue '
    "or joint work,” "
    "adding that"
)


def test_speaker_after_the_quote_and_the_pronoun_kept() -> None:
    # The pronoun is resolved with the article's people (ingest/speakers.py).
    quotes = find_quotes(LAVROV)
    assert [(q.text, q.speaker) for q in quotes] == [
        (
            "In response to NATO’s actions, we’re suspending the operations of our "
            "permanent mission to NATO,",
            "Lavrov",
        ),
        (
            "Secondly, we’re suspending the operations of the NATO Military Liaison "
            "Mission in Moscow,",
            "he",
        ),
    ]
    assert all(LAVROV[q.start : q.end] == q.text for q in quotes)


def test_mixed_quote_marks_and_speaker_before() -> None:
    (quote,) = find_quotes(MIXED)
    assert (
        quote.text
        == "NATO isn’t interested in any kind of equal dialogue or joint work,"
    )
    assert MIXED[quote.start : quote.end] == quote.text
    assert quote.speaker == "Russian Foreign Minister Sergei Lavrov"


def test_scare_quotes_are_not_statements() -> None:
    text = "contact with its “esteemed colleagues” and “cherished partners” in NATO"
    assert find_quotes(text) == ()


@given(st.text(alphabet=st.sampled_from(list('ab "“”’,.\nX')), max_size=200))
def test_quote_spans_are_exact(body: str) -> None:
    for q in find_quotes(body):
        assert body[q.start : q.end] == q.text


def test_a_mangled_dash_is_no_quote_mark() -> None:
    # dai2017 (HuffPost): `"?` is what an em dash became in the export.
    text = (
        'WASHINGTON "?Hundreds of protesters gathered on Monday, police said. '
        '"We are here to stay for as long as it takes," Smith said.'
    )
    assert [(q.text, q.speaker) for q in find_quotes(text)] == [
        ("We are here to stay for as long as it takes,", "Smith")
    ]


def test_a_quote_broken_by_an_encoding_fault_has_no_speaker() -> None:
    # dai2017 (RTE): the commissioner's name lost its accents to `\ufffd`.
    text = (
        "\"Garda Commissioner N\ufffd\ufffdir\ufffd\ufffdn O'Sullivan must stand "
        'aside now," Smith said.'
    )
    (quote,) = find_quotes(text)
    assert quote.speaker is None
