"""Evaluate Terraform expressions as far as the configuration alone allows.

Values are plain Python data (objects become :class:`LMap`, tuples :class:`LList`, so positions
survive into ``jsonencode``-built container definitions), plus three symbolic kinds:

* :class:`Unknown` — anything we cannot know (a variable without default, an unsupported function);
* :class:`Ref` — an attribute the provider computes at apply time (``aws_efs_file_system.x.id``):
  its value is unknown, but *which resource it belongs to* is known, and that is how the mapping
  layer links a mount target to its file system;
* handles for resources, data sources and the AZ list of ``data.aws_availability_zones``.

Evaluation is bounded: recursion through locals and resources is cut at a fixed depth and cycles
give Unknown, so no input can make it loop.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...model import PartlyKnown, Unknown, symbolic_az
from ..files import safe_resolve
from ..located import LList, LMap
from .hcl import (
    BinOp,
    Call,
    Cond,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    UnOp,
    Var,
)

if TYPE_CHECKING:
    from .module import Instance, Module

MAX_EVAL_DEPTH = 64
# The attribute of a Ref that stands for a string built from one resource's computed attributes.
TEMPLATE_ATTR = "<template>"
MAX_COLLECTION = 10_000


@dataclass(frozen=True, slots=True)
class Ref:
    """A provider-computed attribute of one resource instance (``id``, ``arn``, ...)."""

    target: Instance
    attr: str

    def __repr__(self) -> str:
        return f"Ref({self.target.address}.{self.attr})"


@dataclass(frozen=True, slots=True)
class ResourceSet:
    """``aws_x.name`` of a resource with ``count``/``for_each``: indexable, splattable."""

    resource: Any  # module.Resource


@dataclass(frozen=True, slots=True)
class AzList:
    """``data.aws_availability_zones.<name>.names``: distinct symbolic AZs by index."""

    base: str
    offset: int = 0
    length: int | None = None

    def item(self, index: int) -> str:
        return symbolic_az(self.base, self.offset + index)


@dataclass
class Scope:
    module: Module
    instance: Instance | None = None
    count_index: Any = None
    each_key: Any = None
    each_value: Any = None
    locals_: dict[str, Any] = field(default_factory=dict)
    depth: int = 0

    def child(self, **names: Any) -> Scope:
        return Scope(
            self.module,
            self.instance,
            self.count_index,
            self.each_key,
            self.each_value,
            {**self.locals_, **names},
            self.depth,
        )


def materialise(value: Any) -> Any:
    """A resource with ``count`` used as a value is the list of its instances (``for_each``: a map)."""
    if not isinstance(value, ResourceSet):
        return value
    resource = value.resource
    if not resource.count_known:
        return Unknown(f"{resource.address} has an unknown number of instances")
    if "for_each" in resource.block.body.attributes:
        return {str(inst.key): inst for inst in resource.instances}
    return list(resource.instances)


def is_unknown(value: Any) -> bool:
    return isinstance(value, (Unknown, Ref, AzList, ResourceSet)) or _is_instance(value)


def _is_instance(value: Any) -> bool:
    return type(value).__name__ == "Instance"


def unknown_in(value: Any) -> bool:
    """True when ``value`` is, or contains, something not concrete."""
    if isinstance(value, dict):
        return any(unknown_in(v) for v in value.values())
    if isinstance(value, list):
        return any(unknown_in(v) for v in value)
    return is_unknown(value)


class Evaluator:
    def __init__(self) -> None:
        self.functions: dict[str, Callable[..., Any]] = _functions()

    # ------------------------------------------------------------------------------------------

    def eval(self, expr: Expr | None, scope: Scope) -> Any:
        if expr is None:
            return None
        if scope.depth > MAX_EVAL_DEPTH:
            return Unknown("expression too deeply nested to evaluate")
        scope.depth += 1
        try:
            return self._eval(expr, scope)
        except RecursionError:
            return Unknown("expression too deeply nested to evaluate")
        finally:
            scope.depth -= 1

    def _eval(self, expr: Expr, scope: Scope) -> Any:
        # The commonest kinds first: this runs for every node of every argument a rule reads.
        if isinstance(expr, Template):
            return self.template(expr, scope)
        if isinstance(expr, GetAttr):
            return self.get_attr(self.eval(expr.obj, scope), expr.name, scope)
        if isinstance(expr, Lit):
            return expr.value
        if isinstance(expr, Var):
            return self.variable(expr.name, scope)
        if isinstance(expr, TupleExpr):
            out = LList((expr.line, expr.col))
            for item in expr.items:
                out.add(self.eval(item, scope), (item.line, item.col))
            return out
        if isinstance(expr, ObjectExpr):
            obj = LMap((expr.line, expr.col))
            for key_expr, value_expr in expr.items:
                key = self.eval(key_expr, scope)
                if not isinstance(key, (str, int, float, bool)):
                    return Unknown("object key cannot be evaluated")
                key = _to_string(key)
                obj.put(
                    key,
                    self.eval(value_expr, scope),
                    (key_expr.line, key_expr.col),
                    (value_expr.line, value_expr.col),
                )
            return obj
        if isinstance(expr, Index):
            return self.index(self.eval(expr.obj, scope), self.eval(expr.key, scope))
        if isinstance(expr, Splat):
            return self.splat(self.eval(expr.obj, scope), expr.steps, scope)
        if isinstance(expr, Call):
            return self.call(expr, scope)
        if isinstance(expr, Cond):
            test = self.eval(expr.test, scope)
            if isinstance(test, bool):
                return self.eval(expr.then if test else expr.other, scope)
            then, other = self.eval(expr.then, scope), self.eval(expr.other, scope)
            if not unknown_in(then) and then == other:
                return then
            return Unknown("conditional on a value that cannot be known")
        if isinstance(expr, BinOp):
            return _binary(expr.op, self.eval(expr.left, scope), self.eval(expr.right, scope))
        if isinstance(expr, UnOp):
            value = self.eval(expr.operand, scope)
            if expr.op == "!" and isinstance(value, bool):
                return not value
            if expr.op == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
                return -value
            return Unknown("operand cannot be known")
        if isinstance(expr, ForExpr):
            return self.for_expr(expr, scope)
        return Unknown("unsupported expression")

    # ------------------------------------------------------------------------------------------

    def template(self, expr: Template, scope: Scope) -> Any:
        if expr.directives:
            return Unknown("template directives are not evaluated")
        if len(expr.parts) == 1:
            only = expr.parts[0]
            # A plain string on one line, the commonest argument there is: its text.
            if type(only) is str and "\n" not in only:
                return only
            # "${x}" alone is x itself, keeping its type (a list, a reference, a number).
            if isinstance(only, Expr):
                return self.eval(only, scope)
        out = []
        refs: set[int] = set()
        target = None
        own: list[str] = []
        for part in expr.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = self.eval(part, scope)
            if isinstance(value, (str, int, float, bool)):
                out.append(_to_string(value))
            elif isinstance(value, Ref) and _own_value(value) is not None:
                # The deployment's account, partition or Region: a placeholder, so that an ARN built
                # from it still names its role or resource (policy matching reads the placeholders).
                out.append(_own_value(value) or "")
                own.append(value.target.address)
            elif isinstance(value, Ref):
                refs.add(id(value.target))
                target = value.target
            else:
                return Unknown("string built from a value that cannot be known")
        if own and not refs and "".join(out).startswith("arn:"):
            return PartlyKnown("".join(out), f"ARN built from {', '.join(own)}, known only at deployment")
        if own:
            return Unknown(f"string built from {', '.join(own)}, known only at deployment")
        if refs:
            # "${aws_ecs_task_definition.x.family}:${aws_ecs_task_definition.x.revision}": unknown
            # text, but about one resource; only callers that ask for it follow such a reference.
            return (
                Ref(target, TEMPLATE_ATTR) if len(refs) == 1 else Unknown("string built from computed values")
            )
        text = "".join(out)
        if "\n" in text:
            first = expr.parts[0]
            # Only a template that starts with its own text keeps a useful position for JSON inside it.
            if isinstance(first, str) and not isinstance(first, SourceText):
                return SourceText(text, None, expr.line)
        return text

    def variable(self, name: str, scope: Scope) -> Any:
        if name in scope.locals_:
            return scope.locals_[name]
        return Namespace(name, scope)

    def get_attr(self, value: Any, name: str, scope: Scope) -> Any:
        if isinstance(value, Namespace):
            return value.get(name, self)
        if isinstance(value, DataNamespace):
            return _data_get(value, name)
        if hasattr(value, "lookup"):
            return value.lookup(name)
        if _is_instance(value):
            return value.attribute(name, self)
        if isinstance(value, ResourceSet):
            return Unknown(f"{value.resource.address} has several instances; index it")
        if isinstance(value, dict):
            if name in value:
                return value[name]
            return Unknown(f"no attribute {name!r}")
        if isinstance(value, DataSource):
            return value.attribute(name)
        return Unknown("attribute of a value that cannot be known")

    def index(self, value: Any, key: Any) -> Any:
        if isinstance(key, (Unknown, Ref)) or unknown_in(key):
            if isinstance(value, list) and value and all(v == value[0] and not unknown_in(v) for v in value):
                return value[0]
            return Unknown("index cannot be known")
        if isinstance(value, ResourceSet):
            return value.resource.instance_at(key)
        if isinstance(value, AzList):
            if isinstance(key, int) and not isinstance(key, bool) and key >= 0:
                return value.item(key)
            return Unknown("availability zone index is not a number")
        if isinstance(value, list):
            if isinstance(key, str) and key.lstrip("-").isdigit():
                key = int(key)
            if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(value):
                return value[key]
            return Unknown(f"index {key!r} is out of range")
        if isinstance(value, dict):
            key = _to_string(key) if isinstance(key, (int, float, bool)) else key
            if key in value:
                return value[key]
            return Unknown(f"no key {key!r}")
        return Unknown("index into a value that cannot be known")

    def splat(self, value: Any, steps: list[tuple[str, Any]], scope: Scope) -> Any:
        if isinstance(value, ResourceSet):
            if not value.resource.count_known:
                return Unknown(f"{value.resource.address} has an unknown number of instances")
            items: Any = list(value.resource.instances)
        elif _is_instance(value):
            items = [value]
        elif isinstance(value, list):
            items = list(value)
        elif value is None:
            items = []
        elif isinstance(value, (Unknown, Ref, AzList)):
            return Unknown("splat over a value that cannot be known")
        else:
            items = [value]
        out = LList()
        for item in items:
            for kind, step in steps:
                if kind == "attr":
                    item = self.get_attr(item, step, scope)
                else:
                    item = self.index(item, self.eval(step, scope))
            out.add(item, (0, 0))
        return out

    def for_expr(self, expr: ForExpr, scope: Scope) -> Any:
        collection = materialise(self.eval(expr.collection, scope))
        if isinstance(collection, dict):
            pairs = list(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            return Unknown("for expression over a value that cannot be known")
        if len(pairs) > MAX_COLLECTION:
            return Unknown("collection too large")
        result_list = LList((expr.line, expr.col))
        result_map = LMap((expr.line, expr.col))
        for k, v in pairs:
            names = {expr.value_var: v}
            if expr.key_var:
                names[expr.key_var] = k
            inner = scope.child(**names)
            if expr.cond is not None:
                test = self.eval(expr.cond, inner)
                if not isinstance(test, bool):
                    return Unknown("for expression filter cannot be known")
                if not test:
                    continue
            value = self.eval(expr.value, inner)
            if expr.key is None:
                result_list.add(value, (expr.value.line, expr.value.col))
                continue
            key = self.eval(expr.key, inner)
            if not isinstance(key, (str, int, float, bool)):
                return Unknown("for expression key cannot be known")
            key = _to_string(key)
            if expr.group:
                result_map.setdefault(key, LList()).add(value, (expr.value.line, expr.value.col))
            else:
                result_map.put(key, value, (expr.key.line, expr.key.col), (expr.value.line, expr.value.col))
        return result_list if expr.key is None else result_map

    def call(self, expr: Call, scope: Scope) -> Any:
        name = expr.name.split("::")[-1]
        func = self.functions.get(name)
        if func is None:
            return Unknown(f"function {name}() is not evaluated")
        args = [materialise(self.eval(a, scope)) for a in expr.args]
        if expr.expand:
            if not args or not isinstance(args[-1], list):
                return Unknown("expanded argument cannot be known")
            args = args[:-1] + list(args[-1])
        try:
            return func(scope, *args)
        except (
            TypeError,
            ValueError,
            KeyError,
            IndexError,
            ZeroDivisionError,
            OverflowError,
            RecursionError,
        ):
            return Unknown(f"{name}() could not be evaluated")


# --------------------------------------------------------------------------------------------
# Names: var., local., count., each., data., module., path., and resource types


class Namespace:
    __slots__ = ("name", "scope")

    def __init__(self, name: str, scope: Scope) -> None:
        self.name = name
        self.scope = scope

    def get(self, attr: str, ev: Evaluator) -> Any:
        module, scope = self.scope.module, self.scope
        if self.name == "var":
            return module.variable(attr)
        if self.name == "local":
            return module.local(attr, ev)
        if self.name == "count":
            return (
                scope.count_index if attr == "index" and scope.count_index is not None else Unknown("count")
            )
        if self.name == "each":
            if attr == "key" and scope.each_key is not None:
                return scope.each_key
            if attr == "value" and scope.each_value is not None:
                return scope.each_value
            return Unknown("each")
        if self.name == "path":
            if attr in ("module", "root", "cwd"):
                return str(safe_resolve(module.directory if attr == "module" else module.root_directory))
            return Unknown("path")
        if self.name == "data":
            return DataNamespace(attr, module)
        if self.name == "module":
            return module.child_output_namespace(attr)
        if self.name in ("terraform", "self"):
            return Unknown(self.name)
        resource = module.resources.get(("managed", self.name, attr))
        if resource is None:
            return Unknown(f"{self.name}.{attr} is not defined in this module")
        return resource.value()


class DataNamespace:
    __slots__ = ("module", "type")

    def __init__(self, type_: str, module: Module) -> None:
        self.type = type_
        self.module = module


class DataSource:
    """A data source instance: ``aws_availability_zones`` names, ``aws_iam_policy_document`` json."""

    __slots__ = ("address", "instance")

    def __init__(self, address: str, instance: Instance | None) -> None:
        self.address = address
        self.instance = instance

    def attribute(self, name: str) -> Any:
        if self.address.split(".")[1] == "aws_availability_zones" and name == "names":
            return AzList(self.address)
        if self.instance is not None:
            return Ref(self.instance, name)
        return Unknown(f"{self.address}.{name}")


# Data sources that describe the deployment itself, and the placeholder each attribute stands for.
_OWN_VALUES = {
    ("aws_caller_identity", "account_id"): "${AWS::AccountId}",
    ("aws_partition", "partition"): "${AWS::Partition}",
    ("aws_region", "name"): "${AWS::Region}",
    ("aws_region", "region"): "${AWS::Region}",
}


def _own_value(ref: Ref) -> str | None:
    """``${AWS::AccountId}`` for ``data.aws_caller_identity.x.account_id`` and the like, else None."""
    parts = ref.target.address.split(".")
    if len(parts) < 3 or parts[-3] != "data":
        return None
    return _OWN_VALUES.get((parts[-2], ref.attr))


def _data_get(ns: DataNamespace, name: str) -> Any:
    resource = ns.module.resources.get(("data", ns.type, name))
    address = f"{ns.module.prefix}data.{ns.type}.{name}"
    if resource is None:
        return Unknown(f"data.{ns.type}.{name} is not defined")
    if resource.instances and len(resource.instances) == 1 and resource.single:
        return DataSource(address, resource.instances[0])
    return Unknown(f"{address} has several instances")


# --------------------------------------------------------------------------------------------
# Operators


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("==", "!="):
        if unknown_in(left) or unknown_in(right):
            return Unknown("comparison of values that cannot be known")
        return (left == right) if op == "==" else (left != right)
    if op in ("&&", "||"):
        if isinstance(left, bool) and isinstance(right, bool):
            return (left and right) if op == "&&" else (left or right)
        if op == "&&" and (left is False or right is False):
            return False
        if op == "||" and (left is True or right is True):
            return True
        return Unknown("logic on values that cannot be known")
    left, right = _number(left), _number(right)
    if left is None or right is None:
        return Unknown("arithmetic on values that cannot be known")
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "%": lambda a, b: a % b,
        "<": lambda a, b: a < b,
        ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b,
        ">=": lambda a, b: a >= b,
    }
    try:
        result = ops[op](left, right)
    except (ZeroDivisionError, KeyError):
        return Unknown("arithmetic error")
    if isinstance(result, float) and result.is_integer() and op != "/":
        return int(result)
    return result


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------------------------
# Functions: the ones that decide EFS-relevant values; anything else is Unknown


@lru_cache(maxsize=1)
def _functions() -> dict[str, Callable[..., Any]]:
    """Terraform's functions, made once: an evaluator holds no other state, and each module has
    one (tens of closures each)."""

    def known(*values: Any) -> None:
        for v in values:
            if unknown_in(v):
                raise ValueError("unknown argument")

    def jsonencode(scope: Scope, value: Any) -> Any:
        # The mapping layer reads container definitions and policies from the structure itself,
        # so keep it (with positions and references) instead of a string.
        return JsonValue(value)

    def jsondecode(scope: Scope, text: Any) -> Any:
        if isinstance(text, JsonValue):
            return text.value
        known(text)
        return json.loads(text)

    def file_(scope: Scope, path: Any) -> Any:
        known(path)
        return scope.module.read_file(str(path))

    def templatefile(scope: Scope, path: Any, variables: Any = None) -> Any:
        known(path)
        variables = variables if isinstance(variables, dict) else {}
        return scope.module.render_template(str(path), variables, scope.module.evaluator)

    def length(scope: Scope, value: Any) -> Any:
        if isinstance(value, (list, dict, str)) and not isinstance(value, JsonValue):
            return len(value)
        return Unknown("length of a value that cannot be known")

    def concat(scope: Scope, *lists: Any) -> Any:
        out = LList()
        for lst in lists:
            if not isinstance(lst, list):
                return Unknown("concat of a value that cannot be known")
            for i, item in enumerate(lst):
                out.add(item, lst.pos_of(i) if isinstance(lst, LList) else (0, 0))
        return out

    def element(scope: Scope, lst: Any, index: Any) -> Any:
        if isinstance(lst, AzList) and isinstance(index, int):
            return lst.item(index)
        if not isinstance(lst, list) or not isinstance(index, int) or not lst:
            return Unknown("element() of a value that cannot be known")
        return lst[index % len(lst)]

    def slice_(scope: Scope, lst: Any, start: Any, end: Any) -> Any:
        if isinstance(lst, AzList) and isinstance(start, int) and isinstance(end, int):
            return _az_slice(lst, start, end)
        if not isinstance(lst, list):
            return Unknown("slice() of a value that cannot be known")
        return list(lst[start:end])

    def lookup(scope: Scope, mapping: Any, key: Any, default: Any = _MISSING) -> Any:
        if isinstance(mapping, dict) and isinstance(key, str):
            if key in mapping:
                return mapping[key]
            if default is not _MISSING:
                return default
        return Unknown("lookup() of a value that cannot be known")

    def merge(scope: Scope, *maps: Any) -> Any:
        out = LMap()
        for m in maps:
            if m is None:
                continue
            if not isinstance(m, dict):
                return Unknown("merge() of a value that cannot be known")
            for k, v in m.items():
                out.put(
                    k,
                    v,
                    m.key_pos.get(k, (0, 0)) if isinstance(m, LMap) else (0, 0),
                    m.value_pos.get(k, (0, 0)) if isinstance(m, LMap) else (0, 0),
                )
        return out

    def coalesce(scope: Scope, *values: Any) -> Any:
        for v in values:
            if is_unknown(v):
                return Unknown("coalesce() of a value that cannot be known")
            if v is not None and v != "":
                return v
        return Unknown("coalesce() found no value")

    def try_(scope: Scope, *values: Any) -> Any:
        # Unknown means "cannot tell" as often as "would fail" (a variable without default), so only
        # a first argument we can evaluate decides; falling back could pick the wrong value.
        if values and not isinstance(values[0], Unknown):
            return values[0]
        return Unknown("try() of a value that cannot be known")

    def tolist(scope: Scope, value: Any) -> Any:
        if isinstance(value, list):
            return value
        return Unknown("conversion of a value that cannot be known")

    def toset(scope: Scope, value: Any) -> Any:
        if isinstance(value, list):
            if unknown_in(value):
                return Unknown("set of values that cannot be known")
            out: list[Any] = []
            for v in value:
                if v not in out:
                    out.append(v)
            return sorted(out, key=str)
        return Unknown("conversion of a value that cannot be known")

    def tostring(scope: Scope, value: Any) -> Any:
        if isinstance(value, (str, int, float, bool)):
            return _to_string(value)
        return Unknown("tostring() of a value that cannot be known")

    def tonumber(scope: Scope, value: Any) -> Any:
        number = _number(value)
        return number if number is not None else Unknown("tonumber() of a value that cannot be known")

    def tobool(scope: Scope, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        return Unknown("tobool() of a value that cannot be known")

    def cidrsubnet(scope: Scope, prefix: Any, newbits: Any, netnum: Any) -> Any:
        known(prefix, newbits, netnum)
        net = _network(str(prefix))
        size = 2 ** int(newbits)
        if not 0 <= int(netnum) < size:
            raise ValueError("netnum out of range")
        if net.prefixlen + int(newbits) > net.max_prefixlen:
            raise ValueError("newbits too large")
        step = net.num_addresses // size
        base = int(net.network_address) + int(netnum) * step
        # The address is on the new prefix's boundary by construction: no network to validate.
        return f"{type(net.network_address)(base)}/{net.prefixlen + int(newbits)}"

    def range_(scope: Scope, *args: Any) -> Any:
        known(*args)
        ints = [int(a) for a in args]
        values = list(range(*ints))
        if len(values) > MAX_COLLECTION:
            raise ValueError("range too large")
        return values

    def simple(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(scope: Scope, *args: Any) -> Any:
            known(*args)
            return fn(*args)

        return wrapper

    return {
        "jsonencode": jsonencode,
        "jsondecode": jsondecode,
        "file": file_,
        "templatefile": templatefile,
        "length": length,
        "concat": concat,
        "element": element,
        "slice": slice_,
        "lookup": lookup,
        "merge": merge,
        "coalesce": coalesce,
        "try": try_,
        "tolist": tolist,
        "toset": toset,
        "tomap": lambda scope, v: v if isinstance(v, dict) else Unknown("tomap()"),
        "tostring": tostring,
        "tonumber": tonumber,
        "tobool": tobool,
        "cidrsubnet": cidrsubnet,
        "range": range_,
        "lower": simple(lambda s: str(s).lower()),
        "upper": simple(lambda s: str(s).upper()),
        "trimspace": simple(lambda s: str(s).strip()),
        "format": simple(_format),
        "join": simple(lambda sep, lst: str(sep).join(_to_string(x) for x in lst)),
        "split": simple(lambda sep, s: str(s).split(str(sep))),
        "replace": simple(lambda s, a, b: str(s).replace(str(a), str(b))),
        "keys": simple(lambda m: sorted(m)),
        "values": simple(lambda m: [m[k] for k in sorted(m)]),
        "flatten": simple(_flatten),
        "distinct": simple(lambda lst: [x for i, x in enumerate(lst) if x not in lst[:i]]),
        "compact": simple(lambda lst: [x for x in lst if x not in (None, "")]),
        "contains": simple(lambda lst, v: v in lst),
        "zipmap": simple(lambda ks, vs: dict(zip(ks, vs, strict=True))),
        "min": simple(min),
        "max": simple(max),
        "abs": simple(abs),
    }


_MISSING = object()


@lru_cache(maxsize=256)
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR block, parsed once: every subnet of a module is cut from the same one or two."""
    return ipaddress.ip_network(text, strict=False)


