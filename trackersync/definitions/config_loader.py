"""``load_config``: read ``trackersync.yaml`` with positions and "did you mean" hints.

The file is read like a tracker file (UTF-8, YAML 1.2, positions kept, duplicate keys
refused) and validated against the pydantic models of :mod:`.config_schema` in strict
mode, so ``prune: "yes"`` is an error rather than a guess. Every fault is listed in one
:class:`~trackersync.errors.ConfigError`, each as ``file:line:col: message``.

A file in the common, valid shape (every key known, every value of exactly the type
the model takes) is accepted by a quick check (:func:`quick_config`) without importing
pydantic, which costs more than the rest of a small ``validate``; whenever that check
is not sure, the file goes through pydantic, so every message is pydantic's.
"""

from __future__ import annotations

import json
import os
import re
import typing
from pathlib import Path
from typing import Any

from trackersync.config import Config, EnvironmentConfig, SafetyConfig
from trackersync.definitions.labels import label_for
from trackersync.definitions.yamlnodes import Document, YamlProblem, compose, read_text
from trackersync.errors import ConfigError

CONFIG_NAMES = ("trackersync.yaml", "trackersync.yml")


def find_project_root(start: Path) -> Path:
    """Search ``start`` and its parents for the config file, like git does for ``.git``.

    Args:
        start: the folder to start from (the current directory).

    Returns:
        The first folder holding ``trackersync.yaml``/``.yml``, not looking past a
        folder with ``.git`` nor the filesystem root; ``start`` when none does.
    """
    here = start.resolve()
    for folder in (here, *here.parents):
        if any((folder / name).is_file() for name in CONFIG_NAMES):
            return folder
        if (folder / ".git").exists():
            break
    return start


def load_config(path: Path | None, root: Path) -> Config:
    """Load the project configuration.

    Args:
        path: the config file (``--config``); ``None`` means ``root/trackersync.yaml``
            (or ``.yml``) if it exists, else every default.
        root: the project root, used for the file label in messages.

    Returns:
        The validated :class:`Config`.

    Raises:
        ConfigError: the file is missing (when given), unreadable, not YAML, or has
            unknown keys (with a "did you mean" hint) or wrong values, each named as
            ``file:line:col``. Values are never echoed.
    """
    root = Path(os.path.abspath(root))
    if path is None:
        found = [root / name for name in CONFIG_NAMES if (root / name).is_file()]
        if not found:
            return Config()
        path = found[0]
    path = Path(os.path.abspath(path))
    label = label_for(path, root)
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        doc = compose(read_text(path))
    except YamlProblem as exc:
        raise ConfigError(f"{label}:{exc.line}:{exc.column}: {exc.message}") from exc
    messages = [(p.line, p.column, p.message) for p in doc.problems]
    config: Config | None
    if doc.data is None:
        config = Config()
    elif not isinstance(doc.data, dict):
        raise ConfigError(f"{label}:1:1: the config file must be a mapping of keys")
    else:
        config, errors = _validate(doc)
        messages.extend(errors)
    if config is not None:
        for name in config.environments:
            problem = environment_name_problem(name)
            if problem:
                line, col = doc.position(("environments", name), key=True)
                messages.append((line, col, problem))
        if config.severity:  # the rule table is loaded only to check overrides
            from trackersync.definitions.rules import check_overrides

            for code, message in check_overrides(config.severity):
                line, col = doc.position(("severity", code), key=True)
                messages.append((line, col, f"severity: {message}"))
    if messages:
        raise ConfigError(_joined(label, messages))
    assert config is not None
    return config


#: An environment name: it becomes part of file names (``trackers.ids.NAME.json``).
_ENV_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*")


