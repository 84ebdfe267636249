"""`factbot bench`: the checker at 1k to 1M facts against a full-scan rapidfuzz baseline.

For each size, in a fresh child process (so one size's memory does not count against the next):
write the synthetic store as JSONL (`bench.data`), add its sources with
`Factbot.add_source`, import it with `factbot facts import` in a subprocess (timed, its peak RSS
read), store every fact's analysis with `factbot facts analyse` (timed), then check the same
claims with `Factbot.check` and with the baseline

    process.extract(claim, all_fact_texts, scorer=fuzz.token_set_ratio,
                    processor=utils.default_process, limit=10)

and print latency percentiles, claims per second and recall@10 of the fact each paraphrase came
from. Of Factbot's whole answers also: the share of paraphrases whose answer cites their own fact
("cited"), and the share given the verdict their meaning calls for (`EXPECTED`: supported when
the meaning is kept, contradicted when a number changed). On the largest size, when it is 1M facts
or more, a fresh `factbot check --batch` process is timed to its first answer and over 10,000
claims (so a run of smaller sizes stays quick). Figures are
printed, never asserted.

    >>> run(sizes=[1000], claims=200, workdir=Path("bench-out"))
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bench import data as bench_data
from bench.data import Claim, Meaning
from bot.reply import CheckReply, Verdict
from bot.service import Factbot, understand
from facts.processes import die_with_parent, kill_with_parent
from facts.store import FactStore

__all__ = ["render", "run"]

K = 10
BASELINE_FULL_UP_TO = 100_000  # larger stores: the baseline checks a sample of the claims
BASELINE_SAMPLE = 40
BATCH_CLAIMS = 10_000
BATCH_FROM = 1_000_000  # the fresh-process and --batch targets are set at 1M facts
WARM_UP = 5
# The verdict a paraphrase should get, by what it does to its fact's meaning.
EXPECTED = {Meaning.KEPT: Verdict.SUPPORTED, Meaning.CHANGED_NUMBER: Verdict.CONTRADICTED}


@dataclass
class Timing:
    """Latencies (ms) of one system on one claim set, and the recall@10 of its paraphrases."""

    claims: int
    p50: float
    p95: float
    p99: float
    per_second: float
    recall: float
    paraphrases: int

    @classmethod
    def of(cls, latencies_ms: Sequence[float], hits: Sequence[bool]) -> Timing:
        ordered = sorted(latencies_ms)
        return cls(
            claims=len(ordered),
            p50=percentile(ordered, 50),
            p95=percentile(ordered, 95),
            p99=percentile(ordered, 99),
            per_second=1000 * len(ordered) / sum(ordered) if sum(ordered) else 0.0,
            recall=sum(hits) / len(hits) if hits else 0.0,
            paraphrases=len(hits),
        )


@dataclass(frozen=True)
class Answer:
    """Factbot's whole answer to one paraphrase, as far as the benchmark scores it."""

    meaning: Meaning
    verdict: Verdict
    cited: bool  # the answer cites the paraphrased fact (see `cites`)


@dataclass
class Answers:
    """End-to-end scores of Factbot's answers to the paraphrase claims."""

    paraphrases: int
    cited: float  # share whose answer cites their own fact, whatever the relation
    counts: dict[str, int]  # paraphrases per meaning
    expected: dict[str, float]  # per meaning: share answered with the EXPECTED verdict
    verdicts: dict[str, dict[str, int]]  # per meaning: how many got each verdict

    @classmethod
    def of(cls, answers: Sequence[Answer]) -> Answers:
        by_meaning = {m: [a for a in answers if a.meaning is m] for m in Meaning}
        return cls(
            paraphrases=len(answers),
            cited=_share([a.cited for a in answers]),
            counts={str(m): len(found) for m, found in by_meaning.items()},
            expected={
                str(m): _share([a.verdict is EXPECTED[m] for a in found]) for m, found in by_meaning.items()
            },
            verdicts={str(m): _tally([a.verdict for a in found]) for m, found in by_meaning.items()},
        )


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _tally(verdicts: Sequence[Verdict]) -> dict[str, int]:
    """How many of each verdict, in the enum's order, leaving out those never given."""
    return {str(v): n for v in Verdict if (n := verdicts.count(v))}


@dataclass
class SizeResult:
    """Everything measured for one store size."""

    size: int
    factbot: Timing
    baseline: Timing
    factbot_on_sample: Timing  # Factbot on the baseline's claims, when those are a sample
    answers: Answers  # Factbot's answers to every paraphrase
    answers_on_sample: Answers  # ... to the paraphrases among the baseline's claims
    import_seconds: float
    import_rss_mib: float
    analyse_seconds: float  # `factbot facts analyse` after the import: every fact's analysis stored
    check_rss_mib: float
    db_mib: float
    generate_seconds: float
    first_answer_seconds: float | None = None
    batch: dict[str, float] = field(default_factory=dict)


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values: percentile([1, 2, 3, 4], 50) == 2."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))
    return float(ordered[int(rank) - 1])


