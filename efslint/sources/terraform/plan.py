"""Terraform plan JSON (``terraform show -json plan.out``) front-end.

A plan knows every value Terraform could compute before apply, in ``planned_values`` (root and
child modules).  What it cannot know is omitted or null there and ``true`` in the matching
``resource_changes[].change.after_unknown``; those become Unknown, except where the
``configuration`` section shows the value is an attribute of another resource
(``"references": ["aws_efs_file_system.data.id", ...]``), which is how the links between resources
survive ``(known after apply)``.  The configuration carries no ``.tf`` positions, so findings point
at the value's line in the plan file itself and name the resource address.
"""

from __future__ import annotations

from typing import Any

from ...model import Model, Unknown
from ..errors import InputError
from ..located import LList, LMap
from .evaluate import Ref
from .resources import Record, build

SUPPORTED_MAJOR = "1"
KNOWN_AFTER_APPLY = "(known after apply)"
# Optional+computed arguments that are unknown in a plan when the configuration leaves them out,
# although leaving them out has a fixed meaning: a Regional file system, an access point on "/".
_UNSET_MEANS_DEFAULT = {
    ("aws_efs_file_system", "availability_zone_name"),
    ("aws_efs_access_point", "root_directory"),
    # Not set: Terraform does not manage them exclusively; attachments come from other resources.
    ("aws_iam_role", "managed_policy_arns"),
    ("aws_iam_role", "inline_policy"),
}


class PlanInstance:
    """What a :class:`Ref` points at in a plan: one resource instance, by address."""

    __slots__ = ("address", "index", "resource")

    def __init__(self, address: str, resource: str, index: Any) -> None:
        self.address = address
        self.resource = resource  # the address without the instance key
        self.index = index

    def __repr__(self) -> str:
        return f"PlanInstance({self.address})"


def build_model(path: str, doc: Any, text: str = "") -> Model:
    if not isinstance(doc, dict):
        raise InputError("a Terraform plan must be a JSON object")
    version = doc.get("format_version")
    if not isinstance(version, str) or version.split(".", 1)[0] != SUPPORTED_MAJOR:
        raise InputError(
            f"unsupported Terraform plan format_version {version!r}; efslint reads format 1.x "
            "(terraform show -json from Terraform 0.12 or later)"
        )
    planned = doc.get("planned_values", {})
    if not isinstance(planned, dict) or not isinstance(planned.get("root_module", {}), dict):
        raise InputError("planned_values.root_module is not an object")
    model = Model(source=path)
    plan = _Plan(path, doc)
    return build(model, plan.records())