def environment_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an environment name, or ``None`` when it can.

    Environment names become parts of file names (the ids file ``trackers.ids.NAME.json``)
    and of messages, so only letters, digits, ``-``, ``_`` and single dots are allowed,
    starting with a letter or digit, at most 64 characters: no ``/``, ``\\``, ``..``,
    spaces or control characters.
    """
    if len(name) <= 64 and _ENV_NAME.fullmatch(name) and not name.endswith("."):
        return None
    return (f"environments: {json.dumps(name, ensure_ascii=True)} cannot be an environment "
            "name: it becomes part of file names (trackers.ids.NAME.json); use letters, "
            "digits, '-', '_' or '.' (e.g. eu-prod)")


def _joined(label: str, messages: list[tuple[int, int, str]]) -> str:
    lines = [f"{label}:{line}:{col}: {text}" for line, col, text in sorted(messages)]
    if len(lines) == 1:
        return lines[0]
    return f"{len(lines)} problems in {label}:\n" + "\n".join(lines)


def _validate(doc: Document) -> tuple[Config | None, list[tuple[int, int, str]]]:
    quick = quick_config(doc.data)
    if quick is not None:
        return quick, []
    from pydantic import ValidationError

    from trackersync.definitions import config_schema

    try:
        spec = config_schema.Config.model_validate(doc.data, strict=True)
        return from_spec(spec), []
    except ValidationError as exc:
        messages = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            if err["type"] == "extra_forbidden":
                line, col = doc.position(loc, key=True)
                messages.append((line, col, _unknown(loc)))
            else:
                line, col = doc.position(loc)
                dotted = ".".join(str(p) for p in loc)
                messages.append((line, col, f"{dotted}: {_explain(err)}"))
        return None, messages


#: Plain words YAML 1.1 reads as booleans; under YAML 1.2 (our reader) they are text.
_YAML11_BOOLS = frozenset({"y", "yes", "n", "no", "on", "off"})
_WANTS_NUMBER = {"int_type": "a whole number", "float_type": "a number"}


def _explain(err: Any) -> str:
    """Turn one pydantic error into a message saying what to write.

    Only words YAML itself defines (``yes``, ``off``...) are echoed; other values never
    are (the config may hold URLs or other values not meant for logs).
    """
    kind, value = err["type"], err.get("input")
    if kind == "bool_type":
        if isinstance(value, str) and value.lower() in _YAML11_BOOLS:
            return f"{value!r} is not a boolean in YAML 1.2; write true or false"
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return "a quoted value is text, not a boolean; write true or false without quotes"
        return f"{_kind(value)} is not a boolean; write true or false"
    if kind in _WANTS_NUMBER and isinstance(value, str) and _numeric(value):
        return f"{err['msg']} (a quoted value is text; remove the quotes)"
    return str(err["msg"])


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "an empty value"
    return "a list" if isinstance(value, list) else "a mapping"


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


#: Older names of a setting, still read on their own: given beside the new name they
#: are one setting written twice.
_OLDER_NAMES = {"ids_file": "state_file"}


def _unknown(loc: tuple[Any, ...]) -> str:
    key = str(loc[-1])
    if len(loc) == 1 and key in _OLDER_NAMES:
        return (f'"{key}" is the older name of "{_OLDER_NAMES[key]}" and both are set; '
                f'keep only "{_OLDER_NAMES[key]}"')
    from trackersync.definitions import config_schema
    from trackersync.definitions.checks import did_you_mean, shown

    allowed = _fields_at(config_schema.Config, loc[:-1])
    hint = did_you_mean(key, allowed)
    where = ".".join(str(p) for p in loc[:-1])
    scope = f" in {where}" if where else ""
    return f'unknown key {shown(key)}{scope}{hint} (allowed: {", ".join(allowed)})'


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """Return the field names of the model found at ``loc`` inside ``model``."""
    from pydantic import BaseModel

    current: Any = model
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = field.annotation
        if typing.get_origin(current) is dict and parts:
            parts.pop(0)
            current = typing.get_args(current)[1]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def from_spec(spec: Any) -> Config:
    """The :class:`~trackersync.config.Config` of a validated ``config_schema.Config``.

    Field by field through ``model_dump`` (same names on both sides, a test checks), so
    a field added to both is carried without a change here; the nested ``safety`` and
    ``environments`` mappings become their dataclasses in ``Config.__post_init__``.
    """
    return Config(**spec.model_dump())


_RULES = ("strict", "lenient")
_LEVELS = ("error", "warning", "off")
_TOP_KEYS = frozenset(("trackers_dir", "rules", "api_url", "prune", "ignore", "safety",
                       "state_file", "ids_file", "vars", "environments", "account_limit",
                       "severity", "tests_dir"))
_SAFETY_KEYS = frozenset(("max_deletes", "max_delete_fraction", "drift"))
#: Keys whose value must be exactly a ``str``.
_TEXT_KEYS = ("trackers_dir", "api_url", "state_file", "ids_file", "tests_dir")
#: Keys whose checked value is taken as it is; one left out takes the dataclass default.
_PLAIN_KEYS = ("trackers_dir", "api_url", "state_file", "tests_dir", "rules", "prune",
               "account_limit")
_ENV_KEYS = frozenset(("api_url", "credentials_prefix", "rules", "vars"))


def quick_config(data: Any) -> Config | None:
    """The config of ``data`` when it is plainly valid; ``None`` when not sure.

    Accepts only what the pydantic model (:mod:`.config_schema`, strict mode) accepts,
    with the same values: every key known, every value of exactly the type the model
    takes, numbers within their bounds. Anything else (including valid forms this check
    does not know, such as an integer ``max_delete_fraction``) returns ``None``, and
    the caller validates with pydantic. A property test holds the two together. A key
    the file leaves out takes the dataclass's default (:mod:`trackersync.config`).

    Args:
        data: the composed YAML mapping of ``trackersync.yaml``.
    """
    if type(data) is not dict or not _TOP_KEYS.issuperset(data):
        return None
    if "state_file" in data and "ids_file" in data:
        return None
    get = data.get
    if any(type(data[key]) is not str for key in _TEXT_KEYS if key in data):
        return None
    if "rules" in data and data["rules"] not in _RULES:
        return None
    if "prune" in data and type(data["prune"]) is not bool:
        return None
    if "account_limit" in data and (type(data["account_limit"]) is not int
                                    or data["account_limit"] < 1):
        return None
    ignore = get("ignore", [])
    if type(ignore) is not list or any(type(item) is not str for item in ignore):
        return None
    severity = get("severity", {})
    if not _str_dict(severity) or any(v not in _LEVELS or type(v) is not str
                                      for v in severity.values()):
        return None
    variables = get("vars", {})
    safety = _quick_safety(get("safety", {}))
    environments = get("environments", {})
    if not _str_dict(variables) or safety is None or not _str_dict(environments):
        return None
    envs = {}
    for name, env in environments.items():
        quick = _quick_environment(env)
        if quick is None:
            return None
        envs[name] = quick
    given = {key: data[key] for key in _PLAIN_KEYS if key in data}
    if "ids_file" in data:  # the older name of state_file
        given["state_file"] = data["ids_file"]
    return Config(**given, ignore=list(ignore), safety=safety, vars=dict(variables),
                  environments=envs, severity=dict(severity))


def _str_dict(value: Any) -> bool:
    return type(value) is dict and all(type(key) is str for key in value)


def _quick_safety(data: Any) -> SafetyConfig | None:
    """The ``safety`` block when plainly valid (as :func:`quick_config`); else ``None``."""
    if type(data) is not dict or not _SAFETY_KEYS.issuperset(data):
        return None
    get = data.get
    if "max_deletes" in data and (type(data["max_deletes"]) is not int
                                  or data["max_deletes"] < 0):
        return None
    fraction = get("max_delete_fraction", 0.0)
    if type(fraction) is not float or not 0.0 <= fraction <= 1.0:
        return None
    if "drift" in data and (type(data["drift"]) is not str
                            or data["drift"] not in ("revert", "refuse")):
        return None
    return SafetyConfig(**data)


def _quick_environment(data: Any) -> EnvironmentConfig | None:
    """One environment when plainly valid (as :func:`quick_config`); else ``None``."""
    if type(data) is not dict or not _ENV_KEYS.issuperset(data):
        return None
    get = data.get
    url, rules = get("api_url"), get("rules")
    if (url is not None and type(url) is not str) or (
            "credentials_prefix" in data and type(data["credentials_prefix"]) is not str):
        return None
    if rules is not None and (type(rules) is not str or rules not in _RULES):
        return None
    variables = get("vars", {})
    if not _str_dict(variables):
        return None
    return EnvironmentConfig(**{**data, "vars": dict(variables)})
