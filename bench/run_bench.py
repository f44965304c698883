#!/usr/bin/env python3
"""Runs every Casus benchmark against its reference in one invocation and
writes bench/results.json (raw numbers) and bench/RESULTS.md (the table).

Called by scripts/bench.sh after the Release build; see "Benchmarks" in README.md.
Every step is bounded in time; the whole run stays under 10 minutes on a
2-core machine. Server and load generator are pinned to separate cores.
"""
import json
import os
import platform
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build-bench"
CASUS = BUILD / "cli" / "casus"
TBENCH = BUILD / "bench" / "transitions_bench"
FANOUT = BUILD / "bench" / "fanout_bench"
LUA = ROOT / "bench" / "lua"
SERVER_CPU, CLIENT_CPU = "0", "1"

# Sizes and time limits (seconds). Scaled down where the full size cannot
# fit the 10-minute budget; RESULTS.md states what ran.
SIZES = {
    "transition_cases": int(os.environ.get("BENCH_CASES", "40000")),
    "transition_seconds": float(os.environ.get("BENCH_TRANSITION_SECONDS", "20")),
    "raw_seconds": float(os.environ.get("BENCH_RAW_SECONDS", "12")),
    "wrk_seconds": int(os.environ.get("BENCH_WRK_SECONDS", "10")),
    "post_cases": int(os.environ.get("BENCH_POST_CASES", "25000")),
    "fanout_clients": 1000,
    "fanout_rates": [float(r) for r in os.environ.get("BENCH_FANOUT_RATES", "5,20").split(",")],
    "fanout_seconds": 10,
    "scale_cases": int(os.environ.get("BENCH_SCALE_CASES", "1000000")),
    "scale_events_per_case": 5,
}

results = {"sizes": SIZES, "machine": {}, "transitions": [], "https": {}, "fanout": [], "scale": {}}
processes = []


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd, timeout=600, **kw):
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, timeout=timeout, **kw)


def json_lines(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd, **kw):
    p = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    processes.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


def https(port, method, path, body=None, token=None, timeout=10):
    req = urllib.request.Request(f"https://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, context=TLS, timeout=timeout) as r:
        return r.status, r.read()


def wait_ready(port, proc, limit=120):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + proc.stderr.read()[-2000:])
        try:
            if https(port, "GET", "/readyz", timeout=2)[0] == 200:
                return time.monotonic() - t0
        except Exception:
            time.sleep(0.005)
    raise RuntimeError("server not ready in time")


def login(port, data_dir, username="meldpunt.kerkrade"):
    # The TOTP step may only be used once per account: wait for a fresh step when needed.
    for _ in range(3):
        code = run([CASUS, "demo", "totp", "--username", username, "--data-dir", data_dir], cwd=ROOT).stdout.strip().split()[-1]
        try:
            _, body = https(port, "POST", "/api/v1/auth/login",
                            {"username": username, "password": "demo-wachtwoord", "totp": code})
            return json.loads(body)["token"]
        except urllib.error.HTTPError:
            time.sleep(31 - time.time() % 30)
    raise RuntimeError("login failed")


def serve(data_dir, port, config=None, env=None):
    cmd = ["taskset", "-c", SERVER_CPU, CASUS, "serve", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}"]
    if config:
        cmd += ["--config", config]
    t0 = time.monotonic()
    p = start(cmd, cwd=ROOT, env={**os.environ, "CASUS_LOG_LEVEL": "warn", **(env or {})})
    ready = wait_ready(port, p)
    return p, ready, t0


def wrk(url, script, connections, seconds, env=None):
    out = run(["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
               "-s", LUA / script, url], timeout=seconds + 60, env={**os.environ, **(env or {})}).stdout
    for line in out.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):])
    raise RuntimeError("wrk gave no summary:\n" + out)


def rss_kb(pid, field="VmRSS"):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def server_pid(wrapper):
    # taskset execs the server, so the wrapper's pid is the server's.
    return wrapper.pid


