"""Server log lines: plain or one JSON object each (FACTBOT_LOG_FORMAT=json), secrets scrubbed."""

from __future__ import annotations

import json
import logging

from adapters.logs import JsonFormatter, TextFormatter, log_format

SECRET = "client-secret-value-0123"


def _record(message: str, *args: object, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error else None
    return logging.LogRecord("factbot.slack", logging.ERROR, __file__, 1, message, args, exc_info)


def _failure() -> BaseException:
    try:
        raise RuntimeError(f"the secret {SECRET} and xoxb-123-456-abc")
    except RuntimeError as error:
        return error


def test_json_lines_hold_level_logger_message_and_the_traceback_without_secrets() -> None:
    line = JsonFormatter([SECRET]).format(_record("token %s", "xoxb-1-2-secret", error=_failure()))

    entry = json.loads(line)
    assert "\n" not in line and entry["level"] == "ERROR" and entry["logger"] == "factbot.slack"
    assert entry["message"] == "token [redacted]"
    assert "RuntimeError" in entry["exc"] and SECRET not in line and "xoxb-" not in line


def test_text_lines_scrub_tracebacks_too() -> None:
    text = TextFormatter([SECRET]).format(_record("failed", error=_failure()))

    assert "RuntimeError" in text and SECRET not in text and "xoxb-" not in text


def test_the_format_comes_from_the_environment() -> None:
    assert log_format({"FACTBOT_LOG_FORMAT": "JSON"}) == "json"
    assert log_format({}) == log_format({"FACTBOT_LOG_FORMAT": "plain"}) == "text"
