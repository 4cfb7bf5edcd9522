"""lstmbook stays small and obvious: short units, no private cross-imports.

The rules of CONTRIBUTING.md ("Changing lstmbook"), checked: no class or
function over about 150 lines, and no module importing another module's
private (underscore) names; shared helpers live in ``_checks.py`` and
``_keras.py`` under public names.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted((ROOT / "lstmbook").glob("*.py"))
#: "About 150 lines": a little slack for a long docstring.
MAX_LINES = 165


def _units(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            yield node.name, node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_class_or_function_is_long(path):
    long = [(name, n) for name, n in _units(path) if n > MAX_LINES]
    assert not long, f"{path.name}: {long} are over {MAX_LINES} lines"


def test_the_limit_would_catch_a_long_function(tmp_path):
    body = "\n".join(f"    x = {i}" for i in range(MAX_LINES + 1))
    path = tmp_path / "long.py"
    path.write_text(f"def long():\n{body}\n")
    assert dict(_units(path))["long"] > MAX_LINES


def _private_imports(source: str) -> list:
    """Underscore names imported from sibling modules (``from .x import _y``)."""
    return [alias.name for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.level >= 1
            for alias in node.names if alias.name.startswith("_")]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_private_name_is_imported_across_modules(path):
    private = _private_imports(path.read_text())
    assert not private, f"{path.name} imports private {private}"


def test_the_import_check_sees_a_private_name_on_a_later_line():
    source = "from .metrics import (\n    mae,\n    _pair,\n)\n"
    assert _private_imports(source) == ["_pair"]
