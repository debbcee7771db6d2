"""The decision among author candidates: real candidates of real pages."""

from __future__ import annotations

from typing import cast

import pytest

from newsindex.ingest.author_choice import AuthorCandidate, AuthorSource, choose_authors


def _c(source: str, *names: str) -> AuthorCandidate:
    return AuthorCandidate(source=cast(AuthorSource, source), names=names)


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        pytest.param(
            # politico.com-retirement: a colleague's author link loses to JSON-LD
            # confirmed by trafilatura.
            [
                _c("json-ld", "Ally Mutnick"),
                _c("markup", "Jake Sherman"),
                _c("library", "Ally Mutnick"),
            ],
            ("Ally Mutnick",),
            id="json-ld-confirmed-by-library",
        ),
        pytest.param(
            # piratenpartei.at-grundeinkommen: <meta> names another person.
            [
                _c("json-ld", "Harald Bauer"),
                _c("markup", "Harald Bauer"),
                _c("meta", "Peter Amende"),
                _c("library", "Peter Amende", "Harald Bauer"),
            ],
            ("Harald Bauer",),
            id="library-list-is-no-fuller-list",
        ),
        pytest.param(
            # ebike-mtb.com-OFFROAD: the byline names a co-author the others
            # leave out.
            [
                _c("json-ld", "Rudolf Fischer"),
                _c("byline", "Rudolf Fischer", "Simon Kohler"),
                _c("meta", "Rudolf Fischer"),
            ],
            ("Rudolf Fischer", "Simon Kohler"),
            id="fuller-list",
        ),
        pytest.param(
            # Names compare without case and punctuation; the winner's
            # spelling is kept.
            [_c("json-ld", "Leah C. Stokes"), _c("library", "Leah C Stokes")],
            ("Leah C. Stokes",),
            id="spelling-of-the-winner",
        ),
        pytest.param(
            # tdg.ch-chlorothalonil: trafilatura alone never decides.
            [_c("library", "Stefan Häne", "Sylvain Besson")],
            (),
            id="library-alone",
        ),
        pytest.param([], (), id="no-candidates"),
    ],
)
def test_choose_authors(
    candidates: list[AuthorCandidate], expected: tuple[str, ...]
) -> None:
    assert choose_authors(candidates) == expected
