#!/usr/bin/env python3
"""Runs every Casus benchmark against its reference in one invocation and
writes bench/results.json (raw numbers) and bench/RESULTS.md (the table).

Called by scripts/bench.sh after the Release build; see "Benchmarks" in README.md.
The whole run stays under 15 minutes on a 2-core machine. Server and load
generator are pinned to separate cores.

Every part and every step inside it is a `step()`: bounded in time, and a
failure (an exception or running past the limit) is recorded in
results["failures"] and stops the processes the step started, while the
remaining steps and parts still run and report. RESULTS.md shows the
failure in the rows the step would have produced. Step names are dotted
paths ("https.nginx.handshakes"); bench/report.py uses the same names.

The load average is logged at the start and the end; a run that starts with
a 1-minute load average above report.LOAD_LIMIT is marked not comparable.
"""
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build-bench"
CASUS = BUILD / "cli" / "casus"
TBENCH = BUILD / "bench" / "transitions_bench"
FANOUT = BUILD / "bench" / "fanout_bench"
PGBENCH = BUILD / "bench" / "pg_transitions_bench"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LUA = ROOT / "bench" / "lua"
SERVER_CPU, CLIENT_CPU = "0", "1"

# Sizes and time limits (seconds). Scaled down where the full size cannot
# fit the 15-minute budget; RESULTS.md states what ran.
SIZES = {
    "transition_cases": int(os.environ.get("BENCH_CASES", "40000")),
    "transition_seconds": float(os.environ.get("BENCH_TRANSITION_SECONDS", "20")),
    "raw_seconds": float(os.environ.get("BENCH_RAW_SECONDS", "12")),
    "wrk_seconds": int(os.environ.get("BENCH_WRK_SECONDS", "10")),
    "post_cases": int(os.environ.get("BENCH_POST_CASES", "25000")),
    "fanout_clients": 1000,
    "fanout_rates": [float(r) for r in os.environ.get("BENCH_FANOUT_RATES", "20,100").split(",")],
    "fanout_seconds": 10,
    "scale_cases": int(os.environ.get("BENCH_SCALE_CASES", "1000000")),
    "scale_events_per_case": 5,
}

# Upper bound of each part. They only stop a hung part: a normal run takes
# well under half of each (265 / 150 / 126 s on a heavily loaded machine).
PART_LIMITS = {
    "transitions": float(os.environ.get("BENCH_TRANSITIONS_LIMIT", "900")),
    "https": float(os.environ.get("BENCH_HTTPS_LIMIT", "900")),
    "scale": float(os.environ.get("BENCH_SCALE_LIMIT", "720")),
    "postgres": float(os.environ.get("BENCH_POSTGRES_LIMIT", "900")),
}

results = {"sizes": SIZES, "machine": {}, "parts": [], "transitions": [], "https": {}, "fanout": [], "scale": {},
           "postgres": {"transitions": [], "https": {}, "fanout": []}, "steps": {}, "failures": []}
processes = []
# Bearer tokens this run obtained: never written into a failure message.
SECRETS = set()


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd, timeout=600, **kw):
    # On a timeout (or any exception) subprocess.run kills the child itself.
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


def put(where, key, value):
    """Stores a step's result; a failed step (None) leaves the key out, as older runs did."""
    if value is not None:
        where[key] = value


# ------------------------------------------------------------------- steps


class StepTimeout(Exception):
    """Raised (from SIGALRM, in the main thread) when a step runs past its limit."""

    def __init__(self, name, limit):
        super().__init__(f"ran past its limit of {limit:.0f} s")
        self.step = name


class PartAborted(Exception):
    """A step the rest of its part depends on failed; the failure is already recorded."""


class _Deadline:
    def __init__(self, name, limit):
        self.name, self.limit, self.at, self.fired = name, limit, time.monotonic() + limit, False


_deadlines = []  # of the steps now running, outermost first


def _arm():
    """Sets the one interval timer to the nearest deadline that has not fired yet."""
    pending = [d.at for d in _deadlines if not d.fired]
    delay = max(min(pending) - time.monotonic(), 0.001) if pending else 0
    signal.setitimer(signal.ITIMER_REAL, delay)


