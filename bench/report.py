"""Renders bench/RESULTS.md from the raw numbers run_bench.py collected.

From the top: whether the run is comparable (load average), every target
with met / not met and the cause of each miss, the steps that failed, then
one table per part with one row per metric: Casus, the reference measured
in the same run, their ratio, the figure before the write-path work
(BEFORE), the target and whether it was met. The hand-written explanation
of the figures (bench/analysis.md) follows.

Any figure may be missing: its part was not selected, its step failed, or
results.json comes from an older run_bench.py. A missing figure shows
"failed: …" when a failure recorded in results["failures"] covers the step
that would have produced it (the step names are run_bench.py's), else
"not run".
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

# A run whose 1-minute load average at the start is above this shared the
# CPUs with other work: its absolute figures do not compare with other runs.
LOAD_LIMIT = 1.0

# The figures before the write-path work, for the "before" column. Text as
# measured; the keys are the metric keys of the rows below.
BEFORE = {
    "commit": "22a0174",
    "conditions": "an almost idle machine",
    "figures": {
        "transitions.FULL.64.per_s": "2,891 (raw ×64 11,936; 0.24×)",
        "transitions.FULL.64.writer_cpu_us": "161.8 (raw 37.8; 4.28×)",
        "transitions.FULL.64.bytes": "105,840 (6.37× raw)",
        "https.get.req_per_s": "2,749 (nginx 19,281; 0.14×)",
        "https.get.p99_ms": "46",
        "https.post.req_per_s": "871",
        "https.post.p99_ms": "144",
        "https.handshakes.nginx": "472 (nginx 869; 0.54×)",
        "fanout.5.p99_ms": "100",
        "fanout.20.p99_ms": "27",
        "scale.list.p99_ms": "1,855",
        "scale.person.p99_ms": "619",
        "scale.person_normal.p99_ms": "19",
        "scale.startup_s": "4.3",
        "scale.rss_mb": "111",
    },
}

# The measured cause of a missed target, by metric key, maintained by hand
# after a run has been analysed. A missed target without an entry points to
# bench/analysis.md.
CAUSES = {
    "transitions.FULL.1.per_s": "two thread hand-offs per command (snapshot read on a reader, then the writer's queue) on top of the fsync",
    "transitions.FULL.64.per_s": "per transition over raw: JSON columns of the case row, two state indexes moved on every change, four audit indexes",
    "https.get.req_per_s": "each GET commits its audit entry before answering (NEN 7513): writer 33 %, checkpointer 20 % of the CPU samples",
    "https.get.p99_ms": "the audit commit each read waits for (fsync), shared by the reads of a group",
    "https.post.req_per_s": "the transition's own commit plus the audited-read costs of GET",
    "https.post.p99_ms": "a group commit's fsync behind the queue of 64 connections",
    "fanout.100.delivered": "one TLS record and write per event per subscriber: flat at ~8,700 events/s on one core; coalescing not done",
    "fanout.100.p99_ms": "subscriber queues full (same cause as delivery): slow consumers are closed and their events missed",
    "scale.list.p99_ms": "20 audit entries committed per page, and a first team page of 200 primary-key reads",
    "scale.person.p99_ms": "the WAL commit's fdatasync waits behind the checkpointer's fsync of the 1.5 GB file (NORMAL: 7 ms)",
    "pg.1.1.per_s": "14 round trips per transition (a snapshot read of 7 on a reader, the writer's group of 7) where raw makes 6",
    "pg.1.64.per_s": "CPU, not round trips: per transition a 5-query snapshot read plus the writer's job, raw 4 statements; two round trips less per job (pipeline mode) changed nothing (1,566 → 1,565/s)",
    "pg.1.64.p99_ms": "groups of up to 64 wait for each other's commit behind the one writer connection (p50 close to p99)",
    "pg.2.64.per_s": "the append lock serialises every node's groups (one audit chain in commit order): a second node adds availability, not write throughput",
    "pg.2.64.p99_ms": "each node's group also waits for the other node's commit (the append lock)",
}

# The fan-out targets are set at these rates; other rates are informative.
FANOUT_TARGET_RATES = (20, 100)

NOT_RUN = "not run"


def comparable(machine):
    """Whether the run started on an (almost) idle machine; older results lack the flag."""
    if "comparable" in machine:
        return machine["comparable"]
    load = machine.get("load_avg_at_start")
    return bool(load) and load[0] <= LOAD_LIMIT


# ------------------------------------------------------------------ targets


@dataclass
class Target:
    text: str
    test: Callable  # (casus, reference) -> bool
    needs_reference: bool = False
    of: str = ""  # a ratio target: the reference's name, for "0.26× raw" in the summary


def at_least_times(factor, of):
    return Target(f"≥ {factor}× {of}", lambda c, r: c >= factor * r, needs_reference=True, of=of)


def at_most_times(factor, of):
    return Target(f"≤ {factor}× {of}", lambda c, r: c <= factor * r, needs_reference=True, of=of)


def below(limit, unit):
    return Target(f"< {limit:,} {unit}", lambda c, r: c < limit)


def at_most(limit, unit):
    return Target(f"≤ {limit:,} {unit}", lambda c, r: c <= limit)


ALL_DELIVERED = Target("all delivered", lambda c, r: c >= r, needs_reference=True, of="expected")


# --------------------------------------------------------------------- rows


def _fmt(v, digits=0):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass
class Row:
    key: str  # metric key: BEFORE, CAUSES and the targets summary use it
    label: str
    casus: object  # a number, a text, or None when missing
    step: str  # run_bench.py's step that produces `casus`
    reference: object = None
    ref_name: str = ""
    ref_step: Optional[str] = None  # the step that produces `reference`; None: the row has no reference
    target: Optional[Target] = None
    digits: int = 0
    ratio: bool = True

    def ratio_value(self):
        if self.ratio and _is_number(self.casus) and _is_number(self.reference) and self.reference:
            return self.casus / self.reference
        return None


class Failures:
    """Answers "why is this figure missing" from results["failures"] and results["steps"]."""

    def __init__(self, res):
        self.failures = res.get("failures") or []
        self.completed = res.get("steps") or {}

    @staticmethod
    def _covers(scope, step):
        return step == scope or step.startswith(scope + ".")

    def covering(self, step):
        """The most specific failure of `step` or a step around it, or of a step its part needed."""
        direct = [f for f in self.failures if self._covers(f["step"], step)]
        if direct:
            return max(direct, key=lambda f: len(f["step"]))
        aborted = [f for f in self.failures if f.get("aborts") and self._covers(f["aborts"], step)]
        return aborted[0] if aborted else None

    def missing(self, step, long=True):
        """The text for a figure its step did not produce."""
        f = self.covering(step)
        if f is None:
            # A step that completed but lacks the figure comes from an older run_bench.py.
            return "—" if step in self.completed else NOT_RUN
        if not long:
            return "failed"
        return f"failed: {f['step']}: {f['type']}: {_short(f['message'], 100)}"


def _short(text, n):
    return text if len(text) <= n else text[:n - 1] + "…"


def _status(row, failures):
    """'yes', 'no', or why it could not be judged; None when the row has no target."""
    if row.target is None:
        return None
    if not _is_number(row.casus):
        return failures.missing(row.step, long=False) if row.casus is None else "—"
    if row.target.needs_reference and not _is_number(row.reference):
        return failures.missing(row.ref_step, long=False) if row.ref_step else "—"
    return "yes" if row.target.test(row.casus, row.reference) else "no"


class Table:
    HEAD = (f"| metric | Casus | reference | ratio | before ({BEFORE['commit']}) | target | met? |\n"
            "|---|---:|---|---:|---:|---|---|\n")

    def __init__(self, failures):
        self.failures = failures
        self.rows = []

    def add(self, *args, **kw):
        self.rows.append(Row(*args, **kw))

    def has_content(self):
        """Whether any row has a figure or a failure to show, rather than only "not run"."""
        return any(r.casus is not None or self.failures.covering(r.step) for r in self.rows)

    def _line(self, row):
        f = self.failures
        casus = f.missing(row.step) if row.casus is None else _fmt(row.casus, row.digits)
        if row.ref_step is None or (row.reference is None and row.casus is None and row.ref_step == row.step):
            ref = "—"  # no reference, or one from the same step whose failure the Casus cell already shows
        elif row.reference is None:
            ref = f.missing(row.ref_step)  # the step's name says which reference
        else:
            ref = _fmt(row.reference, row.digits) + (f" ({row.ref_name})" if row.ref_name else "")
        r = row.ratio_value()
        status = _status(row, f)
        met = {None: "—", "yes": "yes", "no": "**no**"}.get(status, status)
        return (f"| {row.label} | {casus} | {ref} | {_fmt(r, 2) if r is not None else '—'} | "
                f"{BEFORE['figures'].get(row.key, '—')} | {row.target.text if row.target else '—'} | {met} |")

    def render(self):
        return self.HEAD + "\n".join(self._line(r) for r in self.rows) + "\n"


# ----------------------------------------------------------------- sections


def _get(d, *path):
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _plural(n):
    return f"{n} submitter{'s' if n > 1 else ''}"


def _incomplete(r):
    """'(n in s)' for a run that stopped at its time limit before doing all its transitions."""
    if r and r.get("complete") is False:
        return f" ({r['transitions']:,.0f} in {r['seconds']:.0f} s)"
    return ""


def _writer_cpu_us(r):
    if r and r.get("writer_cpu_s") is not None and r.get("transitions"):
        return 1e6 * r["writer_cpu_s"] / r["transitions"]
    return None


def _transitions(res, t):
    rows = res.get("transitions") or []
    svc = {(r["sync"], int(r["submitters"])): r for r in rows if r["bench"] == "service"}
    raw = {(r["sync"], int(r["batch"])): r for r in rows if r["bench"] == "raw"}
    fsync = _get(res, "fsync", "per_s")
    for sync in ("FULL", "NORMAL"):
        for subs in (1, 8, 64):
            _service_rows(t, sync, subs, svc.get((sync, subs)), raw)
        for batch in (1, 64, 256):
            _raw_rows(t, sync, batch, raw.get((sync, batch)), fsync)
    base = svc.get(("FULL", 64)) or {}
    tmpfs = next((r for r in rows if r["bench"] == "service_tmpfs"), {})
    step, base_step = "transitions.service_tmpfs", "transitions.service.FULL.64"
    t.add("diag.tmpfs.per_s", "diagnostic: transitions/s, FULL, 64 submitters, SQLite temporary files on tmpfs",
          tmpfs.get("per_s"), step, base.get("per_s"), "same on disk", base_step)
    t.add("diag.tmpfs.bytes", "diagnostic: bytes written per transition, same run",
          tmpfs.get("bytes_written_per_transition"), step, base.get("bytes_written_per_transition"), "same on disk",
          base_step)
    t.add("fsync.per_s", "disk fsync/s (4 KiB overwrite + fdatasync)", fsync, "transitions.fsync")


def _service_rows(t, sync, subs, r, raw):
    """Casus's transitions at one durability and submitter count, against raw SQLite with the same batching."""
    r = r or {}
    key, step = f"transitions.{sync}.{subs}", f"transitions.service.{sync}.{subs}"
    full = sync == "FULL"
    # The reference writes the same rows, one transaction per row for one
    # submitter, 64 per transaction for 64; there is no raw run for 8.
    batch = subs if subs in (1, 64) else None
    ref = raw.get((sync, batch)) or {}
    ref_step = f"transitions.raw.{sync}.{batch}" if batch else None
    ref_name = {1: "raw, one transaction per row", 64: "raw, 64 per transaction"}.get(subs, "")
    target = None
    if full and subs == 64:
        target = at_least_times(0.5, "raw")
    elif full and subs == 1:
        target = at_least_times(0.8, "raw")
    t.add(f"{key}.per_s", f"transitions/s, {sync}, {_plural(subs)}{_incomplete(r)}", r.get("per_s"), step,
          ref.get("per_s"), ref_name, ref_step, target)
    t.add(f"{key}.p99_ms", f"transition latency p99 ms, {sync}, {_plural(subs)}", r.get("p99_ms"), step,
          target=at_most(50, "ms") if full and subs == 64 else None, digits=2, ratio=False)
    if subs != 64:
        return
    t.add(f"{key}.writer_cpu_us", f"writer thread CPU µs per transition, {sync}, 64 submitters", _writer_cpu_us(r),
          step, _writer_cpu_us(ref), ref_name, ref_step, at_most_times(1.5, "raw") if full else None, digits=1)
    busy = None
    if r.get("writer_cpu_s") is not None:
        busy = f"{r['writer_cpu_s']:.1f} / {r['writer_runqueue_s']:.1f} / {r['seconds']:.1f}"
    t.add(f"{key}.writer_time", f"writer thread: s on CPU / s waiting for a CPU / wall s, {sync}, 64 submitters",
          busy, step, ratio=False)
    t.add(f"{key}.bytes", f"bytes written per transition (WAL + checkpoints), {sync}, 64 submitters",
          r.get("bytes_written_per_transition"), step, ref.get("bytes_written_per_transition"), ref_name, ref_step,
          at_most_times(2, "raw") if full else None)


