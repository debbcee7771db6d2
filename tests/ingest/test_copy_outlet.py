"""The outlet of a copy, from metadata down to what the text says at its end."""

from __future__ import annotations

import pytest

from newsindex.ingest.copy_outlet import outlet_of_copy
from newsindex.ingest.outlet import OutletRegistry
from newsindex.records import Dateline, Outlet

REGISTRY = OutletRegistry.default()
TASS_DATELINE = Dateline(place="BAKU", agency="TASS", start=0, end=26)


def outlet(body: str, **given: object) -> Outlet | None:
    options: dict[str, object] = {
        "page_publisher": None,
        "dateline": None,
        "byline": None,
        "url": None,
    }
    options.update(given)
    meta = options.pop("meta", {})
    return outlet_of_copy(meta, body=body, registry=REGISTRY, **options)  # type: ignore[arg-type]


# Endings from newsarticles-dai2017 (the URL withheld).
TAILS = [
    pytest.param(
        "researcher specialising in Palestinian-Israeli conflict. Source:-Al Jazeera",
        Outlet(name="Al Jazeera", evidence="trailer"),
        id="aljazeera-source-line",
    ),
    pytest.param(
        "fighting continued on Sunday. Source: Al Jazeera and news agencies",
        Outlet(name="Al Jazeera", evidence="trailer"),
        id="aljazeera-and-agencies",
    ),
    pytest.param(
        "fighting continued on Sunday. Source: Reuters news agency",
        None,
        id="agency-material-is-a-cite",
    ),
    pytest.param(
        "judge in the case. ABC News' James Hill, Arlette Saenz, Kate Shaw, and "
        "Jack Date contributed to this report.",
        Outlet(name="ABC News", evidence="trailer"),
        id="abc-staff-credit",
    ),
    pytest.param(
        'before he does anything stupid again." The Associated Press contributed '
        "to this report.",
        None,
        id="agency-credit-is-a-cite",
    ),
    pytest.param(
        "The company said it expected a profit.\n Reuter",
        Outlet(name="Reuters", evidence="trailer"),
        id="reuters-wire-trailer",
    ),
]


@pytest.mark.parametrize(("body", "expected"), TAILS)
def test_outlet_from_the_end_of_the_text(body: str, expected: Outlet | None) -> None:
    assert outlet(body) == expected


def test_trust_order_meta_domain_dateline() -> None:
    body = "BAKU, February 7. /TASS/. Russian citizen Alexander Lapshin was extradited."
    assert outlet(body, dateline=TASS_DATELINE) == Outlet(
        name="TASS", evidence="dateline"
    )
    assert outlet(
        body, dateline=TASS_DATELINE, url="http://www.huffingtonpost.com/x"
    ) == Outlet(name="HuffPost", evidence="domain")
    assert outlet(
        body,
        dateline=TASS_DATELINE,
        url="http://tass.com/world/929606",
        meta={"outlet": "Reuters", "outlet_evidence": "collection"},
    ) == Outlet(name="Reuters", evidence="collection")


def test_byline_suffix_is_the_last_resort() -> None:
    assert outlet("Text.", byline="John Smith | CNN") == Outlet(
        name="CNN", evidence="byline"
    )


def test_a_leading_agency_tag_without_a_place() -> None:
    # newsarticles-dai2017 (cnn.com): the dateline has no place.
    body = "(CNN)A federal judge in Hawaii blocked President Donald Trump's new ban."
    assert outlet(body) == Outlet(name="CNN", evidence="dateline")
