"""``*.yaml.j2`` templates: sandboxed, strict undefined, vars from config and --env."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definitions.helpers import rows, write
from trackersync.config import Config, EnvironmentConfig
from trackersync.definitions import load_definitions
from trackersync.errors import ConfigError

TEMPLATE = """name: {{ product }} Pricing
vocabulary:
{% for plan in plans %}  - how much is {{ plan }}
{% endfor %}  - {{ product }} discount
"""


def config(**env_vars: object) -> Config:
    return Config(
        vars={"product": "Acme", "plans": ["basic", "team", "enterprise", "starter"]},
        environments={"staging": EnvironmentConfig(vars=dict(env_vars))},
    )


def test_template_rendered_with_config_vars(tmp_path: Path) -> None:
    write(tmp_path, "trackers/pricing.yaml.j2", TEMPLATE)
    ds = load_definitions(tmp_path, config())
    assert ds.problems == []
    assert ds.trackers[0].name == "Acme Pricing"
    assert ds.trackers[0].vocabulary == ("how much is basic", "how much is team",
                                         "how much is enterprise", "how much is starter",
                                         "Acme discount")
    assert ds.trackers[0].source is not None
    assert str(ds.trackers[0].source) == "trackers/pricing.yaml.j2:1:7"


def test_env_vars_overlay_config_vars(tmp_path: Path) -> None:
    write(tmp_path, "trackers/pricing.yaml.j2", TEMPLATE)
    ds = load_definitions(tmp_path, config(product="Acme Staging"), env="staging")
    assert ds.trackers[0].name == "Acme Staging Pricing"


def test_unknown_env_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, "trackers/pricing.yaml.j2", TEMPLATE)
    with pytest.raises(ConfigError, match='unknown environment "stagin"; did you mean '
                       '"staging"\\? \\(known: staging\\)'):
        load_definitions(tmp_path, config(), env="stagin")


def test_undefined_variable_names_template_and_line(tmp_path: Path) -> None:
    write(tmp_path, "trackers/p.yaml.j2", "name: X\nvocabulary:\n  - {{ nope }}\n")
    assert rows(load_definitions(tmp_path, config())) == [
        ("error", 3, 1, "template",
         "template error: 'nope' is undefined (in template trackers/p.yaml.j2)"),
    ]


def test_template_syntax_error_line(tmp_path: Path) -> None:
    write(tmp_path, "trackers/p.yaml.j2", "name: X\nvocabulary:\n{% for %}\n")
    assert rows(load_definitions(tmp_path, config())) == [
        ("error", 3, 1, "template", "template syntax error: Expected an expression, got 'end "
         "of statement block' (in template trackers/p.yaml.j2)"),
    ]


@pytest.mark.parametrize(("text", "line", "message"), [
    # an unclosed tag: jinja2 chokes on the next line's first token
    ("name: {{ product\nvocabulary:\n  - a\n", 1,
     "template syntax error: expected token 'end of print statement', got 'vocabulary' (at "
     "line 2, inside the tag opened on line 1: is its closing }} missing?)"),
    ("name: X\nvocabulary:\n{% for p in plans\n  - {{ p }}\n{% endfor %}\n", 3,
     "template syntax error: expected token ':', got '}' (at line 4, "
     "inside the tag opened on line 3: is its closing %} missing?)"),
    # errors jinja2 places right already stay where they are
    ("name: {{ product }\nvocabulary:\n  - a\n", 1, "template syntax error: unexpected '}'"),
    ("name: X\nvocabulary:\n  - a\n  - {{ product | nofilter }}\n", 4,
     "template syntax error: No filter named 'nofilter'."),
    ("name: {{ nope }}\nvocabulary:\n  - a\n", 1, "template error: 'nope' is undefined"),
    ("name: X\nvocabulary:\n  - a\n  - {{ nope }}\n", 4, "template error: 'nope' is undefined"),
    # a tag spread over two lines on purpose is not blamed on its first line
    ("name: {{ product +\n }}\nvocabulary: [a]\n", 2,
     "template syntax error: unexpected 'end of print statement'"),
])
def test_template_errors_name_the_line_to_fix(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    write(tmp_path, "trackers/p.yaml.j2", text)
    assert rows(load_definitions(tmp_path, config())) == [
        ("error", line, 1, "template", f"{message} (in template trackers/p.yaml.j2)"),
    ]


def test_sandbox_refuses_unsafe_attributes(tmp_path: Path) -> None:
    write(tmp_path, "trackers/p.yaml.j2", "name: X\n\nvocabulary: {{ ''.__class__ }}\n")
    problems = rows(load_definitions(tmp_path, config()))
    assert [(r[1], r[3]) for r in problems] == [(3, "template")]
    assert problems[0][4].startswith("template refused by the sandbox: access to attribute "
                                     "'__class__'")


def test_rendered_yaml_is_checked_like_any_file(tmp_path: Path) -> None:
    write(tmp_path, "trackers/p.yaml.j2", "name: X\nvocabulary:\n  - {{ 'yes' }}\n")
    assert [r[3] for r in rows(load_definitions(tmp_path, config()))] == ["phrase-few",
                                                                           "quote-it"]


def test_jinja2_not_imported_without_templates(tmp_path: Path) -> None:
    import subprocess
    import sys

    write(tmp_path, "trackers/a.yaml", "name: A\nvocabulary: [one]\n")
    code = ("import sys; from pathlib import Path; from trackersync.config import Config; "
            "from trackersync.definitions import load_definitions; "
            f"load_definitions(Path({str(tmp_path)!r}), Config()); "
            "print('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