def _raw_rows(t, sync, batch, r, fsync):
    r = r or {}
    step = f"transitions.raw.{sync}.{batch}"
    per = "one transaction per row" if batch == 1 else f"{batch} rows per transaction"
    t.add(f"raw.{sync}.{batch}.per_s", f"raw SQLite transitions/s, {sync}, {per}{_incomplete(r)}", r.get("per_s"),
          step, fsync if batch == 1 else None, "fsync/s" if batch == 1 else "",
          "transitions.fsync" if batch == 1 else None)
    if batch > 1:
        t.add(f"raw.{sync}.{batch}.bytes", f"bytes written per transition, raw, {sync}, {batch} per transaction",
              r.get("bytes_written_per_transition"), step, ratio=False)


def _errors(w):
    """'non-2xx / socket errors' when there were any: they make a wrk figure suspect."""
    if w and (w.get("non_2xx") or w.get("socket_errors")):
        return f"{w['non_2xx']} / {w['socket_errors']}"
    return None


def _https(res, t):
    h = res.get("https") or {}
    get, ngx, post = h.get("casus_get") or {}, h.get("nginx_get") or {}, h.get("casus_post") or {}
    get_step, ngx_step, post_step = "https.casus.get", "https.nginx.get", "https.casus.post"
    t.add("https.get.req_per_s", "GET /api/v1/cases/{id} req/s, 64 connections", get.get("req_per_s"), get_step,
          ngx.get("req_per_s"), "nginx, same JSON and certificate", ngx_step, at_least_times(0.7, "nginx"))
    t.add("https.get.p50_ms", "GET case p50 ms", get.get("p50_ms"), get_step, ngx.get("p50_ms"), "nginx", ngx_step,
          digits=2)
    t.add("https.get.p99_ms", "GET case p99 ms", get.get("p99_ms"), get_step, ngx.get("p99_ms"), "nginx", ngx_step,
          below(25, "ms"), digits=2)
    if _errors(get):
        t.add("https.get.errors", "GET case non-2xx / socket errors", _errors(get), get_step, ratio=False)
    t.add("https.post.req_per_s", "POST …/transitions req/s, 64 connections", post.get("req_per_s"), post_step,
          ngx.get("req_per_s"), "nginx static GET", ngx_step, at_least_times(0.35, "nginx"))
    t.add("https.post.p50_ms", "POST transitions p50 ms", post.get("p50_ms"), post_step, digits=2, ratio=False)
    t.add("https.post.p99_ms", "POST transitions p99 ms", post.get("p99_ms"), post_step, target=below(25, "ms"),
          digits=2, ratio=False)
    if _errors(post):
        t.add("https.post.errors", "POST non-2xx / socket errors", _errors(post), post_step, ratio=False)
    casus = _get(h, "casus_handshakes", "per_s")
    t.add("https.handshakes.nginx", "full TLS handshakes/s (openssl s_time -new)", casus, "https.casus.handshakes",
          _get(h, "nginx_handshakes", "per_s"), "nginx", "https.nginx.handshakes", at_least_times(0.9, "nginx"))
    t.add("https.handshakes.s_server", "full TLS handshakes/s (openssl s_time -new)", casus, "https.casus.handshakes",
          _get(h, "s_server_handshakes", "per_s"), "openssl s_server", "https.s_server.handshakes")


