"""Quality on labeled claims: accuracy, per-verdict precision/recall/F1, macro-F1, the confusion
matrix, the false-support rate and evidence-source recall — for one labeled set, or for several
as one table with an all-claims row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.reply import CheckReply, Verdict
from bot.service import Factbot
from facts.errors import ValidationError
from facts.jsonl import Unreadable, kind_of

__all__ = [
    "ALL_CLAIMS",
    "LABELS",
    "TABLE_HEADER",
    "EvalReport",
    "eval_table",
    "evaluate",
    "labeled_claims",
    "several_summaries",
]

LABELS = tuple(Verdict)
_COUNTS = ("total", "correct", "false_support", "false_support_base", "source_hits", "source_wanted")
TABLE_HEADER = ("set", "claims", "accuracy", "macro-F1", "false-support rate", "evidence-source recall")
ALL_CLAIMS = "all claims"


@dataclass
class EvalReport:
    """Everything `factbot eval` prints."""

    total: int = 0
    correct: int = 0
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {g.value: {p.value: 0 for p in LABELS} for g in LABELS}
    )
    false_support: int = 0
    false_support_base: int = 0
    source_hits: int = 0
    source_wanted: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, record: dict[str, Any], reply: CheckReply) -> None:
        gold, predicted = Verdict(record["label"]), reply.verdict
        self.total += 1
        self.correct += gold is predicted
        self.confusion[gold.value][predicted.value] += 1
        if gold in (Verdict.CONTRADICTED, Verdict.NOT_FOUND):
            self.false_support_base += 1
            self.false_support += predicted is Verdict.SUPPORTED
        cited = {c.source_id for c in reply.citations}
        wanted = set(record.get("sources") or [])
        self.source_wanted += len(wanted)
        self.source_hits += len(wanted & cited)
        if gold is not predicted:
            self.misses.append(
                {"id": record.get("id"), "claim": record["claim"], "gold": gold.value,
                 "predicted": predicted.value, "reasons": [c.reason for c in reply.citations][:3]}
            )  # fmt: skip

    @classmethod
    def combined(cls, reports: Iterable[EvalReport]) -> EvalReport:
        """One report over every claim of `reports` (counts summed, so rates are over all claims)."""
        total = cls()
        for report in reports:
            for name in _COUNTS:
                setattr(total, name, getattr(total, name) + getattr(report, name))
            for gold, row in report.confusion.items():
                for predicted, n in row.items():
                    total.confusion[gold][predicted] += n
            total.misses += report.misses
        return total

    def per_label(self) -> dict[str, dict[str, float]]:
        scores = {}
        for label in LABELS:
            tp = self.confusion[label.value][label.value]
            predicted = sum(self.confusion[g.value][label.value] for g in LABELS)
            actual = sum(self.confusion[label.value].values())
            precision = tp / predicted if predicted else 0.0
            recall = tp / actual if actual else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            scores[label.value] = {"precision": precision, "recall": recall, "f1": f1, "support": actual}
        return scores

    def summary(self) -> dict[str, Any]:
        per_label = self.per_label()
        present = [s["f1"] for s in per_label.values() if s["support"]]
        return {
            "claims": self.total,
            "accuracy": self.correct / self.total if self.total else 0.0,
            "macro_f1": sum(present) / len(present) if present else 0.0,
            "false_support_rate": self.false_support / self.false_support_base
            if self.false_support_base
            else 0.0,
            "evidence_source_recall": self.source_hits / self.source_wanted if self.source_wanted else 0.0,
            "per_verdict": per_label,
            "confusion": self.confusion,
            "misses": self.misses,
        }


def evaluate(bot: Factbot, records: Iterable[dict[str, Any]]) -> EvalReport:
    report = EvalReport()
    for record in records:
        report.add(record, bot.check(record["claim"]))
    return report


def labeled_claims(numbered: Iterable[tuple[int, Any]], *, name: str) -> list[dict[str, Any]]:
    """The records of the labeled set `name` from (line number, value) pairs; raises
    ValidationError naming each line that is not an object with a `claim` and a verdict `label`."""
    records, errors = [], {}
    for number, record in numbered:
        why = _labeled_problem(record)
        if why:
            errors[f"{name} line {number}"] = why
        else:
            records.append(record)
    if errors:
        raise ValidationError(errors)
    return records


def _labeled_problem(record: Any) -> str | None:
    if isinstance(record, Unreadable):
        return record.why
    if not isinstance(record, dict):
        return f"{kind_of(record)}, not a JSON object"
    if not isinstance(record.get("claim"), str):
        return "needs a `claim` string"
    if record.get("label") not in {v.value for v in LABELS}:
        return f"`label` must be one of {', '.join(v.value for v in LABELS)}"
    return None


def eval_table(reports: Sequence[tuple[str, EvalReport]]) -> str:
    """One Markdown table, columns aligned: a row per named labeled set, then the all-claims row.

    | set | claims | accuracy | macro-F1 | false-support rate | evidence-source recall |
    """
    rows = [_table_row(name, report) for name, report in reports]
    rows.append(_table_row(ALL_CLAIMS, EvalReport.combined(report for _, report in reports)))
    widths = [max(len(row[i]) for row in (TABLE_HEADER, *rows)) for i in range(len(TABLE_HEADER))]
    rule = tuple("-" * width if i == 0 else "-" * (width - 1) + ":" for i, width in enumerate(widths))
    return "\n".join(_table_line(cells, widths) for cells in (TABLE_HEADER, rule, *rows))


def _table_row(name: str, report: EvalReport) -> tuple[str, ...]:
    s = report.summary()
    figures = (s["accuracy"], s["macro_f1"], s["false_support_rate"], s["evidence_source_recall"])
    return (name, str(s["claims"]), *(f"{x:.3f}" for x in figures))


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = [
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    ]
    return "| " + " | ".join(padded) + " |"


def several_summaries(reports: Sequence[tuple[str, EvalReport]]) -> dict[str, Any]:
    """`factbot eval --json` over several sets: each set's summary, and the all-claims one."""
    return {
        "sets": [{"set": name, **report.summary()} for name, report in reports],
        "all": EvalReport.combined(report for _, report in reports).summary(),
    }
