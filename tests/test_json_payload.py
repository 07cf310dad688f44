"""The bounded JSON loader reads exactly what `json` reads, with its fast parser first.

`parse_json` tries pydantic-core's parser and hands what it refuses to `json`; these tests
hold the two to the same answer for every document, valid or not.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem.collectors.payload import parse_json
from postmortem.errors import CollectError

SAME = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(codec=None, exclude_categories=["Cs"]) | st.sampled_from('"\\\n'))
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=25,
)


def _outcome(read: Any, data: bytes | str) -> tuple[str, Any]:
    try:
        return "ok", read(data)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        return "refused", None


def _same(data: bytes | str) -> None:
    ours = _outcome(lambda d: parse_json(d, "test", "JSON"), data)
    theirs = _outcome(json.loads, data)
    assert ours[0] == theirs[0], data
    # NaN is not equal to itself: compare what each would write back
    assert json.dumps(ours[1]) == json.dumps(theirs[1]), data


@SAME
@given(VALUES, st.sampled_from(["", " ", "\n", "\t "]))
def test_valid_documents_read_the_same(value: Any, space: str) -> None:
    text = space + json.dumps(value, ensure_ascii=False) + space
    _same(text)
    _same(text.encode())


@SAME
@given(VALUES, st.integers(min_value=0, max_value=60), st.binary(max_size=3))
def test_damaged_documents_are_refused_or_read_the_same(value: Any, at: int, noise: bytes) -> None:
    data = json.dumps(value).encode()
    at = min(at, len(data))
    _same(data[:at] + noise + data[at:])  # inserted bytes
    _same(data[:at] + data[at + len(noise) :])  # removed bytes


@pytest.mark.parametrize(
    "data",
    [
        b'"\\ud800"',  # a lone surrogate: json reads it, the fast parser does not
        b"\xef\xbb\xbf{}",  # a byte-order mark
        '{"x": "\u00e9"}'.encode("utf-16"),  # UTF-16, which json detects
        b'{"a": 1, "a": 2}',  # the last duplicate wins in both
        b"123456789012345678901234567890",
        b"[NaN, Infinity, -Infinity, 1e400]",
        b"[1,]",
        b"{} x",
        b'"\xff"',
    ],
)
def test_what_the_fast_parser_refuses_json_decides(data: bytes) -> None:
    _same(data)


def test_nesting_past_the_limit_is_one_error_either_way() -> None:
    with pytest.raises(CollectError, match="nests deeper than 64 levels"):
        parse_json(b"[" * 100 + b"]" * 100, "x.json", "JSON")
    with pytest.raises(CollectError, match="nests deeper than 64 levels"):
        parse_json(b"[" * 100_000 + b"]" * 100_000, "x.json", "JSON")
