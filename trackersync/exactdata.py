"""Dataclasses built from JSON data whose every value has exactly its declared type.

A saved plan is read back several times per CI run (the check that the reviewed plan is
still fresh, the apply of that plan). pydantic checks the shape of what is read
(:meth:`trackersync.plan.Plan.from_json`) and stays the judge of anything unusual; the
common case, a file ``plan --out`` wrote (every key known, every value of exactly the
declared type), is built here without importing pydantic, which costs more than the
rest of reading the plan. Whenever this module is not sure, :func:`build_exact`
returns ``None`` and the caller validates with pydantic, so every message is pydantic's.
A test holds the two together: what is built here equals pydantic's result.

Types understood: ``str``, ``int``, ``bool``, ``float``, ``Literal[...]``, ``X | None``,
``list[X]``, ``dict[str, X]`` and nested dataclasses; any other type means "not sure".
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

T = TypeVar("T")

_PLAIN = (str, int, bool, float)


class _Unsure(Exception):
    """A value that is not plainly of its declared type: pydantic decides."""


def build_exact(cls: type[T], data: Any) -> T | None:
    """Build the dataclass ``cls`` from JSON ``data``, or ``None`` when not sure.

    Args:
        cls: a dataclass whose fields have the types listed in the module docstring.
        data: decoded JSON (dicts, lists, str, int, float, bool, None).

    Returns:
        The instance, built with ``cls(**fields)`` (missing fields take their
        defaults), when every key is a field, every required field is present and every
        value has exactly its field's type (``1`` is not a ``bool``, ``1.0`` not an
        ``int``); ``None`` otherwise. Never raises for any ``data``.
    """
    try:
        built: T = _value(cls, data)
    except _Unsure:
        return None
    return built


@functools.cache
def _fields(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """``cls``'s init fields with their resolved types, and the names without a default."""
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    required = frozenset(f.name for f in fields if f.default is dataclasses.MISSING
                         and f.default_factory is dataclasses.MISSING)
    return {f.name: hints[f.name] for f in fields}, required


def _value(tp: Any, value: Any) -> Any:
    """``value`` as type ``tp`` (a new container, a dataclass built); :class:`_Unsure`."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if type(value) is not dict:
            raise _Unsure
        fields, required = _fields(tp)
        if not required <= value.keys() or not value.keys() <= fields.keys():
            raise _Unsure
        return tp(**{key: _value(fields[key], item) for key, item in value.items()})
    origin = get_origin(tp)
    if origin is Literal:
        if any(type(value) is type(option) and value == option for option in get_args(tp)):
            return value
        raise _Unsure
    if origin is Union or origin is types.UnionType:
        options = get_args(tp)
        if value is None and type(None) in options:
            return None
        others = [option for option in options if option is not type(None)]
        if len(others) != 1:
            raise _Unsure
        return _value(others[0], value)
    if origin is list:
        if type(value) is not list:
            raise _Unsure
        (item,) = get_args(tp)
        return [_value(item, entry) for entry in value]
    if origin is dict:
        key, item = get_args(tp)
        if key is not str or type(value) is not dict:
            raise _Unsure
        return {name: _value(item, entry) for name, entry in value.items()}
    if tp in _PLAIN and type(value) is tp:
        return value
    raise _Unsure


__all__ = ["build_exact"]
