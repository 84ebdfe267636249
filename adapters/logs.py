"""Logging for the servers: Factbot's INFO lines and everyone's warnings on stderr, secrets scrubbed.

FACTBOT_LOG_FORMAT=json writes one JSON object per line (time, level, logger, message and, for an
error, its traceback as `exc`), for log collectors; anything else, plain text lines.

>>> configure_logging(env={"FACTBOT_LOG_FORMAT": "json"}, secrets=["xoxb-..."])
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Slack bot/user/app tokens, request signatures, Discord bot tokens (three dot-separated parts).
_SECRETS = re.compile(
    r"\b(xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|v0=[0-9a-f]{16,}"
    r"|[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{20,})"
)

__all__ = ["JsonFormatter", "RedactingFilter", "TextFormatter", "configure_logging", "log_format", "redact"]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with anything shaped like a token or signature, and each of `secrets`, replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _SECRETS.sub("[redacted]", text)


class RedactingFilter(logging.Filter):
    """Scrubs tokens and signatures from every record's message a handler emits (libraries log too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class TextFormatter(logging.Formatter):
    """Plain lines; the whole output (tracebacks too) scrubbed of tokens and `secrets`."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__(TEXT_FORMAT)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: {"time", "level", "logger", "message"[, "exc"]}, scrubbed."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), self.secrets),
        }
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info), self.secrets)
        return json.dumps(entry, ensure_ascii=False)


def log_format(env: Mapping[str, str] | None = None) -> str:
    """ "json" or "text", from FACTBOT_LOG_FORMAT."""
    env = os.environ if env is None else env
    return "json" if env.get("FACTBOT_LOG_FORMAT", "").strip().lower() == "json" else "text"


def configure_logging(*, env: Mapping[str, str] | None = None, secrets: Iterable[str] = ()) -> None:
    """A stderr handler on the root logger in place of plain stream handlers (the CLI's
    `basicConfig`; a test's capture handlers stay), Factbot's loggers at INFO, others' at WARNING."""
    formatter = JsonFormatter(secrets) if log_format(env) == "json" else TextFormatter(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if type(h) is logging.StreamHandler]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("factbot").setLevel(logging.INFO)