def _fanout_rates(res):
    """The rates this run used, plus the target rates, so that an unmeasured target shows as such."""
    rates = {float(r) for r in _get(res, "sizes", "fanout_rates") or []}
    rates |= {float(f["rate"]) for f in res.get("fanout") or []}
    return sorted(rates | {float(r) for r in FANOUT_TARGET_RATES})


def _fanout(res, t):
    seconds = _get(res, "sizes", "fanout_seconds")
    for rate in _fanout_rates(res):
        f = next((f for f in res.get("fanout") or [] if float(f["rate"]) == rate), {})
        step, key = f"https.casus.fanout.{rate:g}", f"fanout.{rate:g}"
        targeted = rate in FANOUT_TARGET_RATES
        clients = f.get("connected", _get(res, "sizes", "fanout_clients") or 1000)
        what = f"{clients:,.0f} clients, {rate:g} transitions/s"
        expected_per_s = f["connected"] * rate if f else None
        t.add(f"{key}.delivered_per_s", f"events delivered/s ({what})", f.get("delivered_per_s"), step,
              expected_per_s, "clients × rate", step)
        t.add(f"{key}.delivered", f"events delivered / expected ({what})", f.get("delivered"), step,
              f.get("expected"), "", step, ALL_DELIVERED if targeted else None)
        t.add(f"{key}.transitions", f"transitions taken / scheduled ({what})", f.get("transitions_ok"), step,
              rate * seconds if f and seconds else None, "", step)
        t.add(f"{key}.p50_ms", f"send-to-receive p50 ms ({what})", f.get("p50_ms"), step, digits=1, ratio=False)
        t.add(f"{key}.p99_ms", f"send-to-receive p99 ms ({what}; upper bound of commit-to-receive)", f.get("p99_ms"),
              step, f.get("post_p99_ms"), "POST answer p99", step, below(50, "ms") if targeted else None, digits=1)


