"""The layers import only downward, the core stays platform-neutral and reads no environment, every
name another layer uses is public (`__all__`), and the README documents every command.

Layers, lowest first: `facts` (the store and the checker) < `bot` (the platform-neutral core) <
`bench` (the benchmark, run by `factbot bench`) < `adapters` (CLI, Slack, Discord). Imports are
read with `ast`, relative ones resolved, those under `if TYPE_CHECKING:` included.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from adapters.cli import main

REPO = Path(__file__).resolve().parent.parent
LAYERS = {"facts": 0, "bot": 1, "bench": 2, "adapters": 3}
PLATFORM_LIBRARIES = {"slack_bolt", "slack_sdk", "discord", "click", "typer", "aiohttp"}
# Imported from another layer but owned by work in flight (one rate-limit vocabulary for both
# platforms): its `__all__` comes with that change.
PUBLIC_SURFACE_PENDING: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(
    source: str, module: str, *, is_package: bool = False
) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """(imported module, names taken from it, line) for every import in `source`, the code of `module`."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, (), node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            yield target, tuple(alias.name for alias in node.names), node.lineno


def _layer_files() -> list[Path]:
    files = [path for layer in LAYERS for path in sorted((REPO / layer).rglob("*.py"))]
    assert len(files) > 40
    return files


def _imports_of(path: Path) -> Iterator[tuple[str, tuple[str, ...], int]]:
    source = path.read_text(encoding="utf-8")
    return _imports(source, _module_name(path), is_package=path.name == "__init__.py")


def _upward_imports(layer: str, imports: Iterator[tuple[str, tuple[str, ...], int]]) -> list[str]:
    return [
        f"{layer} imports {target} (line {line})"
        for target, _, line in imports
        if LAYERS.get(target.split(".")[0], -1) > LAYERS[layer]
    ]


def test_no_layer_imports_a_layer_above_it():
    found = []
    for path in _layer_files():
        found += [
            f"{path.relative_to(REPO)}: {v}"
            for v in _upward_imports(path.relative_to(REPO).parts[0], _imports_of(path))
        ]
    assert not found, "\n".join(found)


def test_the_import_reader_sees_upward_imports_of_every_form():
    source = (
        "import bot.service\n"
        "from adapters.cli import main\n"
        "from ...bot import service\n"
        "from . import sibling\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from bot import Factbot\n"
        "def late():\n"
        "    from bench.run import run\n"
    )
    assert _upward_imports("facts", _imports(source, "facts.sub.module")) == [
        "facts imports bot.service (line 1)",
        "facts imports adapters.cli (line 2)",
        "facts imports bot (line 3)",
        "facts imports bot (line 7)",
        "facts imports bench.run (line 9)",
    ]


def test_nothing_below_the_adapters_imports_a_platform_or_cli_library():
    for path in _layer_files():
        if path.relative_to(REPO).parts[0] != "adapters":
            used = {target.split(".")[0] for target, _, _ in _imports_of(path)}
            assert not used & PLATFORM_LIBRARIES, path


def _public_names(module: str) -> set[str] | None:
    base = REPO.joinpath(*module.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return None


def test_every_name_another_layer_imports_is_in_that_modules_all():
    missing = []
    for path in _layer_files():
        layer = path.relative_to(REPO).parts[0]
        for target, names, line in _imports_of(path):
            top = target.split(".")[0]
            if top not in LAYERS or top == layer or not names or target in PUBLIC_SURFACE_PENDING:
                continue
            public = _public_names(target)
            missing += [
                f"{path.relative_to(REPO)}:{line} imports {name} from {target}: add it to {target}'s __all__"
                for name in names
                if public is None or name not in public
            ]
    assert not missing, "\n".join(missing)


def test_core_never_reads_the_environment():
    for path in _layer_files():
        if path.relative_to(REPO).parts[0] not in {"bot", "facts"}:
            continue
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


def test_readme_documents_every_make_target_and_variable():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    phony = next(line for line in makefile.splitlines() if line.startswith(".PHONY:"))
    for target in phony.split(":", 1)[1].split():
        assert f"make {target}" in readme, target
    for variable in ("PYTHON", "VENV"):
        assert f"{variable} ?=" in makefile and f"`{variable}`" in readme, variable


def _defines(tree: ast.Module, dotted: str) -> bool:
    body: list[ast.stmt] = tree.body
    for name in dotted.split("."):
        kinds = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        found = next((n for n in body if isinstance(n, kinds) and n.name == name), None)
        if found is None:
            return False
        body = found.body
    return True


def test_readme_where_to_look_first_points_at_code_that_exists():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Where to look first:") : readme.index("Four layers")]
    pointers = re.findall(r"`([\w/]+\.py)` \(`([\w.]+)`\)", section)
    assert {path for path, _ in pointers} >= {"bot/verdict.py", "adapters/slack/app.py", "facts/values.py"}
    for path, name in pointers:
        assert _defines(ast.parse((REPO / path).read_text(encoding="utf-8")), name), (path, name)


def test_readme_documents_every_environment_variable():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    for name in _environment_variables():
        assert name in docs, name


def _environment_variables() -> set[str]:
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
