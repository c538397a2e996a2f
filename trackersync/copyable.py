"""``Copyable``: ``model_copy(update=...)`` for trackersync's plain dataclasses.

Its own module, so the configuration's dataclasses (:mod:`trackersync.config`) take it
without importing the tracker shapes of :mod:`trackersync.model`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

_Self = TypeVar("_Self")


class Copyable:
    """``model_copy(update=...)`` for the dataclasses of trackersync's shapes.

    The shapes of :mod:`trackersync.model`, :mod:`trackersync.plan` and
    :mod:`trackersync.config` are plain dataclasses (no validation on construction):
    tens of thousands of them are built per run, and none of them needs pydantic. The
    method keeps pydantic's name, so ``x.model_copy(update={...})`` reads the same
    wherever a shape is copied. pydantic still checks the saved plans that are not exactly
    as ``plan --out`` wrote them (:mod:`trackersync.plan`) and gives the JSON Schemas
    (:mod:`trackersync.definitions.schema`, :mod:`trackersync.definitions.config_schema`).
    """

    __slots__ = ()

    def model_copy(self: _Self, *, update: Mapping[str, Any] | None = None) -> _Self:
        """Return a copy with the fields in ``update`` replaced (the others shared)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]


__all__ = ["Copyable"]