def _scale(res, t):
    s = res.get("scale") or {}
    counts = None
    if "cases" in s:
        counts = f"{s['cases']:,} / {s['events']:,} / {s['persons']:,}"
    t.add("scale.counts", "scale: cases / events / persons", counts, "scale.seed", ratio=False)
    t.add("scale.db_mb", "database size MB", s["db_bytes"] / 1e6 if "db_bytes" in s else None, "scale.seed",
          ratio=False)
    t.add("scale.startup_s", "start to /readyz s", s.get("startup_seconds"), "scale.full", target=below(1, "s"),
          digits=3, ratio=False)
    t.add("scale.rss_mb", "server RSS MB (peak, after the queries)",
          s["rss_hwm_kb"] / 1024 if "rss_hwm_kb" in s else None, "scale.full", target=below(200, "MB"), ratio=False)
    t.add("scale.restart_s", "restart to /readyz s (page cache warm)", s.get("restart_seconds"), "scale.normal",
          digits=3, ratio=False)
    for key, step, label, limit in (
            ("list", "scale.full.list", "case list (type+state filter, 20/page) p99 ms, 4 connections", 20),
            ("person", "scale.full.person", "person view p99 ms, synchronous=FULL, 4 connections", 60),
            ("person_normal", "scale.normal.person", "person view p99 ms, synchronous=NORMAL, 4 connections", 20)):
        w = s.get(key) or {}
        t.add(f"scale.{key}.p99_ms", label, w.get("p99_ms"), step, target=below(limit, "ms"), digits=2, ratio=False)
        t.add(f"scale.{key}.p50", f"{key} p50 ms / req/s",
              f"{w['p50_ms']:.2f} / {w['req_per_s']:,.0f}" if w else None, step, ratio=False)
        if _errors(w):
            t.add(f"scale.{key}.errors", f"{key} non-2xx / socket errors", _errors(w), step, ratio=False)


