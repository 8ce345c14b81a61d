"""Placeholder until the cloudformation front-end lands: files of this kind are skipped."""

from __future__ import annotations

from typing import Any

from ..model import Model


def load_yaml(path: str, text: str, explicit: bool) -> Model | None:
    return None


def build_model(path: str, doc: Any, text: str = "") -> Model | None:
    return None


def load_module(directory: Any, requested: Any) -> Model:
    return Model(source=str(directory), report_files=set())
