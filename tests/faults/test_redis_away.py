"""Redis is optional at run time: with the rate-limit store unreachable, sign-in, registration, certificate
verification and the API keep working, limits are counted in each process's memory meanwhile, and the log says so at
most once a minute."""
import json
import logging
import socket
import subprocess
import sys
from pathlib import Path

from academy.core.faults import OncePerInterval

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def test_sign_in_registration_and_verification_work_with_the_rate_limit_store_away(tmp_path):
    store = f"redis://127.0.0.1:{closed_port()}/13"
    result = subprocess.run([sys.executable, "-m", "tests.faults.redis_away", str(tmp_path / "away.db"), store],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["wrong"] == [200, 200, 200, 429]  # the limit holds, counted in memory
    assert outcome["right"] == 302
    assert outcome["registered"] == 302
    assert outcome["verified"] in (200, 404)
    assert outcome["api"] == [200, 200, 200, 429]  # the API's count too
    unreachable = [message for message in outcome["warnings"] if "unreachable" in message]
    assert len(unreachable) == 2, outcome["warnings"]  # the pages' limiter once, the API's count once


def test_the_store_warning_is_let_through_at_most_once_a_minute(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("academy.core.faults.time.monotonic", lambda: clock[0])
    once = OncePerInterval()

    def record(message, level=logging.WARNING):
        return logging.LogRecord("flask-limiter", level, __file__, 1, message, None, None)

    unreachable = "Rate limit storage unreachable - falling back to in-memory storage"
    assert once.filter(record(unreachable))
    clock[0] += 59
    assert not once.filter(record(unreachable))
    assert once.filter(record("Rate limit storage recovered", logging.INFO))  # other messages pass
    clock[0] += 2
    assert once.filter(record(unreachable))