def _postgres(res, t):
    """PostgreSQL: one and two nodes against raw libpq writing the same rows, then GET, POST and fan-out."""
    pg = res.get("postgres") or {}
    rows = pg.get("transitions") or []
    svc = {(int(r["nodes"]), int(r["submitters"])): r for r in rows if r["bench"] == "pg_service"}
    raw = {(int(r["batch"]), int(r["pipeline"])): r for r in rows if r["bench"] == "pg_raw"}
    one, r64, pipe = raw.get((1, 0)) or {}, raw.get((64, 0)) or {}, raw.get((64, 1)) or {}
    one_step, r64_step, pipe_step = "postgres.raw.1.0", "postgres.raw.64.0", "postgres.raw.64.1"
    for nodes, subs, ref, ref_name, ref_step in (
            (1, 1, one, "raw libpq, one transaction per row", one_step),
            (1, 64, r64, "raw libpq, 64 per transaction", r64_step),
            (2, 64, r64, "raw libpq, 64 per transaction", r64_step)):
        r = svc.get((nodes, subs)) or {}
        step = f"postgres.service.{nodes}.{subs // nodes}"
        where = "1 node" if nodes == 1 else f"{nodes} nodes × {subs // nodes}"
        key = f"pg.{nodes}.{subs}"
        target = at_least_times(0.5, "raw") if subs == 64 else at_least_times(0.8, "raw")
        t.add(f"{key}.per_s", f"PostgreSQL transitions/s, {where}, {_plural(subs)}{_incomplete(r)}", r.get("per_s"),
              step, ref.get("per_s"), ref_name, ref_step, target)
        t.add(f"{key}.p99_ms", f"PostgreSQL transition latency p99 ms, {where}, {_plural(subs)}", r.get("p99_ms"), step,
              target=at_most(50, "ms") if subs == 64 else None, digits=2, ratio=False)
        if subs == 64:
            whose = "its writer" if nodes == 1 else "both nodes' writers"
            t.add(f"{key}.writer_cpu_us", f"writer thread CPU µs per transition, {where} ({whose})",
                  _writer_cpu_us(r), step, _writer_cpu_us(r64), ref_name, r64_step, digits=1)
    sqlite = next((r for r in res.get("transitions") or []
                   if r["bench"] == "service" and r["sync"] == "FULL" and int(r["submitters"]) == 64), {})
    t.add("pg.vs_sqlite", "PostgreSQL transitions/s, 1 node, 64 submitters, against SQLite FULL ×64 of this run",
          (svc.get((1, 64)) or {}).get("per_s"), "postgres.service.1.64", sqlite.get("per_s"), "SQLite FULL ×64",
          "transitions.service.FULL.64")
    t.add("pg.raw.1.per_s", f"raw libpq transitions/s, one transaction per row{_incomplete(one)}", one.get("per_s"),
          one_step)
    t.add("pg.raw.64.per_s", f"raw libpq transitions/s, 64 per transaction{_incomplete(r64)}", r64.get("per_s"),
          r64_step)
    t.add("pg.raw.pipeline.per_s", f"raw libpq transitions/s, 64 per transaction, pipeline mode{_incomplete(pipe)}",
          pipe.get("per_s"), pipe_step, r64.get("per_s"), "same without pipeline mode", r64_step)
    h = pg.get("https") or {}
    sq = res.get("https") or {}
    get, post = h.get("casus_get") or {}, h.get("casus_post") or {}
    ngx = sq.get("nginx_get") or {}
    t.add("pg.get.req_per_s", "PostgreSQL: GET /api/v1/cases/{id} req/s, 64 connections", get.get("req_per_s"),
          "postgres.casus.get", ngx.get("req_per_s"), "nginx (https part)", "https.nginx.get")
    t.add("pg.get.vs_sqlite", "PostgreSQL: GET case req/s against SQLite's of this run", get.get("req_per_s"),
          "postgres.casus.get", _get(sq, "casus_get", "req_per_s"), "SQLite", "https.casus.get")
    t.add("pg.get.p99_ms", "PostgreSQL: GET case p99 ms", get.get("p99_ms"), "postgres.casus.get", digits=2,
          ratio=False)
    t.add("pg.post.req_per_s", "PostgreSQL: POST …/transitions req/s, 64 connections", post.get("req_per_s"),
          "postgres.casus.post", _get(sq, "casus_post", "req_per_s"), "SQLite", "https.casus.post")
    t.add("pg.post.p99_ms", "PostgreSQL: POST transitions p99 ms", post.get("p99_ms"), "postgres.casus.post",
          digits=2, ratio=False)
    for f in pg.get("fanout") or []:
        what = f"{f['connected']:,.0f} clients, {float(f['rate']):g} transitions/s"
        step = f"postgres.casus.fanout.{float(f['rate']):g}"
        t.add("pg.fanout.delivered", f"PostgreSQL: events delivered / expected ({what})", f.get("delivered"), step,
              f.get("expected"), "", step)
        t.add("pg.fanout.p99_ms", f"PostgreSQL: send-to-receive p99 ms ({what})", f.get("p99_ms"), step,
              f.get("post_p99_ms"), "POST answer p99", step, digits=1)