def _on_alarm(signum, frame):
    now = time.monotonic()
    expired = [d for d in _deadlines if not d.fired and d.at <= now + 0.01]
    for d in expired:
        d.fired = True  # each deadline raises once, so cleanup after it is not interrupted again
    _arm()
    if expired:
        # The outermost expired step is over, and with it every step inside it.
        raise StepTimeout(expired[0].name, expired[0].limit)


def _command_name(cmd):
    """The program and its sub-command ("openssl s_time"), never its other arguments (tokens, paths)."""
    args = [str(a) for a in cmd] if isinstance(cmd, (list, tuple)) else str(cmd).split()
    if args[:1] == ["taskset"]:
        args = args[3:]
    if not args:
        return "command"
    words = itertools.takewhile(lambda a: re.fullmatch(r"[a-z][a-z_-]*", a), args[1:3])
    return " ".join([Path(args[0]).name, *words])


def describe(error):
    """A one-line, short message for results.json: what failed, without secrets."""
    if isinstance(error, subprocess.TimeoutExpired):
        text = f"{_command_name(error.cmd)} did not finish within {error.timeout:.0f} s"
    elif isinstance(error, subprocess.CalledProcessError):
        text = f"{_command_name(error.cmd)} exited with status {error.returncode}"
        if isinstance(error.stderr, str) and error.stderr.strip():
            text += ": " + error.stderr.strip().splitlines()[-1]
    else:
        text = str(error) or type(error).__name__
    for secret in SECRETS:
        text = text.replace(secret, "<token>")
    text = re.sub(r"(?i)(bearer\s+)\S+", r"\1<token>", text)
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:299] + "…"


def _record_failure(name, error, seconds, required):
    failure = {"step": name, "type": type(error).__name__, "message": describe(error),
               "after_seconds": round(seconds, 1)}
    if required:
        failure["aborts"] = name.split(".")[0]  # the rows of the whole part show this failure
    results["failures"].append(failure)
    log(f"FAILED {name} after {seconds:.0f} s: {failure['type']}: {failure['message']}"
        + (f"; the rest of '{failure['aborts']}' is skipped" if required else ""))


def step(name, limit, fn, *args, required=False):
    """Runs fn(*args) as the step `name`, bounded by `limit` seconds; returns its value.

    On failure the step is recorded in results["failures"], the processes it
    started are stopped and it returns None, so the steps after it still run.
    required=True: the rest of the part needs this step's value, so its
    failure ends the part (which then returns quietly).
    """
    first_process = len(processes)
    started = time.monotonic()
    deadline = _Deadline(name, limit)
    _deadlines.append(deadline)
    _arm()
    failed = False
    try:
        value = fn(*args)
        results["steps"][name] = round(time.monotonic() - started, 1)
        return value
    except PartAborted:
        if "." in name:
            raise  # up to the part, which ends quietly
        return None
    except Exception as e:  # noqa: BLE001 - any failure of one step must not take the run down
        deadline.fired = True  # no second timeout while this failure is recorded
        if isinstance(e, StepTimeout) and e.step != name and "." in name:
            raise  # an enclosing step ran out of time; it records the failure
        failed = True
        _record_failure(name, e, time.monotonic() - started, required)
    finally:
        deadline.fired = True
        del _deadlines[_deadlines.index(deadline):]  # with any inner step's left behind by an interruption
        _arm()
        # A step owns the processes it started: a failed step leaves none behind.
        for p in processes[first_process:]:
            stop(p)
        del processes[first_process:]
    if failed and required:
        raise PartAborted(name)
    return None


# ------------------------------------------------------------------ helpers


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
        except StepTimeout:
            raise  # the step's time is up: not a "not ready yet"
        except Exception:
            time.sleep(0.005)
    raise RuntimeError("server not ready in time")


def login(port, data_dir, username="meldpunt.kerkrade"):
    # The TOTP step may only be used once per account: wait for a fresh step when needed.
    for _ in range(3):
        code = run([CASUS, "demo", "totp", "--username", username, "--data-dir", data_dir], cwd=ROOT,
                   timeout=60).stdout.strip().split()[-1]
        try:
            _, body = https(port, "POST", "/api/v1/auth/login",
                            {"username": username, "password": "demo-wachtwoord", "totp": code})
            token = json.loads(body)["token"]
            SECRETS.add(token)
            return token
        except urllib.error.HTTPError:
            time.sleep(31 - time.time() % 30)
    raise RuntimeError("login failed")


