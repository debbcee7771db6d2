"""Passages: a few sentences, inside one line, spans that are exact slices."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsindex.index.passages import cut_passages, split_sentences

# From raw/001: the dateline paragraph and the quote that follows it.
TASS_PARAGRAPH = (
    "BRUSSELS, October 18. /TASS/. NATO has taken into account Russian Foreign "
    "Minister Sergey Lavrov’s remarks on the mutual suspension of diplomatic "
    "missions in Brussels and Moscow, but it has not received any official "
    "notifications from Russia yet."
)


def test_split_sentences_keeps_abbreviations_and_initials() -> None:
    text = "Mr. Smith met John F. Kennedy in the U.S. on Oct. 3. Then he left. Done"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Mr. Smith met John F. Kennedy in the U.S. on Oct. 3.",
        "Then he left.",
        "Done",
    ]


def test_dateline_stays_with_its_story() -> None:
    spans = cut_passages(TASS_PARAGRAPH)
    assert spans == [(0, len(TASS_PARAGRAPH))]


def test_windows_of_three_sentences_follow_each_other() -> None:
    body = " ".join(f"Sentence {i} is here." for i in range(7))
    texts = [body[a:b] for a, b in cut_passages(body)]
    assert texts == [
        "Sentence 0 is here. Sentence 1 is here. Sentence 2 is here.",
        "Sentence 3 is here. Sentence 4 is here. Sentence 5 is here.",
        "Sentence 6 is here.",
    ]


def test_passages_never_cross_a_line_break() -> None:
    body = "First paragraph ends here.\n\nSecond one. It has two sentences."
    assert [body[a:b] for a, b in cut_passages(body)] == [
        "First paragraph ends here.",
        "Second one. It has two sentences.",
    ]


def test_hard_wrapped_lines_are_one_paragraph() -> None:
    # Reuters-21578 NEWID 2: wire copy wrapped at about 65 characters.
    body = (
        "Standard Oil Co and BP North America\n"
        "Inc said they plan to form a venture to manage the money market\n"
        "borrowing and investment activities of both companies.\n"
        "BP North America is a subsidiary of British Petroleum Co Plc."
    )
    assert [body[a:b] for a, b in cut_passages(body)] == [
        body[: body.index("BP North America is")].rstrip(),  # 3 lines, 1 sentence
        "BP North America is a subsidiary of British Petroleum Co Plc.",
    ]
    # Where the body stops copying the file verbatim, a line must break.
    assert len(cut_passages(body, breaks={body.index("Inc said")})) == 3


def test_a_long_sentence_is_cut_at_spaces() -> None:
    body = " ".join(["word"] * 600)
    spans = cut_passages(body)
    assert all(b - a <= 1000 for a, b in spans)
    assert " ".join(body[a:b] for a, b in spans) == body


bodies = st.lists(
    st.text(
        alphabet=st.sampled_from(list('abc XYZ.!?\n"“”’-,0123456789\t')),
        max_size=300,
    ),
    max_size=5,
).map("\n\n".join)


@given(bodies)
def test_passage_spans_are_exact_trimmed_slices(body: str) -> None:
    for start, end in cut_passages(body):
        text = body[start:end]
        assert 0 <= start < end <= len(body)
        assert text == text.strip()
        assert "\n\n" not in text  # never across a blank line


@given(bodies)
def test_every_word_is_in_some_passage(body: str) -> None:
    covered = set()
    for start, end in cut_passages(body):
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(body) if not ch.isspace())
