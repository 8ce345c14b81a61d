"""Records behave like the dataclasses they replace on the start-up path (efslint/record.py)."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import pytest

from efslint.record import SPECIALISE_AFTER, FrozenRecordError, Record, field, fields_of


def record_classes() -> tuple[type[Record], type[Record]]:
    """Fresh classes, so each test sees its own instantiation count."""

    class Base(Record):
        name: str
        size: int = 1
        tags: list[str] = field(default_factory=list)
        hidden: dict[str, str] = field(default_factory=dict, repr=False, compare=False, kw_only=True)

    class Child(Base):
        kind: ClassVar[str] = "child"
        size: int = 2  # redeclared: keeps its place, new default
        extra: str | None = None

    return Base, Child


Base, Child = record_classes()


@dataclasses.dataclass
class DBase:
    name: str
    size: int = 1
    tags: list[str] = dataclasses.field(default_factory=list)
    hidden: dict[str, str] = dataclasses.field(default_factory=dict, repr=False, compare=False, kw_only=True)


@dataclasses.dataclass
class DChild(DBase):
    kind: ClassVar[str] = "child"
    size: int = 2
    extra: str | None = None


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a",), {}),
    (("a", 5), {}),
    (("a", 5, ["x"]), {}),
    (("a", 5, ["x"], "e"), {}),
    (("a",), {"extra": "e", "hidden": {"k": "v"}}),
    ((), {"name": "a", "size": 3}),
    ((), {}),  # missing name
    (("a", 5, ["x"], "e", "too many"), {}),
    (("a",), {"name": "twice"}),
    (("a",), {"nope": 1}),
    (("a", 5, ["x"], {"k": "v"}), {}),  # hidden is keyword-only: this is `extra`
]


def outcome(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    try:
        obj = cls(*args, **kwargs)
    except TypeError:
        return TypeError
    names = fields_of(obj) if isinstance(obj, Record) else [f.name for f in dataclasses.fields(obj)]
    return {name: getattr(obj, name) for name in names}


@pytest.mark.parametrize("specialised", [False, True], ids=["shared __init__", "generated __init__"])
@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_matches_dataclasses(
    args: tuple[Any, ...], kwargs: dict[str, Any], specialised: bool
) -> None:
    base, child = record_classes()
    if specialised:
        for _ in range(SPECIALISE_AFTER):
            base("warm-up"), child("warm-up")
        assert base.__init__ is not Record.__init__ and child.__init__ is not Record.__init__
        assert child.__init__ is not base.__init__
    else:
        assert child.__init__ is Record.__init__
    assert outcome(child, args, kwargs) == outcome(DChild, args, kwargs)
    assert outcome(base, args[:3], kwargs) == outcome(DBase, args[:3], kwargs)


def test_a_subclass_never_inherits_a_specialised_init() -> None:
    base, _ = record_classes()
    for _ in range(SPECIALISE_AFTER):
        base("warm-up")

    class Later(base):  # type: ignore[misc,valid-type]
        more: int = 0

    assert Later("a", more=3).more == 3 and Later.__init__ is Record.__init__


def test_field_order_kind_and_factories() -> None:
    assert fields_of(Child) == ("name", "size", "tags", "hidden", "extra")
    assert [f.name for f in dataclasses.fields(DChild)] == ["name", "size", "tags", "hidden", "extra"]
    first, second = Child("a"), Child("b")
    first.tags.append("x")
    assert second.tags == []  # a fresh list per instance
    assert Child.kind == "child" and "kind" not in fields_of(Child)


def test_equality_repr_and_hash_match_dataclasses() -> None:
    assert Child("a", hidden={"x": "1"}) == Child("a", hidden={"y": "2"})  # compare=False
    assert Child("a") != Child("b")
    assert Child("a") != Base("a")
    assert repr(Child("a", 3, ["t"])) == repr(DChild("a", 3, ["t"])).replace("DChild", "Child")
    with pytest.raises(TypeError):
        hash(Child("a"))  # equal by value and mutable: unhashable, as a dataclass


def test_frozen_records_are_hashable_and_refuse_assignment() -> None:
    class Point(Record, frozen=True):
        x: int
        y: int = 0

    assert Point(1) == Point(1, 0) and hash(Point(1)) == hash(Point(1, 0))
    assert len({Point(1), Point(1, 0), Point(2)}) == 2
    with pytest.raises(FrozenRecordError):
        Point(1).x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del Point(1).y


def test_eq_false_is_identity_and_inherited() -> None:
    class Node(Record, eq=False):
        name: str

    class Leaf(Node):
        size: int = 0

    a, b = Leaf("n"), Leaf("n")
    assert a != b and a == a
    assert len({a, b}) == 2  # hashable by identity


def test_declaration_mistakes_fail_like_dataclasses() -> None:
    with pytest.raises(TypeError, match="mutable default"):

        class Bad(Record):
            items: list[str] = []  # the mistake under test

    with pytest.raises(TypeError, match="follows one with a default"):

        class Order(Record):
            a: int = 0
            b: int


def test_records_and_locations_survive_pickling() -> None:
    # Worker processes (efslint/parallel.py) send findings back to the parent pickled.
    import pickle

    from efslint.findings import Finding, Related, Severity
    from efslint.model import FileSystem, Location

    loc = Location("t.yaml", 3, 5, "Fs", "a note")
    finding = Finding("EFS501", "name", Severity.WARNING, "msg", loc, related=[Related(loc, "here")])
    again = pickle.loads(pickle.dumps(finding))
    assert again == finding and again.location == loc and hash(again.location) == hash(loc)
    fs = pickle.loads(pickle.dumps(FileSystem(loc, id="fs-1")))
    assert (fs.id, fs.loc, fs.mount_targets) == ("fs-1", loc, [])