# Bound of serve(): wait_ready's 120 s plus the process start.
SERVE_LIMIT = 130
# Bound of login(): three TOTP steps of 30 s plus the calls.
LOGIN_LIMIT = 150


def serve(data_dir, port, config=None, env=None):
    cmd = ["taskset", "-c", SERVER_CPU, CASUS, "serve", "--data-dir", data_dir, "--listen", f"127.0.0.1:{port}"]
    if config:
        cmd += ["--config", config]
    t0 = time.monotonic()
    p = start(cmd, cwd=ROOT, env={**os.environ, "CASUS_LOG_LEVEL": "warn", **(env or {})})
    ready = wait_ready(port, p)
    return p, ready, t0


def wrk_limit(seconds):
    """Step limit around wrk(): a little more than its own subprocess timeout."""
    return seconds + 75


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
    templ_dir = work / "template"
    n = SIZES["transition_cases"]
    templ = step("transitions.template", 315, make_template, templ_dir, n, required=True)
    put(results, "fsync", step("transitions.fsync", 75, measure_fsync, work))
    limit = SIZES["transition_seconds"]
    for sync in ("FULL", "NORMAL"):
        for subs in (1, 8, 64):
            r = step(f"transitions.service.{sync}.{subs}", limit + 135, transitions_service, work, templ, sync,
                     subs, n)
            put_transitions(r)
        for batch in (1, 64, 256):
            r = step(f"transitions.raw.{sync}.{batch}", SIZES["raw_seconds"] + 135, transitions_raw, work, templ,
                     sync, batch, n)
            put_transitions(r)
    # Diagnostic: the same FULL, 64-submitter run with SQLite's temporary
    # files (the per-job savepoint journals, which spill past 64 KiB) on tmpfs.
    if Path("/dev/shm").is_dir():
        put_transitions(step("transitions.service_tmpfs", limit + 135, transitions_tmpfs, work, templ, n))
    shutil.rmtree(work / "svc", ignore_errors=True)
    shutil.rmtree(work / "raw", ignore_errors=True)
    shutil.rmtree(templ_dir, ignore_errors=True)


def put_transitions(row):
    if row is not None:
        results["transitions"].append(row)


def make_template(templ_dir, n):
    log("durable transitions: template database")
    opened = json_lines(run([TBENCH, "template", templ_dir, n], cwd=ROOT, timeout=300).stdout)[0]
    results["transitions_open"] = opened
    log(f"opened {n} cases at {opened['per_s']:.0f}/s")
    return templ_dir / "casus.db"


def measure_fsync(work):
    fs = json_lines(run([TBENCH, "fsync", work / "fsync", 3], cwd=ROOT, timeout=60).stdout)[0]
    log(f"fsync: {fs['per_s']:.0f}/s")
    return fs


def transitions_service(work, templ, sync, subs, n):
    limit = SIZES["transition_seconds"]
    r = json_lines(run([TBENCH, "service", templ, work / "svc", sync, subs, n, limit], cwd=ROOT,
                       timeout=limit + 120).stdout)[0]
    r["complete"] = r["transitions"] >= n * 5
    log(f"service {sync} x{subs}: {r['per_s']:.0f}/s ({r['transitions']:.0f} in {r['seconds']:.1f}s)")
    return r


def transitions_raw(work, templ, sync, batch, n):
    # The raw SQLite reference: the same rows, written without Casus.
    r = json_lines(run([TBENCH, "raw", templ, work / "raw", sync, batch, n, SIZES["raw_seconds"]], cwd=ROOT,
                       timeout=SIZES["raw_seconds"] + 120).stdout)[0]
    r["complete"] = r["transitions"] >= n * 5
    log(f"raw {sync} batch {batch}: {r['per_s']:.0f}/s")
    return r


def transitions_tmpfs(work, templ, n):
    limit = SIZES["transition_seconds"]
    r = json_lines(run([TBENCH, "service", templ, work / "svc", "FULL", 64, n, limit], cwd=ROOT,
                       timeout=limit + 120, env={**os.environ, "SQLITE_TMPDIR": "/dev/shm"}).stdout)[0]
    r["bench"] = "service_tmpfs"
    log(f"service FULL x64, temporary files on tmpfs: {r['per_s']:.0f}/s")
    return r


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

