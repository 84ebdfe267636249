"""The Dockerfile and compose.yaml, tested without Docker.

No image can be built here (no Docker daemon, no registry for the base image), so the Dockerfile's
commands run as a script instead: the tree holds only what its COPY lines copy, the environment is
its ENV lines, the store starts on an empty "volume", and its CMD and HEALTHCHECK run as written —
with the port, the listening host (127.0.0.1 instead of 0.0.0.0) and the volume's path replaced.
Its `pip install` line is not run (that needs the package registry); `make` installs the same pins.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from slack_fake import SECRET, TOKEN, FakeSlack, command_body
from slack_server import free_port, signed_form

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = (REPO / "compose.yaml").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile line, continuation lines joined, comments dropped."""
    joined = re.sub(
        r"\\\n", " ", "\n".join(line for line in DOCKERFILE.splitlines() if not line.startswith("#"))
    )
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in joined.splitlines()
        if line.strip()
    ]


def one(name: str) -> str:
    [args] = [args for instruction, args in instructions() if instruction == name]
    return args


def environment() -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction, args in instructions():
        if instruction == "ENV":
            env |= dict(pair.split("=", 1) for pair in shlex.split(args))
    return env


def command(args: str) -> list[str]:
    return json.loads(args)


def test_a_slim_python_base_a_non_root_user_the_store_on_a_volume() -> None:
    assert re.fullmatch(r"python:3\.1[1-9]-slim", one("FROM"))
    user = one("USER")
    assert user not in ("root", "0") and "useradd --system --uid 10001 --user-group" in DOCKERFILE
    assert Path(environment()["FACTBOT_DB"]).parent == Path(one("VOLUME"))
    assert f"chown {user}:{user} {one('VOLUME')}" in DOCKERFILE
    assert environment()["FACTBOT_LOG_FORMAT"] == "json"


def test_the_healthcheck_asks_the_servers_healthz_on_the_exposed_port() -> None:
    port = one("EXPOSE")
    assert f"http://127.0.0.1:{port}/healthz" in one("HEALTHCHECK")
    cmd = command(one("CMD"))
    assert cmd[:4] == ["factbot", "serve", "slack", "--http"]
    assert cmd[cmd.index("--port") + 1] == port and cmd[cmd.index("--host") + 1] == "0.0.0.0"


def test_compose_runs_both_bots_on_one_volume() -> None:
    assert re.search(
        r"^  slack:\n(?:    .*\n|      .*\n)*?    command: \[\"factbot\", \"serve\", \"slack\", \"--http\"",
        COMPOSE,
        re.M,
    )
    assert '    command: ["factbot", "serve", "discord"]' in COMPOSE
    assert COMPOSE.count("      - factbot-data:/data") == 2 and "\nvolumes:\n  factbot-data:\n" in COMPOSE
    assert "condition: service_healthy" in COMPOSE, "Discord waits for the store the Slack service builds"
    for name in ("slack.env", "discord.env"):
        assert f"env_file: {name}" in COMPOSE and name in (REPO / ".gitignore").read_text()
        assert (REPO / "deploy" / f"{name}.example").exists()


def _image_tree(target: Path) -> Path:
    """/app as the Dockerfile fills it: only what COPY copies (.dockerignore applies to those)."""
    app = target / "app"
    app.mkdir()
    for instruction, args in instructions():
        if instruction == "COPY":
            *sources, _ = args.split()
            for source in sources:
                origin = REPO / source.rstrip("/")
                if origin.is_dir():
                    shutil.copytree(origin, app / origin.name, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy(origin, app / origin.name)
    return app


def test_the_images_commands_run_as_a_script(tmp_path: Path) -> None:
    app, volume, port = _image_tree(tmp_path), tmp_path / "data", free_port()
    volume.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FACTBOT_", "DISCORD_"))}
    env |= environment() | {"FACTBOT_DB": str(volume / "factbot.db"), "PYTHONPATH": str(app)}
    with FakeSlack() as fake:
        env |= {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url}
        cmd = command(one("CMD"))
        cmd[cmd.index("--port") + 1], cmd[cmd.index("--host") + 1] = str(port), "127.0.0.1"
        factbot = [sys.executable, "-c", "import sys; from adapters.cli import main; sys.exit(main())"]
        log = tmp_path / "server.log"
        with open(log, "wb") as out:
            server = subprocess.Popen(
                factbot + cmd[1:], cwd=app, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            health = command(one("HEALTHCHECK").split("CMD", 1)[1].strip())
            health = [
                sys.executable if part == "python" else part.replace(":3000/", f":{port}/") for part in health
            ]
            deadline = time.monotonic() + 60  # the first start builds the store from seeds/
            while subprocess.run(health, cwd=app, env=env, capture_output=True).returncode != 0:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            body, headers = signed_form(command_body("/factcheck", "help"))
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=headers
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 200 and "/factcheck CLAIM" in answer.read().decode()
        finally:
            server.terminate()
            assert server.wait(timeout=60) == 0
    lines = log.read_text().splitlines()
    assert lines and all(json.loads(line)["level"] for line in lines), (
        "FACTBOT_LOG_FORMAT=json: JSON lines only"
    )
    where = subprocess.run(
        [sys.executable, "-c", "import adapters; print(adapters.__file__)"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(app)), "the script ran the copied tree, not the checkout"
    assert TOKEN not in log.read_text() and SECRET not in log.read_text()
    assert (volume / "factbot.db").exists(), "the store is on the volume"

    discord_health = re.search(r'test: (\["CMD".*\])', COMPOSE).group(1)
    probe = [sys.executable if part == "python" else part for part in json.loads(discord_health)[1:]]
    probe[-1] = probe[-1].replace("/data/factbot.db", str(volume / "factbot.db"))
    assert subprocess.run(probe, cwd=app, env=env).returncode == 0