SECTIONS = (
    ("Durable transitions (CaseService: case update + event + chained audit entry, group commit)", _transitions),
    ("HTTPS API (wrk keep-alive, server on CPU 0, wrk on CPU 1)", _https),
    ("WebSocket fan-out", _fanout),
    ("Scale", _scale),
    ("PostgreSQL: one and two nodes on one database", _postgres),
)


# ------------------------------------------------------------------- header


def _loads(values):
    return ", ".join(f"{x:.2f}" for x in values) if values else "not recorded"


def _comparability(res):
    m = res.get("machine", {})
    start, end = m.get("load_avg_at_start"), m.get("load_avg_at_end")
    loads = f"Load average (1, 5, 15 min) at start {_loads(start)}; at end {_loads(end)}."
    if not start:
        return [f"**Comparability unknown:** the load average at the start was not recorded. {loads}"]
    if not comparable(m):
        return [f"**NOT COMPARABLE:** the 1-minute load average at the start was {start[0]:.2f} (> {LOAD_LIMIT}): "
                "other work shared the CPUs, so absolute figures are depressed and noisy and do not compare with "
                "other runs; only ratios against the references measured in the same run carry over, roughly. "
                + loads]
    return [f"Comparable: the 1-minute load average at the start was {start[0]:.2f} (≤ {LOAD_LIMIT}). " + loads]