S_TIME_SECONDS = 5
S_TIME_LIMIT = S_TIME_SECONDS + 75  # step limit: a little more than s_time's own subprocess timeout


def s_time(port, seconds=S_TIME_SECONDS):
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


def fanout_case_counts():
    """Cases per fan-out rate: one unused case for every transition the run schedules."""
    return [int(rate * SIZES["fanout_seconds"]) + 2 for rate in SIZES["fanout_rates"]]


def bench_https(work):
    api = step("https.setup", 555, prepare_api, work, required=True)
    wrk_s = wrk_limit(SIZES["wrk_seconds"])
    casus_limit = SERVE_LIMIT + LOGIN_LIMIT + 2 * wrk_s + S_TIME_LIMIT + FANOUT_LIMIT * len(SIZES["fanout_rates"])
    case_json = step("https.casus", casus_limit, measure_casus, work, api)
    step("https.nginx", wrk_s + S_TIME_LIMIT + 60, measure_nginx, work, api, case_json)
    step("https.s_server", S_TIME_LIMIT + 30, measure_s_server, api)
    shutil.rmtree(api["data"], ignore_errors=True)


def prepare_api(work):
    data = work / "api"
    run([CASUS, "init", "--demo", "--data-dir", data], cwd=ROOT, timeout=120)
    post_file, fan_file = work / "post_cases.txt", work / "fanout_cases.txt"
    log("https: opening cases for POST and fan-out")
    run([TBENCH, "api-cases", data, SIZES["post_cases"], post_file], cwd=ROOT, timeout=300)
    run([TBENCH, "api-cases", data, sum(fanout_case_counts()), fan_file], cwd=ROOT, timeout=120)
    config = work / "bench-server.yaml"
    # 1,000 WebSocket subscribers need more than the default 512 connections.
    config.write_text("server:\n  max_connections: 1200\n")
    return {"data": data, "post_file": post_file, "fan_file": fan_file, "config": config}


def measure_casus(work, api):
    """Casus's own HTTPS figures and the fan-out; returns the case JSON nginx serves as its reference."""
    port = free_port()
    server, _, _ = serve(api["data"], port, api["config"])
    try:
        token = login(port, api["data"])
        case_id = api["post_file"].read_text().split()[0]
        _, body = https(port, "GET", f"/api/v1/cases/{case_id}", token=token)
        results["https"]["case_json_bytes"] = len(body)
        url, secs = f"https://127.0.0.1:{port}", SIZES["wrk_seconds"]
        env = {"BENCH_TOKEN": token, "BENCH_CASE": case_id, "BENCH_CASES_FILE": str(api["post_file"])}
        log("https: wrk GET case")
        put(results["https"], "casus_get", step("https.casus.get", wrk_limit(secs), wrk, url, "get_case.lua", 64,
                                                secs, env))
        log("https: wrk POST transitions")
        put(results["https"], "casus_post", step("https.casus.post", wrk_limit(secs), wrk, url,
                                                 "post_transition.lua", 64, secs, env))
        log("https: TLS handshakes against casus")
        put(results["https"], "casus_handshakes", step("https.casus.handshakes", S_TIME_LIMIT, s_time, port))
        fan_cases = api["fan_file"].read_text().split()
        first = 0
        for k, (rate, count) in enumerate(zip(SIZES["fanout_rates"], fanout_case_counts())):
            part = work / f"fanout_cases_{k}.txt"  # unused cases: every transition is a real one
            part.write_text("\n".join(fan_cases[first:first + count]) + "\n")
            first += count
            put_fanout(step(f"https.casus.fanout.{rate:g}", FANOUT_LIMIT, fanout, port, token, part, rate))
        results["https"]["casus_rss_kb"] = rss_kb(server_pid(server), "VmHWM")
    finally:
        stop(server)
    return body


FANOUT_LIMIT = 200  # step limit: a little more than fanout_bench's own subprocess timeout