class SourceText(str):
    """A string that remembers where its text starts: a heredoc in a ``.tf`` file (``path`` None:
    the resource's own file) or a file read by ``file()``/``templatefile()``."""

    path: str | None
    line: int

    def __new__(cls, text: str, path: str | None, line: int) -> SourceText:
        obj = super().__new__(cls, text)
        obj.path = path
        obj.line = line
        return obj


class JsonValue:
    """The result of ``jsonencode(x)``: ``x`` kept as data. Equal values encode equally."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonValue) and self.value == other.value

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return f"JsonValue({self.value!r})"


def _az_slice(azs: AzList, start: int, end: int) -> list[str]:
    return [azs.item(i) for i in range(start, end)]


def _flatten(value: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in value:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _format(spec: str, *args: Any) -> str:
    out, i, n = [], 0, 0
    while i < len(spec):
        ch = spec[i]
        if ch == "%" and i + 1 < len(spec):
            verb = spec[i + 1]
            if verb == "%":
                out.append("%")
            elif verb in "sdvq":
                value = args[n]
                n += 1
                out.append(f'"{value}"' if verb == "q" else _to_string(value))
            else:
                raise ValueError("unsupported format verb")
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def path_in(directory: Path, relative: str) -> Path:
    return safe_resolve(directory / relative)
