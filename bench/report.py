"""Renders bench/RESULTS.md from the raw numbers run_bench.py collected.

The table has one row per metric: Casus, the reference measured in the
same run, their ratio, the target and whether it was met. The hand-written
explanation of the figures (bench/analysis.md) follows the table.
"""
from pathlib import Path


def _fmt(v, digits=0):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


class Table:
    def __init__(self):
        self.rows = []

    def add(self, metric, casus, reference=None, ref_name="", target="—", met=None, digits=0, ratio=True):
        r = None
        if ratio and isinstance(casus, (int, float)) and isinstance(reference, (int, float)) and reference:
            r = casus / reference
        ref = _fmt(reference, digits) + (f" ({ref_name})" if ref_name and reference is not None else "")
        met_text = "—" if met is None else ("yes" if met else "**no**")
        self.rows.append(f"| {metric} | {_fmt(casus, digits)} | {ref} | {_fmt(r, 2) if r is not None else '—'} | "
                         f"{target} | {met_text} |")

    def render(self):
        head = "| metric | Casus | reference | ratio | target | met? |\n|---|---:|---|---:|---|---|\n"
        return head + "\n".join(self.rows) + "\n"


def _transitions(res, t):
    rows = res.get("transitions", [])
    svc = {(r["sync"], int(r["submitters"])): r for r in rows if r["bench"] == "service"}
    raw = {(r["sync"], int(r["batch"])): r for r in rows if r["bench"] == "raw"}
    fsync = res.get("fsync", {}).get("per_s")
    for sync in ("FULL", "NORMAL"):
        batched = raw.get((sync, 256), {}).get("per_s")
        for subs in (1, 8, 64):
            r = svc.get((sync, subs))
            if not r:
                continue
            label = f"transitions/s, {sync}, {subs} submitter{'s' if subs > 1 else ''}"
            if not r.get("complete"):
                label += f" ({r['transitions']:,.0f} in {r['seconds']:.0f} s)"
            if sync == "FULL" and subs == 64:
                ok = r["per_s"] >= 20000 and batched and r["per_s"] >= 0.5 * batched
                t.add(label, r["per_s"], batched, "raw SQLite, batched", "≥ 20,000/s and ≥ 0.5× batched raw", ok)
            else:
                t.add(label, r["per_s"], batched, "raw SQLite, batched")
            t.add(f"transition latency p99 ms, {sync}, {subs} submitter{'s' if subs > 1 else ''}", r["p99_ms"],
                  digits=2, ratio=False)
            if subs == 64 and r.get("writer_cpu_s"):
                r64 = raw.get((sync, 64), {})
                per = lambda x: 1e6 * x["writer_cpu_s"] / x["transitions"] if x.get("transitions") else None
                t.add(f"writer thread CPU µs per transition, {sync}, 64 submitters", per(r), per(r64) if r64 else None,
                      "raw, 64 per transaction", digits=1)
                t.add(f"writer thread: s on CPU / s waiting for a CPU / wall s, {sync}, 64 submitters",
                      f"{r['writer_cpu_s']:.1f} / {r['writer_runqueue_s']:.1f} / {r['seconds']:.1f}", ratio=False)
            if subs == 64:
                b64 = raw.get((sync, 64), {}).get("bytes_written_per_transition")
                t.add(f"bytes written per transition (WAL + checkpoints), {sync}, 64 submitters",
                      r.get("bytes_written_per_transition"), b64, "raw, 64 per transaction")
        for batch in (1, 64, 256):
            r = raw.get((sync, batch))
            if r:
                label = f"raw SQLite transitions/s, {sync}, " + ("one transaction per row" if batch == 1 else
                                                                 f"{batch} rows per transaction")
                if not r.get("complete"):
                    label += f" ({r['transitions']:,.0f} in {r['seconds']:.0f} s)"
                t.add(label, r["per_s"], fsync if batch == 1 else None, "fsync/s" if batch == 1 else "")
                if batch > 1:
                    t.add(f"bytes written per transition, raw, {sync}, {batch} per transaction",
                          r.get("bytes_written_per_transition"), ratio=False)
    for r in rows:
        if r["bench"] == "service_tmpfs":
            base = svc.get(("FULL", 64), {})
            t.add("diagnostic: transitions/s, FULL, 64 submitters, SQLite temporary files on tmpfs", r["per_s"],
                  base.get("per_s"), "same on disk")
            t.add("diagnostic: bytes written per transition, same run", r.get("bytes_written_per_transition"),
                  base.get("bytes_written_per_transition"), "same on disk")
    if fsync:
        t.add("disk fsync/s (4 KiB overwrite + fdatasync)", fsync)