def fanout(port, token, cases_file, rate):
    log(f"fan-out: {SIZES['fanout_clients']:,} WebSocket clients, {rate:g} transitions/s")
    out = run(["taskset", "-c", CLIENT_CPU, FANOUT, port, token, SIZES["fanout_clients"], cases_file, rate,
               SIZES["fanout_seconds"]], timeout=180).stdout
    return json_lines(out)[0]


def put_fanout(row):
    if row is not None:
        results["fanout"].append(row)


def measure_nginx(work, api, case_json):
    """The reference for GET and handshakes: nginx with the same certificate, serving the same JSON."""
    data = api["data"]
    cert, key = data / "tls-cert.pem", data / "tls-key.pem"
    nginx_dir = work / "nginx"
    (nginx_dir / "www").mkdir(parents=True, exist_ok=True)
    (nginx_dir / "tmp").mkdir(exist_ok=True)
    if case_json is not None:
        (nginx_dir / "www" / "case.json").write_bytes(case_json)
    nport = free_port()
    conf = nginx_dir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=nginx_dir, port=nport, cert=cert, key=key))
    nginx = start(["taskset", "-c", SERVER_CPU, "nginx", "-c", conf, "-p", nginx_dir])
    try:
        time.sleep(0.5)
        put(results["https"], "nginx_get", step("https.nginx.get", wrk_limit(SIZES["wrk_seconds"]) + 15,
                                                nginx_get, nport, case_json))
        log("https: TLS handshakes against nginx")
        put(results["https"], "nginx_handshakes", step("https.nginx.handshakes", S_TIME_LIMIT, s_time, nport))
    finally:
        stop(nginx)


def nginx_get(nport, case_json):
    if case_json is None:
        raise RuntimeError("no case JSON to serve: https.casus failed before fetching it")
    status, static = https(nport, "GET", "/case.json")
    if status != 200 or len(static) != len(case_json):
        raise RuntimeError(f"nginx does not serve the case JSON ({status}, {len(static)} bytes)")
    log("https: wrk GET static JSON from nginx")
    return wrk(f"https://127.0.0.1:{nport}", "get_static.lua", 64, SIZES["wrk_seconds"])


def measure_s_server(api):
    """A second handshake reference: openssl's own single-threaded server."""
    data = api["data"]
    sport = free_port()
    s_server = start(["taskset", "-c", SERVER_CPU, "openssl", "s_server", "-quiet", "-cert", data / "tls-cert.pem",
                      "-key", data / "tls-key.pem", "-accept", f"127.0.0.1:{sport}", "-naccept", "1000000"])
    try:
        time.sleep(0.5)
        log("https: TLS handshakes against openssl s_server")
        put(results["https"], "s_server_handshakes", step("https.s_server.handshakes", S_TIME_LIMIT, s_time, sport))
    finally:
        stop(s_server)


def bench_scale(work):
    data = step("scale.seed", 540, seed_scale, work, required=True)
    n = SIZES["scale_cases"]
    env = {"BENCH_PERSONS": str((n + 1) // 2)}
    wrk_s = wrk_limit(SIZES["wrk_seconds"])
    token = step("scale.full", SERVE_LIMIT + LOGIN_LIMIT + 2 * wrk_s + 30, scale_full, data, env)
    step("scale.normal", SERVE_LIMIT + LOGIN_LIMIT + wrk_s + 30, scale_normal, data, env, token)
    shutil.rmtree(data, ignore_errors=True)


def seed_scale(work):
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
                             "(SELECT count(*) FROM persons)"], capture_output=True, text=True, check=True,
                            timeout=120).stdout
    s["cases"], s["events"], s["persons"] = (int(x) for x in counts.strip().split("|"))
    log(f"scale: {s['cases']} cases, {s['events']} events, {s['db_bytes'] / 1e6:.0f} MB in {s['generate_seconds']:.0f}s")
    return data


def scale_full(data, env):
    """Start-up, RSS, case list and person view at synchronous=FULL; returns the token for the restart."""
    s = results["scale"]
    # Cold-ish start: the file was just written, so it is in the page cache, as after a restart.
    port = free_port()
    server, ready_s, _ = serve(data, port)
    s["startup_seconds"] = ready_s
    s["rss_kb_after_start"] = rss_kb(server_pid(server))
    try:
        token = login(port, data)
        env = {**env, "BENCH_TOKEN": token}
        url, secs = f"https://127.0.0.1:{port}", SIZES["wrk_seconds"]
        log("scale: case list with filters")
        put(s, "list", step("scale.full.list", wrk_limit(secs), wrk, url, "list_cases.lua", 4, secs, env))
        log("scale: person view")
        put(s, "person", step("scale.full.person", wrk_limit(secs), wrk, url, "person_view.lua", 4, secs, env))
        s["rss_kb"] = rss_kb(server_pid(server))
        s["rss_hwm_kb"] = rss_kb(server_pid(server), "VmHWM")
    finally:
        stop(server)
    return token