def hit(ranked: Sequence[int], wanted: int, k: int = K) -> bool:
    """Whether `wanted` is among the first `k` of `ranked` (recall@k of one claim)."""
    return wanted in ranked[:k]


def cites(reply: CheckReply, fact_id: int, evidence: str) -> bool:
    """Whether the answer cites the fact, with any relation. A citation of another fact with the
    same evidence sentence counts too: the reply cites each sentence once per source."""
    return any(c.fact_id == fact_id or c.quote == evidence for c in reply.citations)


# -- running -----------------------------------------------------------------------------------
def run(
    *, sizes: Sequence[int], claims: int, workdir: Path, echo: Callable[[str], None] = print
) -> list[SizeResult]:
    """Measure every size (each in a fresh process) and print the table."""
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = []
    context = multiprocessing.get_context("spawn")
    for size in sizes:
        echo(f"… {size:,} facts")
        batch = BATCH_CLAIMS if size == max(sizes) >= BATCH_FROM else 0
        with context.Pool(1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            result = pool.apply(measure_size, (size, claims, workdir), {"batch_claims": batch})
        results.append(result)
    minutes = (time.perf_counter() - started) / 60
    report = render(results, minutes=minutes)
    echo(report)
    (workdir / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    (workdir / "results.md").write_text(report + "\n")
    return results


def measure_size(
    size: int,
    claim_count: int,
    workdir: Path,
    *,
    batch_claims: int = 0,
    baseline_sample: int | None = None,
) -> SizeResult:
    """Generate, import and check one store size; see the module docstring."""
    folder = workdir / f"store-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    claims = write_store(size, claim_count, folder / "facts.jsonl")
    generate_seconds = time.perf_counter() - started
    db = folder / "factbot.db"
    add_sources(db)
    import_seconds, import_rss = timed_subprocess(
        _factbot("--db", db, "facts", "import", folder / "facts.jsonl")
    )
    analyse_seconds, _ = timed_subprocess(_factbot("--db", db, "facts", "analyse"))
    first_id = _first_fact_id(db, size)
    factbot = check_with_factbot(db, claims, first_id)
    check_rss = _peak_rss_mib()
    if baseline_sample is None:
        baseline_sample = claim_count if size <= BASELINE_FULL_UP_TO else BASELINE_SAMPLE
    sample = claims[:baseline_sample]
    baseline = check_with_baseline(folder / "facts.jsonl", sample)
    result = SizeResult(
        size=size,
        factbot=factbot.timing,
        baseline=baseline,
        factbot_on_sample=factbot.on(len(sample)),
        answers=factbot.answers_on(len(claims)),
        answers_on_sample=factbot.answers_on(len(sample)),
        import_seconds=import_seconds,
        import_rss_mib=import_rss,
        analyse_seconds=analyse_seconds,
        check_rss_mib=check_rss,
        db_mib=sum(p.stat().st_size for p in folder.glob("factbot.db*")) / 2**20,
        generate_seconds=generate_seconds,
    )
    if batch_claims:
        result.first_answer_seconds = first_answer_seconds(db, claims[0].text)
        result.batch = batch_throughput(db, size, batch_claims, folder)
    return result


def write_store(size: int, claim_count: int, path: Path) -> list[Claim]:
    """Write the store's JSONL and return its claims (their facts collected on the way)."""
    wanted = set(bench_data.paraphrased_indexes(size, claim_count))
    known = {}
    with path.open("w", encoding="utf-8") as out:
        for fact in bench_data.facts(size):
            out.write(json.dumps(fact.record, ensure_ascii=False) + "\n")
            if fact.index in wanted:
                known[fact.index] = fact
    return bench_data.claims(size, claim_count, known=known)


def add_sources(db: Path) -> None:
    """A fresh database holding the synthetic sources (added as a moderator adds them)."""
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    bot = Factbot(FactStore.open(db))
    try:
        for fields in bench_data.sources():
            bot.add_source(fields, actor="bench")
    finally:
        bot.close()


def _factbot(*args: object) -> list[str]:
    return [sys.executable, "-c", "from adapters.cli import main; main()", *map(str, args)]


def timed_subprocess(command: list[str], *, stdout: Any = subprocess.DEVNULL) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a command, which must succeed.

    The peak is the child's own high-water mark (VmHWM) polled while it runs: `ru_maxrss` of a
    forked child also counts the parent's pages from before the exec, which here is the baseline's
    million fact texts."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=stdout, preexec_fn=kill_with_parent)
    peak_kib = 0
    while child.poll() is None:
        peak_kib = max(peak_kib, _high_water_kib(child.pid))
        time.sleep(0.05)
    if child.returncode:
        raise RuntimeError(f"{' '.join(command)} exited with {child.returncode}")
    return time.perf_counter() - started, peak_kib / 1024


def _high_water_kib(pid: int) -> int:
    """VmHWM of a running process in KiB (0 if it is gone or not yet exec'd)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _first_fact_id(db: Path, size: int) -> int:
    """The id of stream fact 0: a fresh store numbers the import 1..size."""
    store = FactStore.open(db)
    try:
        low, high, count = store.db.execute("SELECT min(id), max(id), count(*) FROM facts").fetchone()
    finally:
        store.close()
    if count != size or high - low + 1 != size:
        raise RuntimeError(f"expected {size} facts numbered in a row, found {count} in {low}..{high}")
    return int(low)


@dataclass
class _Checked:
    latencies: list[float]
    hits: list[bool | None]  # None for claims not about a stored fact
    answers: list[Answer | None]  # likewise

    @property
    def timing(self) -> Timing:
        return self.on(len(self.latencies))

    def on(self, count: int) -> Timing:
        return Timing.of(self.latencies[:count], [h for h in self.hits[:count] if h is not None])

    def answers_on(self, count: int) -> Answers:
        return Answers.of([a for a in self.answers[:count] if a is not None])


def check_with_factbot(db: Path, claims: Sequence[Claim], first_id: int) -> _Checked:
    """Time `Factbot.check` per claim and score its answers; recall from the checker's candidates
    (retrieved again, untimed, so the timed check is exactly what users get)."""
    bot = Factbot.open(db)
    try:
        for k in range(WARM_UP):
            bot.check(bench_data.unseen_claim(10_000_000 + k, bench_data.vocabulary()).text)
        bot.warm_up()  # tables a check loads on first need (units, typos): a server loads them at start
        latencies, replies = [], []
        for claim in claims:
            started = time.perf_counter()
            replies.append(bot.check(claim.text))
            latencies.append((time.perf_counter() - started) * 1000)
        hits = [_factbot_hit(bot, claim, first_id) for claim in claims]
        answers = [_answer(bot, claim, reply, first_id) for claim, reply in zip(claims, replies, strict=True)]
    finally:
        bot.close()
    return _Checked(latencies, hits, answers)


def _answer(bot: Factbot, claim: Claim, reply: CheckReply, first_id: int) -> Answer | None:
    if claim.fact_index is None or claim.meaning is None:
        return None
    fact_id = first_id + claim.fact_index
    evidence = bot.store.get_fact(fact_id).evidence
    return Answer(claim.meaning, reply.verdict, cites(reply, fact_id, evidence))


def _factbot_hit(bot: Factbot, claim: Claim, first_id: int) -> bool | None:
    if claim.fact_index is None:
        return None
    _, ids = bot.checker.retrieve(understand(claim.text))
    return hit(ids, first_id + claim.fact_index)


def check_with_baseline(facts_jsonl: Path, claims: Sequence[Claim]) -> Timing:
    """Time the full-scan baseline over every fact's text, in this process."""
    with facts_jsonl.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    latencies, hits = [], []
    for claim in claims:
        started = time.perf_counter()
        found = process.extract(
            claim.text, texts, scorer=fuzz.token_set_ratio, processor=utils.default_process, limit=K
        )
        latencies.append((time.perf_counter() - started) * 1000)
        if claim.fact_index is not None:
            hits.append(hit([index for _, _, index in found], claim.fact_index))
    return Timing.of(latencies, hits)


def first_answer_seconds(db: Path, claim: str) -> float:
    """Seconds from starting `factbot check --batch -` to reading its first answer."""
    started = time.perf_counter()
    child = subprocess.Popen(
        _factbot("--db", db, "check", "--batch", "-"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=kill_with_parent,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(claim + "\n")
    child.stdin.flush()
    child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.stdin.close()
    child.wait()
    return elapsed


def batch_throughput(db: Path, size: int, count: int, folder: Path) -> dict[str, float]:
    """`factbot check --batch` over `count` claims (half paraphrases): claims/s and peak RSS."""
    claims_file = folder / "batch-claims.txt"
    claims = bench_data.claims(size, count)
    claims_file.write_text("".join(c.text + "\n" for c in claims), encoding="utf-8")
    with (folder / "batch-replies.jsonl").open("w") as out:
        seconds, rss = timed_subprocess(_factbot("--db", db, "check", "--batch", claims_file), stdout=out)
    return {"claims": count, "seconds": seconds, "per_second": count / seconds, "rss_mib": rss}


# -- the table ---------------------------------------------------------------------------------
def render(results: Sequence[SizeResult], *, minutes: float) -> str:
    """The benchmark's table as Markdown, with the machine and date."""
    lines = [
        f"Factbot benchmark, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {_machine()}; "
        f"whole run {minutes:.1f} min",
        "",
        "| facts | system | claims | p50 ms | p95 ms | p99 ms | claims/s | recall@10 | cited | "
        "supported (kept) | contradicted (changed number) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines += _timing_rows(r)
    lines += [
        "",
        "| facts | generate s | import s | import peak RSS MiB | analyse s | checker peak RSS MiB | "
        "DB on disk MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.size:,} | {r.generate_seconds:.1f} | {r.import_seconds:.1f} | {r.import_rss_mib:.0f} | "
            f"{r.analyse_seconds:.1f} | {r.check_rss_mib:.0f} | {r.db_mib:.0f} |"
        )
    for r in results:
        if r.first_answer_seconds is not None:
            b = r.batch
            lines += [
                "",
                f"{r.size:,} facts: a fresh `factbot check --batch` process answered its first claim in "
                f"{r.first_answer_seconds:.2f} s; {int(b['claims']):,} claims in {b['seconds']:.1f} s = "
                f"{b['per_second']:.0f} claims/s, peak RSS {b['rss_mib']:.0f} MiB.",
            ]
    lines += ["", *_notes(results)]
    return "\n".join(lines)


def _timing_rows(r: SizeResult) -> list[str]:
    def row(system: str, t: Timing, answers: Answers | None = None) -> str:
        return (
            f"| {r.size:,} | {system} | {t.claims} | {t.p50:.2f} | {t.p95:.2f} | {t.p99:.2f} | "
            f"{t.per_second:,.0f} | {t.recall:.3f} ({t.paraphrases}) | {_answer_cells(answers)} |"
        )

    rows = [row("Factbot whole check", r.factbot, r.answers)]
    sampled = r.baseline.claims < r.factbot.claims
    if sampled:
        rows.append(row("Factbot, baseline's sample", r.factbot_on_sample, r.answers_on_sample))
    rows.append(row("baseline retrieval" + (" (sample)" if sampled else ""), r.baseline))
    mine = r.factbot_on_sample if sampled else r.factbot
    b = r.baseline
    rows.append(
        f"| {r.size:,} | ratio Factbot/baseline | | {_ratio(mine.p50, b.p50)} | {_ratio(mine.p95, b.p95)} | "
        f"{_ratio(mine.p99, b.p99)} | {_ratio(mine.per_second, b.per_second)} | "
        f"{mine.recall - b.recall:+.3f} (diff) | | | |"
    )
    return rows


def _answer_cells(a: Answers | None) -> str:
    """cited | supported (kept) | contradicted (changed number); dashes for the baseline, which
    only retrieves."""
    if a is None:
        return "– | – | –"
    kept, changed = str(Meaning.KEPT), str(Meaning.CHANGED_NUMBER)
    return (
        f"{a.cited:.3f} ({a.paraphrases}) | {a.expected[kept]:.3f} ({a.counts[kept]}) | "
        f"{a.expected[changed]:.3f} ({a.counts[changed]})"
    )


def _ratio(mine: float, theirs: float) -> str:
    return f"{mine / theirs:.4f}" if theirs else "–"


def _notes(results: Sequence[SizeResult]) -> list[str]:
    notes = [
        "recall@10: share of paraphrase claims (count in brackets) whose source fact is among the "
        "first 10 candidates Factbot's retrieval ranks / the baseline returns.",
        "cited: share of paraphrase claims whose whole answer cites their own fact (or another "
        "fact with the same evidence sentence), as support or contradiction.",
        "supported (kept) / contradicted (changed number): share of the paraphrases that keep "
        "their fact's meaning answered supported / of those with one count or day of the month "
        "changed answered contradicted (count in brackets).",
        f"Factbot latencies are warm: {WARM_UP} unrelated claims are checked first, untimed.",
    ]
    notes += [_verdict_note(r) for r in results]
    if not any(r.first_answer_seconds is not None for r in results):
        notes.append(
            f"No fresh-process or `check --batch` timing: they run only when the largest size is "
            f"{BATCH_FROM:,} facts or more."
        )
    for r in results:
        if r.baseline.claims < r.factbot.claims:
            notes.append(
                f"At {r.size:,} facts the baseline ran on the first {r.baseline.claims} of the "
                f"{r.factbot.claims} claims (time); its ratio row compares Factbot on the same claims."
            )
    return [f"- {n}" for n in notes]


def _verdict_note(r: SizeResult) -> str:
    """Verdicts of the paraphrases at one size: '1,000 facts, verdicts — kept: 50 supported, ...'."""
    parts = [
        f"{meaning}: " + ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in counts.items())
        for meaning, counts in r.answers.verdicts.items()
        if counts
    ]
    return f"{r.size:,} facts, verdicts of the paraphrases — " + "; ".join(parts) + "."


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()} {_cpu_model()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