def _https(res, t):
    h = res.get("https", {})
    get, ngx, post = h.get("casus_get"), h.get("nginx_get"), h.get("casus_post")
    if get and ngx:
        t.add("GET /api/v1/cases/{id} req/s, 64 connections", get["req_per_s"], ngx["req_per_s"], "nginx static",
              "≥ 0.5× nginx", get["req_per_s"] >= 0.5 * ngx["req_per_s"])
        t.add("GET case p50 ms", get["p50_ms"], ngx["p50_ms"], "nginx", digits=2)
        t.add("GET case p99 ms", get["p99_ms"], ngx["p99_ms"], "nginx", "< 10 ms", get["p99_ms"] < 10, digits=2)
        if get["non_2xx"] or get["socket_errors"]:
            t.add("GET case non-2xx / socket errors", f"{get['non_2xx']} / {get['socket_errors']}", ratio=False)
    if post:
        t.add("POST …/transitions req/s, 64 connections", post["req_per_s"], ngx["req_per_s"] if ngx else None,
              "nginx static GET")
        t.add("POST transitions p50 ms", post["p50_ms"], digits=2, ratio=False)
        t.add("POST transitions p99 ms", post["p99_ms"], None, "", "< 10 ms", post["p99_ms"] < 10, digits=2)
        if post["non_2xx"] or post["socket_errors"]:
            t.add("POST non-2xx / socket errors", f"{post['non_2xx']} / {post['socket_errors']}", ratio=False)
    a = h.get("casus_handshakes")
    for key, name in (("nginx_handshakes", "nginx"), ("s_server_handshakes", "openssl s_server")):
        b = h.get(key)
        if a and b:
            t.add("full TLS handshakes/s (openssl s_time -new)", a["per_s"], b["per_s"], name)


def _fanout(res, t):
    for f in res.get("fanout") or []:
        rate = f"{f['connected']:.0f} clients, {f['rate']:.0f} transitions/s"
        t.add(f"events delivered/s ({rate})", f["delivered_per_s"],
              f["connected"] * f["rate"], "clients × rate")
        t.add(f"events delivered / expected ({rate})", f["delivered"], f["expected"], "", "all",
              f["delivered"] >= f["expected"])
        t.add(f"transitions taken / scheduled ({rate})", f["transitions_ok"], f["rate"] * res["sizes"]["fanout_seconds"])
        t.add(f"send-to-receive p50 ms ({rate})", f["p50_ms"], digits=1, ratio=False)
        t.add(f"send-to-receive p99 ms ({rate}; upper bound of commit-to-receive)", f["p99_ms"], f["post_p99_ms"],
              "POST answer p99", "< 50 ms", f["p99_ms"] < 50, digits=1)


