"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """Real bytes with a few bytes changed, cut out, inserted or the tail lost."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        match draw(st.sampled_from(["set", "delete", "insert", "truncate"])):
            case "set" if out:
                out[at] = draw(st.integers(0, 255))
            case "delete":
                del out[at : at + draw(st.integers(1, 64))]
            case "insert":
                out[at:at] = draw(st.binary(min_size=1, max_size=16))
            case "truncate":
                del out[at:]
    return bytes(out)
