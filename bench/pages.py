"""Servers and clients of the harness: gunicorn started for an app (the academy or the minimal Flask app), a
signed-in session per role, and two ways to measure a URL: wrk for a given time, or a plain HTTP client
sending a handful of requests (CI: every page of the route walk, briefly, so that a page that errors under
load fails the run)."""
import http.cookiejar
import json
import os
import re
import statistics
import subprocess  # nosec B404: runs our own tools with argument lists
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def start_gunicorn(module: str, port: int, workers: int, env: dict, probe: str) -> subprocess.Popen:
    """gunicorn serving `module` (bench/ on its path) with sync workers, answering `probe` before it returns."""
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",  # nosec B603
                               "--log-level", "warning", "--pythonpath", f"{ROOT},{ROOT / 'bench'}", module],
                              cwd=ROOT, env=env)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn {module} exited with {server.returncode}") from None
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn {module} did not answer {probe}")


def sign_in(base: str, phone: str, password: str) -> tuple[str, urllib.request.OpenerDirector]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"phone": phone, "password": password, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=body)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "/login" in opener.open(f"{base}/account").geturl():
        raise RuntimeError(f"{phone} could not sign in")
    return cookie, opener


def api_token(opener, base: str) -> str:
    """A personal access token of the signed-in worker, made on their account page as a person would."""
    page = opener.open(f"{base}/account/tokens").read().decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"name": "bench", "scopes": "learning:read", "days": "30", "csrf_token": csrf})
    try:
        created = opener.open(f"{base}/account/tokens", data=body.encode()).read().decode()
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"no API token: the account page answered {error.code}") from error
    return re.search(r"(dcsa_[A-Za-z0-9_-]+)", created).group(1)


def wrk_threads(connections: int) -> int:
    return min(4, connections)


def wrk(url: str, duration: int, connections: int, script: str, env_extra: dict) -> dict:
    env = dict(os.environ, BENCH_REPORT=str(ROOT / "bench" / "report.lua"), **env_extra)
    result = subprocess.run(  # nosec B603
        ["wrk", f"-t{wrk_threads(connections)}", f"-c{connections}", f"-d{duration}s", "--latency", "-s",
         str(ROOT / "bench" / script), url], capture_output=True, text=True, env=env, check=True)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["client"] = "wrk"
    return data


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def credential_header(credential: str) -> dict:
    """A session cookie, or "Bearer <token>" for the JSON API."""
    if not credential:
        return {}
    return {"Authorization": credential} if credential.startswith("Bearer ") else {"Cookie": credential}


def _one(url: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers=credential_header(cookie))
    opener = urllib.request.build_opener(_NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0  # refused, reset, timed out
    return (time.perf_counter() - started) * 1000, status


def quick(url: str, cookie: str, requests: int, concurrency: int) -> dict:
    """`requests` GETs, `concurrency` at a time, through a plain HTTP client: wrk's figures and the statuses."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        answers = list(pool.map(lambda _: _one(url, cookie), range(requests)))
    elapsed = time.perf_counter() - started
    times = sorted(ms for ms, _ in answers)
    statuses = [status for _, status in answers]

    def percentile(p):
        return times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]

    return {"requests": len(answers), "duration_us": elapsed * 1e6, "rps": len(answers) / elapsed,
            "errors": sum(1 for status in statuses if not 200 <= status < 400), "statuses": sorted(set(statuses)),
            "p50_ms": statistics.median(times), "p95_ms": percentile(95), "p99_ms": percentile(99), "client": "http"}


def measure_get(url: str, cookie: str, args, workers: int) -> dict:
    """With --quick N, N requests of a plain client (CI: does every page answer under a little load?); else the
    page warmed (every worker process has served it), then wrk for --duration seconds."""
    if args.quick:
        return quick(url, cookie, args.quick, min(args.connections, 4))
    quick(url, cookie, 3 * workers, min(workers, 4))
    return wrk(url, args.duration, args.connections, "get.lua",
               {"BENCH_COOKIE": cookie, "BENCH_THREADS": str(wrk_threads(args.connections))})
