"""Data classes for the start-up path, without the start-up cost of :mod:`dataclasses`.

A pre-commit run of efslint is mostly start-up.  Importing ``dataclasses`` (it imports ``inspect``,
``ast`` and ``dis``) and generating every class's methods from source took about a fifth of it:
the model alone has 22 classes.  A :class:`Record` is declared like a dataclass (annotated fields,
class-level defaults, :func:`field` for factories and options) but all records share one
``__init__``, ``__repr__`` and ``__eq__``, so defining one costs a dictionary or two.

What it supports is what this package uses: defaults and ``default_factory``; ``kw_only``,
``repr`` and ``compare`` fields; ``eq`` and ``frozen`` classes (inherited by subclasses, unlike
dataclasses, so an entity hierarchy says ``eq=False`` once).  Modules that a plain lint of a task
definition or template imports use records; the others (Terraform, the live scanner) may use
dataclasses.  ``tests/test_record.py`` holds records to the dataclass behaviour they mirror.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[type], type]:
        """Tells type checkers that records are data classes; nothing to do at run time."""
        return lambda cls: cls


_MISSING: Any = object()


class Field:
    """How one field is initialised and shown: what :func:`field` returns."""

    __slots__ = ("compare", "default", "default_factory", "kw_only", "repr")

    def __init__(
        self,
        default: Any = _MISSING,
        default_factory: Callable[[], Any] = _MISSING,
        repr: bool = True,
        compare: bool = True,
        kw_only: bool = False,
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare
        self.kw_only = kw_only


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] = _MISSING,
    repr: bool = True,
    compare: bool = True,
    kw_only: bool = False,
) -> Any:
    """A field with a factory or options, as :func:`dataclasses.field`."""
    return Field(default, default_factory, repr, compare, kw_only)


class FrozenRecordError(AttributeError):
    """Assignment to a field of a frozen record."""


@dataclass_transform(field_specifiers=(field,))
class Record:
    """Base of data classes: fields are the annotations of the class and its bases, in order."""

    __slots__ = ()

    _specs: ClassVar[dict[str, Field]] = {}
    _fields: ClassVar[tuple[str, ...]] = ()
    _names: ClassVar[frozenset[str]] = frozenset()
    _positional: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _factories: ClassVar[tuple[tuple[str, Callable[[], Any]], ...]] = ()
    _shown: ClassVar[tuple[str, ...]] = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _eq: ClassVar[bool] = True
    _frozen: ClassVar[bool] = False
    _made: ClassVar[int] = 0

    def __init_subclass__(cls, eq: bool | None = None, frozen: bool | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._eq = cls._eq if eq is None else eq
        cls._frozen = cls._frozen if frozen is None else frozen
        specs = dict(cls._specs)
        # Not inspect.get_annotations: importing inspect is what records avoid.
        own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
        for name, annotation in own.items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, _MISSING)
            spec = value if isinstance(value, Field) else Field(default=value)
            if isinstance(spec.default, (list, dict, set)):
                raise TypeError(f"{cls.__name__}.{name}: mutable default; use field(default_factory=...)")
            if isinstance(value, Field):
                delattr(cls, name)
            specs[name] = spec  # a redeclared field keeps its place, as in dataclasses
        cls._specs = specs
        cls._fields = tuple(specs)
        cls._names = frozenset(specs)
        cls._positional = tuple(name for name, spec in specs.items() if not spec.kw_only)
        cls._defaults = {name: spec.default for name, spec in specs.items() if spec.default is not _MISSING}
        cls._factories = tuple(
            (name, spec.default_factory)
            for name, spec in specs.items()
            if spec.default_factory is not _MISSING
        )
        cls._shown = tuple(name for name, spec in specs.items() if spec.repr)
        cls._compared = tuple(name for name, spec in specs.items() if spec.compare)
        _check_order(cls)
        if cls._eq and "__eq__" not in cls.__dict__:
            cls.__eq__ = _eq  # type: ignore[method-assign,assignment]
            # As dataclasses: equal by value means unhashable unless frozen.
            cls.__hash__ = _hash if cls._frozen else None  # type: ignore[method-assign,assignment]
        if cls._frozen:
            cls.__setattr__ = _refuse  # type: ignore[method-assign,assignment]
            cls.__delattr__ = _refuse  # type: ignore[method-assign,assignment]
        # Every record class starts with the shared __init__, never a base's specialised one.
        cls._made = 0
        if "__init__" not in cls.__dict__:
            cls.__init__ = Record.__init__  # type: ignore[method-assign]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The shared __init__, on C-level dict operations: defaults, then arguments, straight into
        # the instance dictionary (which also bypasses a frozen record's __setattr__); the count
        # tells whether a field is missing.  A class made often gets its own (_specialised_init).
        cls = type(self)
        cls._made += 1
        if cls._made >= SPECIALISE_AFTER:
            cls.__init__ = _specialised_init(cls)  # type: ignore[method-assign]
        values = self.__dict__
        values.update(cls._defaults)
        if args:
            positional = cls._positional
            if len(args) > len(positional):
                raise TypeError(
                    f"{cls.__name__}() takes {len(positional)} positional arguments, got {len(args)}"
                )
            if kwargs and not kwargs.keys().isdisjoint(positional[: len(args)]):
                twice = min(kwargs.keys() & set(positional[: len(args)]))
                raise TypeError(f"{cls.__name__}() got multiple values for argument {twice!r}")
            values.update(zip(positional, args, strict=False))  # fewer args than fields
        if kwargs:
            if not cls._names.issuperset(kwargs):
                unexpected = min(kwargs.keys() - cls._names)
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {unexpected!r}")
            values.update(kwargs)
        for name, make in cls._factories:
            if name not in values:
                values[name] = make()
        if len(values) != len(cls._fields):
            missing = ", ".join(repr(name) for name in cls._fields if name not in values)
            raise TypeError(f"{cls.__name__}() missing required argument(s): {missing}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{type(self).__name__}({shown})"


# A class instantiated this often gets an __init__ generated for its fields, as dataclasses write
# theirs (three times faster per instance); below it, compiling one costs more than it saves, and a
# one-file run instantiates most classes a few times only.
SPECIALISE_AFTER = 256


def _specialised_init(cls: type[Record]) -> Callable[..., None]:
    """``def __init__(self, a, b=<default>, *, c=<factory marker>)`` writing the instance dict."""
    if any(name.startswith("_") for name in cls._fields):
        return Record.__init__  # such names could clash with the generated function's own
    factories = dict(cls._factories)
    namespace: dict[str, Any] = {"_MISSING": _MISSING}

    def parameter(name: str) -> str:
        if name in cls._defaults:
            namespace[f"_default_{name}"] = cls._defaults[name]
            return f"{name}=_default_{name}"
        return f"{name}=_MISSING" if name in factories else name

    keyword_only = [name for name in cls._fields if name not in cls._positional]
    parameters = ["_self", *map(parameter, cls._positional)]
    if keyword_only:
        parameters += ["*", *map(parameter, keyword_only)]
    body = ["_values = _self.__dict__"]
    for name in cls._fields:
        if name in factories:
            namespace[f"_factory_{name}"] = factories[name]
            body.append(f"_values[{name!r}] = _factory_{name}() if {name} is _MISSING else {name}")
        else:
            body.append(f"_values[{name!r}] = {name}")
    source = f"def __init__({', '.join(parameters)}):\n    " + "\n    ".join(body)
    # Only field names (identifiers from the class body) reach the source, as in dataclasses.
    exec(source, namespace)
    return namespace["__init__"]


def fields_of(record: Record | type[Record]) -> tuple[str, ...]:
    """The field names of a record (instance or class), bases first."""
    return record._fields


def _check_order(cls: type[Record]) -> None:
    seen_default = False
    for name in cls._positional:
        spec = cls._specs[name]
        has_default = spec.default is not _MISSING or spec.default_factory is not _MISSING
        if seen_default and not has_default:
            raise TypeError(f"{cls.__name__}.{name}: a field without a default follows one with a default")
        seen_default = seen_default or has_default


def _values(record: Record) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in record._compared)


def _eq(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)  # type: ignore[arg-type]


def _hash(self: Record) -> int:
    return hash(_values(self))


def _refuse(self: Record, name: str, *value: Any) -> None:
    raise FrozenRecordError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")