def scale_normal(data, env, token):
    # The same person views with synchronous=NORMAL: separates the audited
    # read's commit (an fsync per group under FULL) from the query itself.
    s = results["scale"]
    port = free_port()
    server, ready_s, _ = serve(data, port, env={"CASUS_SYNCHRONOUS": "NORMAL"})
    s["restart_seconds"] = ready_s
    try:
        token = token or login(port, data)  # the first server may have failed before its login
        secs = SIZES["wrk_seconds"]
        log("scale: person view, synchronous=NORMAL")
        put(s, "person_normal", step("scale.normal.person", wrk_limit(secs), wrk, f"https://127.0.0.1:{port}",
                                     "person_view.lua", 4, secs, {**env, "BENCH_TOKEN": token}))
    finally:
        stop(server)


def bench_postgres(work):
    """The same transitions, GET and fan-out on PostgreSQL, one and two nodes on one database."""
    server = step("postgres.server", 120, start_postgres, work, required=True)
    try:
        n = SIZES["transition_cases"]
        step("postgres.template", 400, pg_template, server, n, required=True)
        limit = SIZES["transition_seconds"]
        for nodes, subs in ((1, 1), (1, 64), (2, 32)):
            put_pg(step(f"postgres.service.{nodes}.{subs}", limit + 135, pg_service, server, nodes, subs, n))
        for batch, pipeline in ((1, 0), (64, 0), (64, 1)):
            put_pg(step(f"postgres.raw.{batch}.{pipeline}", SIZES["raw_seconds"] + 135, pg_raw, server, batch,
                        pipeline, n))
        api = step("postgres.https_setup", 555, pg_prepare_api, work, server)
        if api is not None:
            wrk_s = wrk_limit(SIZES["wrk_seconds"])
            step("postgres.casus", SERVE_LIMIT + LOGIN_LIMIT + 2 * wrk_s + FANOUT_LIMIT, pg_measure_casus, work, api)
    finally:
        stop_postgres(server)


def put_pg(row):
    if row is not None:
        results["postgres"]["transitions"].append(row)