# ---------------------------------------------------------------- benchmarks


def bench_transitions(work):
    log("durable transitions: template database")
    templ_dir = work / "template"
    n = SIZES["transition_cases"]
    opened = json_lines(run([TBENCH, "template", templ_dir, n], cwd=ROOT, timeout=300).stdout)[0]
    results["transitions_open"] = opened
    templ = templ_dir / "casus.db"
    fs = json_lines(run([TBENCH, "fsync", work / "fsync", 3], cwd=ROOT).stdout)[0]
    results["fsync"] = fs
    log(f"fsync: {fs['per_s']:.0f}/s; opened {n} cases at {opened['per_s']:.0f}/s")
    limit = SIZES["transition_seconds"]
    for sync in ("FULL", "NORMAL"):
        for subs in (1, 8, 64):
            r = json_lines(run([TBENCH, "service", templ, work / "svc", sync, subs, n, limit], cwd=ROOT,
                               timeout=limit + 120).stdout)[0]
            r["complete"] = r["transitions"] >= n * 5
            results["transitions"].append(r)
            log(f"service {sync} x{subs}: {r['per_s']:.0f}/s ({r['transitions']:.0f} in {r['seconds']:.1f}s)")
        for batch in (1, 64, 256):
            r = json_lines(run([TBENCH, "raw", templ, work / "raw", sync, batch, n, SIZES["raw_seconds"]], cwd=ROOT,
                               timeout=SIZES["raw_seconds"] + 120).stdout)[0]
            r["complete"] = r["transitions"] >= n * 5
            results["transitions"].append(r)
            log(f"raw {sync} batch {batch}: {r['per_s']:.0f}/s")
    # Diagnostic: the same FULL, 64-submitter run with SQLite's temporary
    # files (the per-job savepoint journals, which spill past 64 KiB) on tmpfs.
    if Path("/dev/shm").is_dir():
        r = json_lines(run([TBENCH, "service", templ, work / "svc", "FULL", 64, n, limit], cwd=ROOT,
                           timeout=limit + 120, env={**os.environ, "SQLITE_TMPDIR": "/dev/shm"}).stdout)[0]
        r["bench"] = "service_tmpfs"
        results["transitions"].append(r)
        log(f"service FULL x64, temporary files on tmpfs: {r['per_s']:.0f}/s")
    shutil.rmtree(work / "svc", ignore_errors=True)
    shutil.rmtree(work / "raw", ignore_errors=True)
    shutil.rmtree(templ_dir, ignore_errors=True)


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/tmp; proxy_temp_path {dir}/tmp; fastcgi_temp_path {dir}/tmp;
  uwsgi_temp_path {dir}/tmp; scgi_temp_path {dir}/tmp;
  default_type application/json;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {{ root {dir}/www; }}
  }}
}}
"""


def s_time(port, seconds=5):
    # s_time prints whole real seconds only; the wall time around it is finer.
    t0 = time.monotonic()
    out = run(["taskset", "-c", CLIENT_CPU, "openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new",
               "-time", seconds], timeout=seconds + 60).stdout
    wall = time.monotonic() - t0
    for line in out.splitlines():
        if "real seconds" in line:  # "N connections in T real seconds, ..."
            n = int(line.split()[0])
            return {"connections": n, "wall_seconds": wall, "per_s": n / wall}
    raise RuntimeError("s_time gave no summary:\n" + out)


def bench_https(work):
    data = work / "api"
    run([CASUS, "init", "--demo", "--data-dir", data], cwd=ROOT, timeout=120)
    post_file, fan_file = work / "post_cases.txt", work / "fanout_cases.txt"
    log("https: opening cases for POST and fan-out")
    run([TBENCH, "api-cases", data, SIZES["post_cases"], post_file], cwd=ROOT, timeout=300)
    run([TBENCH, "api-cases", data, 1000 * len(SIZES["fanout_rates"]), fan_file], cwd=ROOT, timeout=120)
    config = work / "bench-server.yaml"
    # 1,000 WebSocket subscribers need more than the default 512 connections.
    config.write_text("server:\n  max_connections: 1200\n")
    port = free_port()
    server, ready_s, _ = serve(data, port, config)
    try:
        token = login(port, data)
        case_id = post_file.read_text().split()[0]
        _, body = https(port, "GET", f"/api/v1/cases/{case_id}", token=token)
        www = work / "nginx" / "www"
        www.mkdir(parents=True)
        (www / "case.json").write_bytes(body)
        results["https"]["case_json_bytes"] = len(body)
        secs = SIZES["wrk_seconds"]
        env = {"BENCH_TOKEN": token, "BENCH_CASE": case_id, "BENCH_CASES_FILE": str(post_file)}
        log("https: wrk GET case")
        results["https"]["casus_get"] = wrk(f"https://127.0.0.1:{port}", "get_case.lua", 64, secs, env)
        log("https: wrk POST transitions")
        results["https"]["casus_post"] = wrk(f"https://127.0.0.1:{port}", "post_transition.lua", 64, secs, env)
        log("https: TLS handshakes against casus")
        results["https"]["casus_handshakes"] = s_time(port)
        fan_cases = fan_file.read_text().split()
        results["fanout"] = []
        for k, rate in enumerate(SIZES["fanout_rates"]):
            log(f"fan-out: 1,000 WebSocket clients, {rate:.0f} transitions/s")
            part = work / f"fanout_cases_{k}.txt"  # unused cases: every transition is a real one
            part.write_text("\n".join(fan_cases[k * 1000:(k + 1) * 1000]) + "\n")
            out = run(["taskset", "-c", CLIENT_CPU, FANOUT, port, token, SIZES["fanout_clients"], part, rate,
                       SIZES["fanout_seconds"]], timeout=180).stdout
            results["fanout"].append(json_lines(out)[0])
        results["https"]["casus_rss_kb"] = rss_kb(server_pid(server), "VmHWM")
    finally:
        stop(server)
    cert, key = data / "tls-cert.pem", data / "tls-key.pem"
    nginx_dir = work / "nginx"
    (nginx_dir / "tmp").mkdir()
    nport = free_port()
    conf = nginx_dir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=nginx_dir, port=nport, cert=cert, key=key))
    nginx = start(["taskset", "-c", SERVER_CPU, "nginx", "-c", conf, "-p", nginx_dir])
    try:
        time.sleep(0.5)
        status, static = https(nport, "GET", "/case.json")
        if status != 200 or len(static) != results["https"]["case_json_bytes"]:
            raise RuntimeError(f"nginx does not serve the case JSON ({status}, {len(static)} bytes)")
        log("https: wrk GET static JSON from nginx")
        results["https"]["nginx_get"] = wrk(f"https://127.0.0.1:{nport}", "get_static.lua", 64, SIZES["wrk_seconds"])
        log("https: TLS handshakes against nginx")
        results["https"]["nginx_handshakes"] = s_time(nport)
    finally:
        stop(nginx)
    sport = free_port()
    s_server = start(["taskset", "-c", SERVER_CPU, "openssl", "s_server", "-quiet", "-cert", cert, "-key", key,
                      "-accept", f"127.0.0.1:{sport}", "-naccept", "1000000"])
    try:
        time.sleep(0.5)
        log("https: TLS handshakes against openssl s_server")
        results["https"]["s_server_handshakes"] = s_time(sport)
    finally:
        stop(s_server)
    shutil.rmtree(data, ignore_errors=True)


def bench_scale(work):
    data = work / "scale"
    run([CASUS, "init", "--demo", "--data-dir", data], cwd=ROOT, timeout=120)
    n, per = SIZES["scale_cases"], SIZES["scale_events_per_case"]
    log(f"scale: generating {n} cases and {n * per} events by SQL")
    t0 = time.monotonic()
    sql = f"CREATE TEMP TABLE bench_params (cases, events_per_case); INSERT INTO bench_params VALUES ({n}, {per});\n"
    sql += (ROOT / "bench" / "scale_seed.sql").read_text()
    subprocess.run(["sqlite3", str(data / "casus.db")], input=sql, text=True, check=True, capture_output=True,
                   timeout=400)
    s = results["scale"]
    s["generate_seconds"] = time.monotonic() - t0
    s["db_bytes"] = sum(f.stat().st_size for f in data.glob("casus.db*"))
    counts = subprocess.run(["sqlite3", str(data / "casus.db"),
                             "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_events), "
                             "(SELECT count(*) FROM persons)"], capture_output=True, text=True, check=True).stdout
    s["cases"], s["events"], s["persons"] = (int(x) for x in counts.strip().split("|"))
    log(f"scale: {s['cases']} cases, {s['events']} events, {s['db_bytes'] / 1e6:.0f} MB in {s['generate_seconds']:.0f}s")
    # Cold-ish start: the file was just written, so it is in the page cache, as after a restart.
    port = free_port()
    server, ready_s, _ = serve(data, port)
    s["startup_seconds"] = ready_s
    s["rss_kb_after_start"] = rss_kb(server_pid(server))
    try:
        token = login(port, data)
        env = {"BENCH_TOKEN": token, "BENCH_PERSONS": str((n + 1) // 2)}
        log("scale: case list with filters")
        s["list"] = wrk(f"https://127.0.0.1:{port}", "list_cases.lua", 4, SIZES["wrk_seconds"], env)
        log("scale: person view")
        s["person"] = wrk(f"https://127.0.0.1:{port}", "person_view.lua", 4, SIZES["wrk_seconds"], env)
        s["rss_kb"] = rss_kb(server_pid(server))
        s["rss_hwm_kb"] = rss_kb(server_pid(server), "VmHWM")
    finally:
        stop(server)
    # The same person views with synchronous=NORMAL: separates the audited
    # read's commit (an fsync per group under FULL) from the query itself.
    port = free_port()
    server, ready_s, _ = serve(data, port, env={"CASUS_SYNCHRONOUS": "NORMAL"})
    s["restart_seconds"] = ready_s
    try:
        log("scale: person view, synchronous=NORMAL")
        s["person_normal"] = wrk(f"https://127.0.0.1:{port}", "person_view.lua", 4, SIZES["wrk_seconds"], env)
    finally:
        stop(server)
    shutil.rmtree(data, ignore_errors=True)


# ------------------------------------------------------------------- report


def ratio(a, b):
    return a / b if b else 0.0


def write_results(total_seconds):
    results["total_seconds"] = total_seconds
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    import report  # bench/report.py: the Markdown table from the raw numbers
    (ROOT / "bench" / "RESULTS.md").write_text(report.render(results))


def main():
    only = set(sys.argv[1:])  # e.g. "transitions https scale" to run a part while developing
    t0 = time.monotonic()
    results["machine"] = {"cpus": os.cpu_count(), "kernel": platform.release(),
                          "load_avg_at_start": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    work = Path(tempfile.mkdtemp(prefix="casus-bench-", dir=os.environ.get("BENCH_TMP", str(ROOT / "build-bench"))))
    work.chmod(0o755)  # nginx's workers (www-data) must reach the static file
    try:
        for name, fn in (("transitions", bench_transitions), ("https", bench_https), ("scale", bench_scale)):
            if not only or name in only:
                t = time.monotonic()
                fn(work)
                results.setdefault("phase_seconds", {})[name] = time.monotonic() - t
    finally:
        for p in processes:
            stop(p)
        shutil.rmtree(work, ignore_errors=True)
        results["machine"]["load_avg_at_end"] = os.getloadavg()
        write_results(time.monotonic() - t0)
    log(f"done in {time.monotonic() - t0:.0f}s: bench/RESULTS.md, bench/results.json")


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, str(ROOT / "bench"))
    main()