def _targets_summary(tables, failures):
    """Every target at a glance; a miss names its measured cause (CAUSES) or points to bench/analysis.md."""
    lines = [f"| target | Casus | before ({BEFORE['commit']}) | met? | cause |", "|---|---:|---:|---|---|"]
    counts = {}
    for t in tables:
        for row in t.rows:
            status = _status(row, failures)
            if status is None:
                continue
            counts[status] = counts.get(status, 0) + 1
            measured = _fmt(row.casus, row.digits) if row.casus is not None else "—"
            if row.target.of and row.ratio_value() is not None:
                measured += f" ({row.ratio_value():.2f}× {row.target.of})"
            if status == "yes":
                met, cause = "yes", ""
            elif status == "no":
                met, cause = "**no**", CAUSES.get(row.key, "see bench/analysis.md")
            elif status == "failed":  # not measured: say why
                met, cause = status, failures.missing(row.step if row.casus is None else row.ref_step)
            else:
                met, cause = status, ""
            lines.append(f"| {row.label}: {row.target.text} | {measured} | {BEFORE['figures'].get(row.key, '—')} | "
                         f"{met} | {cause} |")
    names = {"yes": "met", "no": "not met", "failed": "failed", NOT_RUN: NOT_RUN}
    tally = ", ".join(f"{counts[s]} {name}" for s, name in names.items() if counts.get(s))
    return [f"## Targets ({tally})", "", "Ratios are against the reference measured in the same run.", "",
            *lines, ""]