def psql(server, sql, database="postgres"):
    run([PG_BIN / "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql, pg_url(server, database)], timeout=120)


def pg_url(server, database):
    return f"postgresql://casus@127.0.0.1:{server['port']}/{database}"


def start_postgres(work):
    """A throwaway PostgreSQL 15 on the same disk as the SQLite runs, Debian's defaults (fsync on,
    synchronous_commit on), not pinned to a core: the database of a region runs on its own machine."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError("PostgreSQL 15 is not installed (Debian package postgresql-15)")
    d = work / "pg"
    d.mkdir()
    as_pg = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(d, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    run([*as_pg, PG_BIN / "initdb", "-D", d / "data", "-U", "casus", "-A", "trust", "-E", "UTF8", "--locale=C"],
        timeout=120, env=env)
    port = free_port()
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={d} -c max_connections=200")
    server = {"dir": d, "port": port, "as_pg": as_pg}
    try:
        run([*as_pg, PG_BIN / "pg_ctl", "-D", d / "data", "-l", d / "server.log", "-w", "-t", "60", "-o", options,
             "start"], timeout=90, env=env)
    except BaseException:
        stop_postgres(server)  # a start that timed out may have left the server running
        raise
    results["postgres"]["server"] = {"version": run([PG_BIN / "postgres", "--version"]).stdout.strip(),
                                     "settings": "initdb defaults: fsync on, synchronous_commit on, "
                                                 "shared_buffers 128 MB; TCP on loopback"}
    log(f"postgres: started on port {port}")
    return server


def stop_postgres(server):
    subprocess.run([*server["as_pg"], PG_BIN / "pg_ctl", "-D", server["dir"] / "data", "-m", "fast", "-w", "stop"],
                   capture_output=True, timeout=60)


def pg_template(server, n):
    log("postgres: template database")
    psql(server, "CREATE DATABASE casus_template")
    opened = json_lines(run([PGBENCH, "template", pg_url(server, "casus_template"), n], cwd=ROOT,
                            timeout=380).stdout)[0]
    results["postgres"]["open"] = opened
    log(f"postgres: opened {n} cases at {opened['per_s']:.0f}/s")


def pg_fresh_copy(server, name):
    psql(server, f"DROP DATABASE IF EXISTS {name}")
    psql(server, f"CREATE DATABASE {name} TEMPLATE casus_template")
    return pg_url(server, name)


def pg_service(server, nodes, subs, n):
    """`nodes` processes, each with its own store and group writer as `casus serve` has, on one database."""
    url = pg_fresh_copy(server, "casus_run")
    limit = SIZES["transition_seconds"]
    start_at = time.time() + 3  # every node has opened its store by then
    procs = [subprocess.Popen([str(a) for a in [PGBENCH, "service", url, subs, n, limit, k, nodes, start_at]],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(nodes)]
    rows = []
    for p in procs:
        out, err = p.communicate(timeout=limit + 120)
        if p.returncode != 0:
            raise RuntimeError(f"pg_transitions_bench service exited with {p.returncode}: {err.strip()[-300:]}")
        rows.append(json_lines(out)[0])
    seconds = max(r["seconds"] for r in rows)
    done = sum(r["transitions"] for r in rows)
    r = {"bench": "pg_service", "nodes": nodes, "submitters": subs * nodes, "transitions": done,
         "failed": sum(r["failed"] for r in rows), "seconds": seconds, "per_s": done / seconds,
         "p50_ms": max(r["p50_ms"] for r in rows), "p99_ms": max(r["p99_ms"] for r in rows),
         "writer_cpu_s": sum(r["writer_cpu_s"] for r in rows), "complete": done >= n * 5, "per_node": rows}
    log(f"postgres: {nodes} node(s) x{subs}: {r['per_s']:.0f}/s ({done:.0f} in {seconds:.1f}s)")
    return r


def pg_raw(server, batch, pipeline, n):
    url = pg_fresh_copy(server, "casus_run")
    r = json_lines(run([PGBENCH, "raw", url, batch, n, SIZES["raw_seconds"], pipeline], cwd=ROOT,
                       timeout=SIZES["raw_seconds"] + 120).stdout)[0]
    r["complete"] = r["transitions"] >= n * 5
    log(f"postgres: raw libpq batch {batch}{' pipeline' if pipeline else ''}: {r['per_s']:.0f}/s")
    return r


def pg_prepare_api(work, server):
    psql(server, "DROP DATABASE IF EXISTS casus_run")
    psql(server, "CREATE DATABASE casus_api")
    env = {**os.environ, "CASUS_DATABASE_URL": pg_url(server, "casus_api")}
    data = work / "pg-api"
    run([CASUS, "init", "--demo", "--data-dir", data], cwd=ROOT, timeout=120, env=env)
    post_file, fan_file = work / "pg_post_cases.txt", work / "pg_fanout_cases.txt"
    log("postgres: opening cases for POST and fan-out")
    run([PGBENCH, "api-cases", env["CASUS_DATABASE_URL"], SIZES["post_cases"], post_file], cwd=ROOT, timeout=300)
    run([PGBENCH, "api-cases", env["CASUS_DATABASE_URL"], fanout_case_counts()[0], fan_file], cwd=ROOT, timeout=120)
    config = work / "pg-bench-server.yaml"
    config.write_text("server:\n  max_connections: 1200\n")
    return {"data": data, "post_file": post_file, "fan_file": fan_file, "config": config, "env": env}


def pg_measure_casus(work, api):
    """GET, POST and fan-out at the first rate, as for SQLite, with the server on PostgreSQL."""
    h = results["postgres"]["https"]
    os.environ["CASUS_DATABASE_URL"] = api["env"]["CASUS_DATABASE_URL"]  # also for `casus demo totp` in login()
    try:
        port = free_port()
        server, ready_s, _ = serve(api["data"], port, api["config"], env=api["env"])
        h["startup_seconds"] = ready_s
        try:
            token = login(port, api["data"])
            case_id = api["post_file"].read_text().split()[0]
            url, secs = f"https://127.0.0.1:{port}", SIZES["wrk_seconds"]
            env = {"BENCH_TOKEN": token, "BENCH_CASE": case_id, "BENCH_CASES_FILE": str(api["post_file"])}
            log("postgres: wrk GET case")
            put(h, "casus_get", step("postgres.casus.get", wrk_limit(secs), wrk, url, "get_case.lua", 64, secs, env))
            log("postgres: wrk POST transitions")
            put(h, "casus_post", step("postgres.casus.post", wrk_limit(secs), wrk, url, "post_transition.lua", 64,
                                      secs, env))
            rate = SIZES["fanout_rates"][0]
            row = step(f"postgres.casus.fanout.{rate:g}", FANOUT_LIMIT, fanout, port, token, api["fan_file"], rate)
            if row is not None:
                results["postgres"]["fanout"].append(row)
            h["casus_rss_kb"] = rss_kb(server_pid(server), "VmHWM")
        finally:
            stop(server)
    finally:
        os.environ.pop("CASUS_DATABASE_URL", None)


# ------------------------------------------------------------------- report


def write_results(total_seconds):
    """Writes results.json, then RESULTS.md; a report that cannot render still leaves the raw numbers."""
    import report  # bench/report.py: the Markdown table from the raw numbers
    results["total_seconds"] = total_seconds
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    try:
        text = report.render(results)
    except Exception as e:  # noqa: BLE001 - the raw numbers are already written
        log(f"RESULTS.md could not be rendered: {type(e).__name__}: {e}")
        text = (f"# Casus benchmark results\n\nRendering failed ({type(e).__name__}: {describe(e)}); "
                "the raw numbers are in `bench/results.json`.\n")
    (ROOT / "bench" / "RESULTS.md").write_text(text)


def note_load(when):
    """Logs and records the load average; a loaded start makes the run not comparable."""
    import report
    load = os.getloadavg()
    machine = results["machine"]
    machine[f"load_avg_at_{when}"] = load
    log(f"load average at {when}: " + ", ".join(f"{x:.2f}" for x in load))
    if when == "start":
        machine["comparable"] = report.comparable(machine)
    if not machine["comparable"]:
        log(f"NOT COMPARABLE: the 1-minute load average at the start was {machine['load_avg_at_start'][0]:.2f} "
            f"(> {report.LOAD_LIMIT}); other work shared the CPUs")


PARTS = ("transitions", "https", "scale", "postgres")


def main():
    only = set(sys.argv[1:])  # e.g. "transitions https scale" to run a part while developing
    if only - set(PARTS):
        sys.exit(f"usage: run_bench.py [{' | '.join(PARTS)} ...]; unknown: {' '.join(sorted(only - set(PARTS)))}")
    signal.signal(signal.SIGALRM, _on_alarm)
    t0 = time.monotonic()
    results["machine"] = {"cpus": os.cpu_count(), "kernel": platform.release(),
                          "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    note_load("start")
    work = Path(tempfile.mkdtemp(prefix="casus-bench-", dir=os.environ.get("BENCH_TMP", str(ROOT / "build-bench"))))
    work.chmod(0o755)  # nginx's workers (www-data) must reach the static file
    functions = {"transitions": bench_transitions, "https": bench_https, "scale": bench_scale,
                 "postgres": bench_postgres}
    try:
        for name in PARTS:
            if only and name not in only:
                continue
            results["parts"].append(name)
            t = time.monotonic()
            step(name, PART_LIMITS[name], functions[name], work)
            results.setdefault("phase_seconds", {})[name] = time.monotonic() - t
            write_results(time.monotonic() - t0)  # what is measured so far survives a later crash
    finally:
        for p in processes:
            stop(p)
        shutil.rmtree(work, ignore_errors=True)
        note_load("end")
        write_results(time.monotonic() - t0)
    failed = ", ".join(f["step"] for f in results["failures"])
    log(f"done in {time.monotonic() - t0:.0f}s: bench/RESULTS.md, bench/results.json"
        + (f"; failed: {failed}" if failed else ""))


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, str(ROOT / "bench"))
    main()
