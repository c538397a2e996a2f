"""``load_config``: defaults, positions, "did you mean", strict types, severity overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definitions.helpers import write
from trackersync.config import Config
from trackersync.definitions import load_config
from trackersync.errors import ConfigError


def test_absent_config_gives_defaults(tmp_path: Path) -> None:
    assert load_config(None, tmp_path) == Config()


def test_empty_config_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", "# nothing yet\n")
    assert load_config(None, tmp_path) == Config()


def test_full_config_is_read(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", """\
trackers_dir: defs
rules: lenient
prune: true
ignore: ["Symbl.*"]
safety:
  max_deletes: 3
  max_delete_fraction: 0.5
vars: {product: Acme, on: yes}
environments:
  staging:
    api_url: http://127.0.0.1:8750
    credentials_prefix: SYMBL_STAGING_
    vars: {product: Acme Staging}
severity:
  phrase-few: "off"
""")
    cfg = load_config(None, tmp_path)
    assert cfg.trackers_dir == "defs" and cfg.rules == "lenient" and cfg.prune is True
    assert cfg.safety.max_deletes == 3 and cfg.safety.max_delete_fraction == 0.5
    assert cfg.vars == {"product": "Acme", "on": "yes"}  # YAML 1.2: yes/on stay strings
    assert cfg.environments["staging"].credentials_prefix == "SYMBL_STAGING_"
    assert cfg.severity == {"phrase-few": "off"}


def test_the_older_name_of_the_state_file_setting_is_read(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", "ids_file: old.json\n")
    assert load_config(None, tmp_path).state_file == "old.json"


def test_the_older_and_newer_name_of_one_setting_together_say_so(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", "state_file: a.json\nids_file: b.json\n")
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert ('trackersync.yaml:2:1: "ids_file" is the older name of "state_file" and both '
            'are set; keep only "state_file"') in str(info.value)


def test_unknown_keys_with_hints_and_positions(tmp_path: Path) -> None:
    path = write(tmp_path, "conf/ts.yaml", """\
trackers_dri: defs
safety:
  max_delete: 3
environments:
  prod:
    credential_prefix: X_
    token: secret-value-not-echoed
""")
    with pytest.raises(ConfigError) as info:
        load_config(path, tmp_path)
    message = str(info.value)
    assert message.splitlines() == [
        "4 problems in conf/ts.yaml:",
        'conf/ts.yaml:1:1: unknown key "trackers_dri"; did you mean "trackers_dir"? (allowed: '
        "trackers_dir, rules, api_url, prune, ignore, safety, state_file, vars, environments, "
        "account_limit, severity, tests_dir)",
        'conf/ts.yaml:3:3: unknown key "max_delete" in safety; did you mean "max_deletes"? '
        "(allowed: max_deletes, max_delete_fraction, drift)",
        'conf/ts.yaml:6:5: unknown key "credential_prefix" in environments.prod; did you mean '
        '"credentials_prefix"? (allowed: api_url, credentials_prefix, rules, vars)',
        'conf/ts.yaml:7:5: unknown key "token" in environments.prod (allowed: api_url, '
        "credentials_prefix, rules, vars)",
    ]
    assert "secret-value" not in message


def test_wrong_types_are_not_coerced(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", "prune: yes\nrules: loose\nsafety:\n  max_deletes: -1\n")
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert str(info.value).splitlines() == [
        "3 problems in trackersync.yaml:",
        "trackersync.yaml:1:8: prune: 'yes' is not a boolean in YAML 1.2; write true or false",
        "trackersync.yaml:2:8: rules: Input should be 'strict' or 'lenient'",
        "trackersync.yaml:4:16: safety.max_deletes: Input should be greater than or equal to 0",
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("yes", "'yes' is not a boolean in YAML 1.2; write true or false"),
    ("Off", "'Off' is not a boolean in YAML 1.2; write true or false"),
    ("N", "'N' is not a boolean in YAML 1.2; write true or false"),
    ("'true'", "a quoted value is text, not a boolean; write true or false without quotes"),
    ("1", "a number is not a boolean; write true or false"),
    ("sometimes", "text is not a boolean; write true or false"),
    ("[a]", "a list is not a boolean; write true or false"),
])
def test_booleans_say_what_to_write(tmp_path: Path, value: str, message: str) -> None:
    write(tmp_path, "trackersync.yaml", f"rules: strict\n# comment\nprune: {value}\n")
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert str(info.value) == f"trackersync.yaml:3:8: prune: {message}"
    assert "sometimes" not in str(info.value)  # other values are never echoed


def test_quoted_numbers_keep_pydantics_message_with_the_position(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml",
          "safety:\n  max_deletes: '5'\n  max_delete_fraction: \"0.5\"\naccount_limit: ten\n")
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert str(info.value).splitlines() == [
        "3 problems in trackersync.yaml:",
        "trackersync.yaml:2:16: safety.max_deletes: Input should be a valid integer (a quoted "
        "value is text; remove the quotes)",
        "trackersync.yaml:3:24: safety.max_delete_fraction: Input should be a valid number (a "
        "quoted value is text; remove the quotes)",
        "trackersync.yaml:4:16: account_limit: Input should be a valid integer",
    ]


def test_duplicate_key_and_syntax_error(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", "rules: strict\nrules: lenient\n")
    with pytest.raises(ConfigError, match=r'^trackersync.yaml:2:1: duplicate key "rules" '
                       r"\(first at line 1\); keep only one$"):
        load_config(None, tmp_path)
    write(tmp_path, "trackersync.yaml", "rules: [strict\n")
    with pytest.raises(ConfigError, match=r"^trackersync.yaml:2:1: YAML syntax error"):
        load_config(None, tmp_path)


def test_not_a_mapping_and_missing_file(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml", "- a\n")
    with pytest.raises(ConfigError, match="trackersync.yaml:1:1: the config file must be a "
                       "mapping of keys"):
        load_config(None, tmp_path)
    with pytest.raises(ConfigError, match="other.yaml: config file not found"):
        load_config(tmp_path / "other.yaml", tmp_path)


def test_severity_override_validation(tmp_path: Path) -> None:
    write(tmp_path, "trackersync.yaml",
          "severity:\n  phrase-fewer: 'off'\n  phrase-charset: warning\n")
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert str(info.value).splitlines() == [
        "2 problems in trackersync.yaml:",
        'trackersync.yaml:2:3: severity: unknown rule "phrase-fewer"; did you mean '
        '"phrase-few"?',
        'trackersync.yaml:3:3: severity: rule "phrase-charset" cannot be changed (the API '
        "enforces it)",
    ]
