"""What docs/architecture.md promises: short functions, modules a reader can hold, layers kept."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "course"
#: Modules allowed past the size limit: pure data vocabularies (none today).
DATA_MODULES: set[str] = set()
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 700


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_function_runs_over_80_lines():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.name} ({lines} lines)")
    assert not long, "split these functions: " + ", ".join(long)


def test_no_module_runs_over_700_lines():
    big = [
        f"{p.relative_to(ROOT)} ({n} lines)"
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
        and str(p.relative_to(ROOT)) not in DATA_MODULES
    ]
    assert not big, "split these modules: " + ", ".join(big)


#: An exercise's kind compared with a string: what the registry (course.learner.kinds) replaced.
_NAMES = r"(classify|choose|quiz|form|pick|matrix|draft|question-deck|rehearsal)"
KIND_SWITCH = re.compile(
    rf"""kind[\w.()\[\]'"]*\s*(==|!=)\s*["']{_NAMES}["']"""
    rf"""|["']{_NAMES}["']\s*(==|!=)\s*[\w.]*kind"""
    rf"""|kind\w*\s+(not\s+)?in\s*[(\[{{]\s*["']{_NAMES}["']"""
)


def test_no_module_dispatches_on_an_exercise_kind_by_name():
    found = []
    for path in _modules():
        rel = path.relative_to(ROOT)
        if rel.parts[:2] == ("course", "coach") or rel.name in ("agenda.py", "profile.py"):
            continue  # their `kind` is a segment of an agenda or a profile field, not an exercise
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if KIND_SWITCH.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "ask course.learner.kinds instead:\n" + "\n".join(found)


def test_the_import_contracts_hold():
    """`.importlinter`: layers, a light kernel, a standard-library coach, no cycles."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _exists(name: str) -> bool:
    """A dotted name is a module of the kit, or an attribute of one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        path = ROOT.joinpath(*parts[:cut])
        if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
            target = importlib.import_module(".".join(parts[:cut]))
            for attr in parts[cut:]:
                if not hasattr(target, attr):
                    return False
                target = getattr(target, attr)
            return True
    return False


def test_the_architecture_page_names_real_modules():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(course(?:\.[A-Za-z_]+)+)`", text))
    assert len(named) > 10, "docs/architecture.md names too few modules"
    missing = sorted(name for name in named if not _exists(name))
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"
