"""The code stays as ruff and mypy want it, with short functions, so style never needs a review."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PATHS = ["kiosk", "tests", "bench"]


def ruff() -> str:
    found = Path(sys.executable).with_name("ruff")
    if found.exists():
        return str(found)
    path = shutil.which("ruff")
    if path is None:
        pytest.fail("ruff is not installed: run scripts/setup (it is in the test extra)")
    return path


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command):
    result = subprocess.run(
        [ruff(), *command, *PATHS], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_types():
    """mypy, with the settings in pyproject.toml (strict on catalog, sync and hub)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


MAX_FUNCTION_LINES = 60


def long_functions(root: Path, limit: int) -> list[str]:
    """Functions under ``root`` longer than ``limit`` lines, from ``def`` to the last line
    (decorators, such as a command's options, are not counted)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    where = path.relative_to(root.parent)
                    found.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
    return found


# Alembic revisions are frozen history: once released they never change, so a long
# upgrade() stays as it was written.
FROZEN = "kiosk/hub/migrations/versions/"


def test_no_function_in_kiosk_is_longer_than_60_lines():
    found = long_functions(REPO / "kiosk", MAX_FUNCTION_LINES)
    assert [f for f in found if not f.startswith(FROZEN)] == []


def test_the_length_check_finds_a_long_function(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "long.py").write_text(f"def too_long():\n{body}", encoding="utf-8")
    (tmp_path / "short.py").write_text("def fine():\n    return 1\n", encoding="utf-8")
    found = long_functions(tmp_path, MAX_FUNCTION_LINES)
    assert [f.split(" ", 1)[1] for f in found] == [f"too_long ({MAX_FUNCTION_LINES + 1} lines)"]


def imported_modules(path: Path, package: str) -> set[str]:
    """Absolute names of the modules ``path`` (in ``package``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            found |= {f"{name}.{alias.name}" for alias in node.names}
    return found


def test_village_code_never_imports_the_hub():
    """kiosk/hub/ runs at the kecamatan; nothing that runs on a kiosk may need it."""
    offenders = []
    for path in sorted((REPO / "kiosk").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[:2] == ("kiosk", "hub"):
            continue
        package = ".".join(parts[:-1])
        hub = {m for m in imported_modules(path, package) if m.startswith("kiosk.hub")}
        if hub:
            offenders.append(f"{path.relative_to(REPO)}: {sorted(hub)}")
    assert offenders == []
