"""A wheel built from a clone answers `factbot check` from another folder with the clone gone.

The clone is the files git would give (tracked, or new and not ignored). The wheel is built with
the setuptools of the dev extras (no build backend fetched) and installed into a fresh venv with
`--no-deps`; the dependencies are borrowed from the test's own environment through a path file. A
full dependency install from the registry takes a minute; what this guards is the wheel's own
contents: seeds, lexicon, manifest, entry point, metadata. `pytest -m "not install"` leaves these out.

An interpreter older than 3.11 gets a sentence from `make`, not a pip traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLAIM = "Rebels took about 20 villages on the first day of the offensive."


def _clone(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target


def _pip(*args: str, cwd: Path) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *args]
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)


def _fresh_venv(path: Path) -> Path:
    """A venv without pip whose site-packages also sees this environment's (for the dependencies)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    borrowed = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site, "borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv holding factbot installed from a wheel of a clone that is gone."""
    root = tmp_path_factory.mktemp("install")
    clone = _clone(root / "clone")
    _pip(
        "wheel", "--no-build-isolation", "--no-deps", "--wheel-dir", str(root / "dist"), str(clone), cwd=root
    )
    python = _fresh_venv(root / "venv")
    (wheel,) = (root / "dist").glob("factbot-*.whl")
    _pip("--python", str(python), "install", "--no-deps", str(wheel), cwd=root)
    shutil.rmtree(clone)
    return python.parent


def _run(bin_dir: Path, *args: str, cwd: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FACTBOT_DB", "PYTHONPATH", "VIRTUAL_ENV"}}
    env["XDG_DATA_HOME"] = str(data)
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.install
def test_the_installed_factbot_checks_a_claim_from_another_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run(installed, "factbot", "check", "--json", CLAIM, cwd=elsewhere, data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["verdict"] == "contradicted"
    assert "levant24" in {e["source"] for e in reply["evidence"]}
    assert (tmp_path / "data" / "factbot" / "factbot.db").is_file(), "the default path under XDG_DATA_HOME"


@pytest.mark.install
def test_the_installed_code_and_seeds_come_from_the_venv_not_the_checkout(installed, tmp_path):
    modules = "adapters, bot, facts, factbot_seeds"
    where = f"import {modules}; print(*(m.__file__ for m in ({modules})))"
    result = _run(installed, "python", "-c", where, cwd=tmp_path, data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    for file in result.stdout.split():
        assert Path(file).is_relative_to(installed.parent), file
    seeds = Path(result.stdout.split()[-1]).parent
    assert {"sources.toml", "aliases.toml", "curated.toml"} <= {p.name for p in seeds.iterdir()}


@pytest.mark.install
def test_version_comes_from_the_package_metadata(installed, tmp_path):
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    result = _run(installed, "factbot", "--version", cwd=tmp_path, data=tmp_path / "data")
    assert (result.returncode, result.stdout) == (0, f"factbot {version}\n")


@pytest.mark.install
def test_the_wheel_names_its_license(installed):
    (metadata,) = installed.parent.glob("lib/python*/site-packages/factbot-*.dist-info/METADATA")
    text = metadata.read_text(encoding="utf-8")
    assert "License-Expression: MIT" in text and "License-File: LICENSE" in text


def test_make_refuses_an_older_python_with_a_sentence(tmp_path):
    old = tmp_path / "python3.10"
    old.write_text('#!/bin/sh\ncase "$*" in *version_info*) exit 1;; *) echo "Python 3.10.13";; esac\n')
    old.chmod(0o755)
    venv = tmp_path / "venv"
    result = subprocess.run(
        ["make", "-C", str(REPO), f"PYTHON={old}", f"VENV={venv}", "test"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"Factbot needs Python 3.11 or newer; {old} is Python 3.10.13." in result.stderr
    assert "make PYTHON=python3.12 test" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr and not venv.exists()