class _Plan:
    def __init__(self, path: str, doc: dict[str, Any]) -> None:
        self.path = path
        self.doc = doc
        self.unknowns: dict[str, Any] = {}
        for change in doc.get("resource_changes") or []:
            if isinstance(change, dict) and isinstance(change.get("change"), dict):
                self.unknowns[str(change.get("address"))] = change["change"].get("after_unknown")
        self.config: dict[str, dict[str, Any]] = {}
        configuration = doc.get("configuration")
        if isinstance(configuration, dict):
            self._index_config(configuration.get("root_module"), "")
        self.instances: dict[str, PlanInstance] = {}
        self.by_resource: dict[str, list[PlanInstance]] = {}

    def _index_config(self, module: Any, prefix: str) -> None:
        if not isinstance(module, dict):
            return
        for res in module.get("resources") or []:
            if isinstance(res, dict) and isinstance(res.get("address"), str):
                self.config[prefix + res["address"]] = res
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                self._index_config(call.get("module"), f"{prefix}module.{name}.")

    def _walk(self, module: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        stack = [module]
        while stack:
            node = stack.pop()
            if not isinstance(node, dict):
                continue
            found.extend(r for r in node.get("resources") or [] if isinstance(r, dict))
            stack.extend(reversed(node.get("child_modules") or []))
        return found

    def records(self) -> list[Record]:
        resources = self._walk(self.doc.get("planned_values", {}).get("root_module"))
        for res in resources:
            address = str(res.get("address", ""))
            base = _strip_index(address)
            inst = PlanInstance(address, base, res.get("index"))
            self.instances[address] = inst
            self.by_resource.setdefault(base, []).append(inst)
        out = []
        for res in resources:
            address = str(res.get("address", ""))
            values = res.get("values") if isinstance(res.get("values"), dict) else {}
            config = self.config.get(_config_address(address), {})
            inst = self.instances[address]
            unknown = self.unknowns.get(address)
            expressions = config.get("expressions")
            if isinstance(unknown, dict) and isinstance(expressions, dict):
                for rtype, key in _UNSET_MEANS_DEFAULT:
                    if res.get("type") == rtype and unknown.get(key) is True and key not in expressions:
                        unknown = {k: v for k, v in unknown.items() if k != key}
            doc = self._value(values, unknown, expressions, inst)
            out.append(
                Record(
                    address=address,
                    type=str(res.get("type", "")),
                    mode=str(res.get("mode", "managed")),
                    doc=doc if isinstance(doc, dict) else {},
                    file=self.path,
                    target=inst,
                    # The plan says which instances exist; none is in doubt.
                    conditional=False,
                    depends=None,
                    line=res.pos[0] if isinstance(res, LMap) else 0,
                    col=res.pos[1] if isinstance(res, LMap) else 0,
                )
            )
        return out

    # Values -----------------------------------------------------------------------------------

    def _value(self, value: Any, unknown: Any, expr: Any, inst: PlanInstance) -> Any:
        # Some tools that rewrite plans keep the human-readable marker instead of after_unknown.
        if unknown is True or value == KNOWN_AFTER_APPLY:
            return self._from_references(expr, inst)
        if isinstance(value, dict) or isinstance(unknown, dict):
            value = value if isinstance(value, dict) else {}
            unknown = unknown if isinstance(unknown, dict) else {}
            keys = list(value) + [k for k in unknown if k not in value]
            # Keep the plan file's positions, so findings point at the resource's lines in it.
            out = LMap(getattr(value, "pos", (0, 0)))
            for k in keys:
                item = self._value(value.get(k), unknown.get(k), _sub(expr, k), inst)
                out.put(k, item, _key_pos(value, k), _key_pos(value, k))
            return out
        if isinstance(value, list) or isinstance(unknown, list):
            value = value if isinstance(value, list) else []
            unknown = unknown if isinstance(unknown, list) else []
            size = max(len(value), len(unknown))
            items = LList(getattr(value, "pos", (0, 0)))
            for i in range(size):
                item = self._value(
                    value[i] if i < len(value) else None,
                    unknown[i] if i < len(unknown) else None,
                    _block_item(expr, i),
                    inst,
                )
                items.add(item, value.pos_of(i) if isinstance(value, LList) else (0, 0))
            if any(isinstance(v, Unknown) for v in items) and isinstance(expr, dict) and "references" in expr:
                return self._list_from_references(expr, items, inst)
            return items
        return value

    def _targets(self, expr: Any, inst: PlanInstance) -> list[tuple[Any, str]] | None:
        """(instance or instance list, attribute) for each resource the expression names."""
        refs = expr.get("references") if isinstance(expr, dict) else None
        # A module's configuration names its own resources without the module's address.
        prefix = _module_prefix(inst.address)
        if not isinstance(refs, list):
            return None
        if any(isinstance(r, str) and r.startswith(("count.", "each.")) for r in refs):
            return None
        out: list[tuple[Any, str]] = []
        seen: set[str] = set()
        for ref in refs:
            if not isinstance(ref, str):
                continue
            address, attr = _split_reference(ref)
            if address is None or attr is None:
                continue
            address = prefix + address
            if address in seen:
                continue
            seen.add(address)
            if address in self.instances:
                out.append((self.instances[address], attr))
            elif address in self.by_resource:
                out.append((self.by_resource[address], attr))
            else:
                return None
        # Drop bare resource names that a more specific reference already covers.
        return out

    def _from_references(self, expr: Any, inst: PlanInstance) -> Any:
        targets = self._targets(expr, inst)
        if not targets:
            return Unknown("known after apply")
        if len(targets) > 1:
            # `[aws_subnet.a.id, aws_subnet.b.id]`: only a list-valued argument can hold several;
            # the mapping reads a list where it expects one and Unknown where it expects a scalar.
            if all(isinstance(t, PlanInstance) for t, _ in targets):
                return [Ref(t, attr) for t, attr in targets]
            return Unknown("known after apply")
        target, attr = targets[0]
        if isinstance(target, PlanInstance):
            return Ref(target, attr)
        if len(target) == 1 and target[0].index is None:
            return Ref(target[0], attr)
        # A whole resource with count/for_each: the splat `aws_x.y[*].id`.
        return [Ref(t, attr) for t in target]

    def _list_from_references(self, expr: Any, items: list[Any], inst: PlanInstance) -> Any:
        targets = self._targets(expr, inst)
        unknown_slots = [i for i, v in enumerate(items) if isinstance(v, Unknown)]
        if targets is None:
            return items
        refs: list[Ref] = []
        for target, attr in targets:
            if isinstance(target, PlanInstance):
                refs.append(Ref(target, attr))
            elif len(target) == 1 and target[0].index is None:
                refs.append(Ref(target[0], attr))
            else:
                return items
        if len(refs) != len(unknown_slots):
            return items
        out = list(items)
        for slot, ref in zip(unknown_slots, refs, strict=True):
            out[slot] = ref
        return out


def _key_pos(mapping: Any, key: str) -> tuple[int, int]:
    return mapping.pos_of(key) if isinstance(mapping, LMap) and key in mapping else (0, 0)


def _sub(expr: Any, key: str) -> Any:
    if isinstance(expr, dict):
        return expr.get(key)
    if isinstance(expr, list) and expr and isinstance(expr[0], dict):
        # A nested block's expressions are a list of block objects; values index them the same way.
        return None
    return None


def _block_item(expr: Any, index: int) -> Any:
    if isinstance(expr, list) and index < len(expr):
        return expr[index]
    if isinstance(expr, dict) and "references" not in expr and "constant_value" not in expr:
        return expr
    return None


def _strip_index(address: str) -> str:
    return address[: address.index("[")] if address.endswith("]") and "[" in address else address


def _config_address(address: str) -> str:
    """``module.a[0].aws_x.y["k"]`` -> ``module.a.aws_x.y``: configuration has no instance keys."""
    out, depth, buf = [], 0, ""
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            buf += ch
    out.append(buf)
    return "".join(out)


def _module_prefix(address: str) -> str:
    """``module.a[0].module.b.aws_x.y["k"]`` -> ``module.a[0].module.b.`` (``""`` in the root)."""
    parts: list[str] = []
    depth, buf = 0, ""
    for ch in address:
        depth += (ch == "[") - (ch == "]")
        if ch == "." and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    prefix = ""
    while len(parts) > 2 and parts[0] == "module":
        prefix += f"module.{parts[1]}."
        parts = parts[2:]
    return prefix


def _split_reference(ref: str) -> tuple[str | None, str | None]:
    """``aws_x.y[0].id`` -> (``aws_x.y[0]``, ``id``); ``module.m.aws_x.y.arn`` keeps the module."""
    parts = ref.split(".")
    prefix: list[str] = []
    while len(parts) >= 2 and parts[0] == "module":
        prefix += parts[:2]
        parts = parts[2:]
    if not parts or parts[0] in ("var", "local", "path", "terraform", "self"):
        return None, None
    if parts[0] == "data":
        prefix.append("data")
        parts = parts[1:]
    if len(parts) < 3:
        return None, None
    address = ".".join([*prefix, parts[0], parts[1]])
    return address, parts[2]