def _failures_section(res):
    failures = res.get("failures") or []
    if not failures:
        return []
    out = ["## Failed steps", "",
           "These steps failed or ran past their time limit; the rows they would have produced say "
           "\"failed: …\", and the other steps ran.", ""]
    for f in failures:
        aborts = f"; the rest of part `{f['aborts']}` was skipped" if f.get("aborts") else ""
        out.append(f"- `{f['step']}` after {f.get('after_seconds', 0):.0f} s: {f['type']}: {f['message']}{aborts}")
    return out + [""]


def _what_ran(res):
    sizes = res.get("sizes", {})
    parts = res.get("parts")
    out = ["## What ran", ""]
    if parts is not None:
        out.append(f"- Parts: {', '.join(parts) if parts else 'none'}.")
    out += [f"- Transitions: {sizes.get('transition_cases', 0):,} IAWW cases × 5 transitions per configuration, "
            f"each configuration capped at {sizes.get('transition_seconds', 0):.0f} s (raw SQLite at "
            f"{sizes.get('raw_seconds', 0):.0f} s); a row that did not finish says how many it did.",
            f"- HTTPS: {sizes.get('wrk_seconds', 0)} s per wrk run, 64 connections, one wrk thread; POSTs go to "
            f"{sizes.get('post_cases', 0):,} prepared cases, one transition each.",
            f"- Fan-out: {sizes.get('fanout_clients', 0)} WebSocket clients in one process, "
            f"{' and '.join(f'{r:g}' for r in sizes.get('fanout_rates', []))} transitions/s for "
            f"{sizes.get('fanout_seconds', 0)} s each, taken by 8 paced HTTPS drivers.",
            f"- Scale: {sizes.get('scale_cases', 0):,} cases × {sizes.get('scale_events_per_case', 0)} events "
            "generated by SQL over the project's migrations (`bench/scale_seed.sql`).",
            f"- PostgreSQL: {_get(res, 'postgres', 'server', 'version') or 'PostgreSQL 15'} on the same disk, "
            f"{_get(res, 'postgres', 'server', 'settings') or 'initdb defaults'}; the same {sizes.get('transition_cases', 0):,} "
            "cases, each run on a fresh copy of one template database; \"2 nodes\" are two processes, each with its "
            "own store and group writer as `casus serve` has, on one database; GET, POST and fan-out (first rate "
            "only) against `casus serve` on PostgreSQL, server on CPU 0, PostgreSQL not pinned.",
            f"- Before: the \"before\" column is commit {BEFORE['commit']}, measured on {BEFORE['conditions']}.", ""]
    return out


def render(res):
    m = res.get("machine", {})
    failures = Failures(res)
    tables = []
    for title, fn in SECTIONS:
        t = Table(failures)
        fn(res, t)
        tables.append((title, t))
    out = ["# Casus benchmark results", "",
           "Generated by `scripts/bench.sh` (bench/run_bench.py); raw numbers in `bench/results.json`.",
           f"Run {m.get('started', '?')} on {m.get('cpus', '?')} CPUs (kernel {m.get('kernel', '?')}), "
           f"total {res.get('total_seconds', 0):.0f} s.", "", *_comparability(res), ""]
    out += _targets_summary([t for _, t in tables], failures)
    out += _failures_section(res)
    for title, t in tables:
        out += [f"## {title}", ""]
        # A part that neither ran nor failed gets one line, not a table of "not run".
        out += [t.render()] if t.has_content() else ["Not run.", ""]
    out += _what_ran(res)
    analysis = Path(__file__).resolve().parent / "analysis.md"
    if analysis.exists():
        out += [analysis.read_text()]
    return "\n".join(out)
