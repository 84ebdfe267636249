"""Quality on labeled claims: accuracy, per-verdict precision/recall/F1, macro-F1, the confusion
matrix, the false-support rate and evidence-source recall."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.reply import CheckReply, Verdict
from bot.service import Factbot

LABELS = tuple(Verdict)


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
