"""The C-backed JSON reader gives exactly what the step-by-step reader gives: values, positions of
every key, value and item, duplicate keys, and the same error for invalid input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efslint.sources import json_reader
from efslint.sources.errors import InputError
from efslint.sources.located import LList, LMap


def assert_same(fast: Any, careful: Any, where: str = "$") -> None:
    assert type(fast) is type(careful), where
    if isinstance(careful, LMap):
        assert fast.pos == careful.pos, where
        assert list(fast.items()) == list(careful.items()) or list(fast) == list(careful), where
        assert fast.key_pos == careful.key_pos, where
        assert fast.value_pos == careful.value_pos, where
        assert fast.duplicates == careful.duplicates, where
        for key in careful:
            assert_same(fast[key], careful[key], f"{where}.{key}")
    elif isinstance(careful, LList):
        assert fast.pos == careful.pos and fast.item_pos == careful.item_pos, where
        assert len(fast) == len(careful), where
        for i, (a, b) in enumerate(zip(fast, careful, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        assert fast == careful, where


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, 0, 1, 2, 4]), st.booleans())
def test_fast_reader_matches_careful_reader(doc: Any, indent: int | None, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + json.dumps(doc, indent=indent, ensure_ascii=indent == 2)
    assert_same(json_reader._fast_loads(text), json_reader._careful_loads(text))


def test_duplicate_keys_and_positions() -> None:
    text = '{\n  "a": 1,\n  "b": [true, {"c": null}],\n  "a": "again"\n}\n'
    doc = json_reader.loads(text)
    assert doc["a"] == "again"
    assert doc.duplicates == [("a", (4, 3))]
    assert doc.key_pos["b"] == (3, 3) and doc.value_pos["b"] == (3, 8)
    assert doc["b"].item_pos == [(3, 9), (3, 15)]
    assert_same(doc, json_reader._careful_loads(text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1,}', "invalid JSON: expected a quoted property name at line 1 column 9"),
        ('{"a": NaN}', "invalid JSON: unexpected character 'N' at line 1 column 7"),
        ("[1, 2]\n]", "invalid JSON: extra data after the document at line 2 column 1"),
        ("[" * 300 + "]" * 300, "invalid JSON: nesting deeper than 200 levels at line 1 column 201"),
    ],
)
def test_invalid_input_gives_the_careful_readers_message(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        json_reader.loads(text)
    assert str(info.value.message) == message
