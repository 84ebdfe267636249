"""The core stays platform-neutral, reads no environment, and the README documents every command."""

from __future__ import annotations

import ast
from pathlib import Path

from click.testing import CliRunner

from adapters.cli import main

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = {"slack_bolt", "slack_sdk", "discord", "click", "typer", "aiohttp"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _core_files() -> list[Path]:
    files = sorted((REPO / "bot").rglob("*.py")) + sorted((REPO / "facts").rglob("*.py"))
    assert len(files) > 10
    return files


def test_core_imports_no_platform_or_cli_library():
    for path in _core_files():
        assert not _imports(path) & FORBIDDEN, path


def test_core_never_reads_the_environment():
    for path in _core_files():
        text = path.read_text(encoding="utf-8")
        assert "os.environ" not in text and "getenv" not in text, path


def test_readme_documents_every_cli_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in _command_paths(main):
        assert f"factbot {' '.join(path)}" in readme, path


def test_readme_quick_start_is_the_two_make_targets_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_documents_every_environment_variable():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    for name in _environment_variables():
        assert name in docs, name


def _environment_variables() -> set[str]:
    import re

    names = set()
    for path in (REPO / "adapters").rglob("*.py"):
        names.update(re.findall(r"\b((?:FACTBOT|SLACK|DISCORD)_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    return names


def _command_paths(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_cli_help_runs():
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