def _scale(res, t):
    s = res.get("scale")
    if not s or "cases" not in s:
        return
    t.add("scale: cases / events / persons", f"{s['cases']:,} / {s['events']:,} / {s['persons']:,}", ratio=False)
    t.add("database size MB", s["db_bytes"] / 1e6, digits=0, ratio=False)
    t.add("start to /readyz s", s["startup_seconds"], None, "", "< 1 s", s["startup_seconds"] < 1, digits=3)
    if "rss_hwm_kb" in s:
        t.add("server RSS MB (peak, after the queries)", s["rss_hwm_kb"] / 1024, None, "", "< 200 MB",
              s["rss_hwm_kb"] / 1024 < 200, digits=0)
    if "restart_seconds" in s:
        t.add("restart to /readyz s (page cache warm)", s["restart_seconds"], None, "", "< 1 s",
              s["restart_seconds"] < 1, digits=3)
    for key, label in (("list", "case list (type+state filter, 20/page) p99 ms, 4 connections"),
                       ("person", "person view p99 ms, 4 connections"),
                       ("person_normal", "person view p99 ms, synchronous=NORMAL (diagnostic)")):
        w = s.get(key)
        if w:
            t.add(label, w["p99_ms"], None, "", "< 20 ms", w["p99_ms"] < 20, digits=2)
            t.add(f"{key} p50 ms / req/s", f"{w['p50_ms']:.2f} / {w['req_per_s']:,.0f}", ratio=False)
            if w["non_2xx"] or w["socket_errors"]:
                t.add(f"{key} non-2xx / socket errors", f"{w['non_2xx']} / {w['socket_errors']}", ratio=False)


def render(res):
    m = res.get("machine", {})
    out = ["# Casus benchmark results", "",
           "Generated by `scripts/bench.sh` (bench/run_bench.py); raw numbers in `bench/results.json`.",
           f"Run {m.get('started', '?')} on {m.get('cpus', '?')} CPUs (kernel {m.get('kernel', '?')}), "
           f"total {res.get('total_seconds', 0):.0f} s. Load average at start "
           f"{', '.join(f'{x:.1f}' for x in m.get('load_avg_at_start', []))}, at end "
           f"{', '.join(f'{x:.1f}' for x in m.get('load_avg_at_end', []))}.", "",
           "**Caveat:** this machine was shared with five other jobs compiling C++ while the benchmark ran, so "
           "absolute figures are depressed and noisy; the ratios against the reference measured in the same run "
           "are what carry over.", ""]
    sections = (("Durable transitions (CaseService: case update + event + chained audit entry, group commit)",
                 _transitions),
                ("HTTPS API (wrk keep-alive, server on CPU 0, wrk on CPU 1)", _https),
                ("WebSocket fan-out", _fanout), ("Scale", _scale))
    for title, fn in sections:
        t = Table()
        fn(res, t)
        if t.rows:
            out += [f"## {title}", "", t.render()]
    sizes = res.get("sizes", {})
    out += ["## What ran", "",
            f"- Transitions: {sizes.get('transition_cases', 0):,} IAWW cases × 5 transitions per configuration, "
            f"each configuration capped at {sizes.get('transition_seconds', 0):.0f} s (raw SQLite at "
            f"{sizes.get('raw_seconds', 0):.0f} s); a row that did not finish says how many it did.",
            f"- HTTPS: {sizes.get('wrk_seconds', 0)} s per wrk run, 64 connections, one wrk thread; POSTs go to "
            f"{sizes.get('post_cases', 0):,} prepared cases, one transition each.",
            f"- Fan-out: {sizes.get('fanout_clients', 0)} WebSocket clients in one process, "
            f"{' and '.join(f'{r:.0f}' for r in sizes.get('fanout_rates', []))} transitions/s for "
            f"{sizes.get('fanout_seconds', 0)} s each, taken by 8 paced HTTPS drivers.",
            f"- Scale: {sizes.get('scale_cases', 0):,} cases × {sizes.get('scale_events_per_case', 0)} events "
            "generated by SQL over the project's migrations (`bench/scale_seed.sql`).", ""]
    analysis = Path(__file__).resolve().parent / "analysis.md"
    if analysis.exists():
        out += [analysis.read_text()]
    return "\n".join(out)
