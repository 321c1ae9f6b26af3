"""Where submitted work runs: RQ on Redis when REDIS_URL is set (`flask --app wsgi academy worker` runs
it), else a small pool of threads in the web process, so a fresh machine needs nothing installed.
JOBS_BACKEND = "sync" runs the work at once in the caller's session (tests, scripts).

Work is a module-level function and plain arguments; it runs in an application context of its own (a
session of its own), and claims what it works on itself, so running it twice does no harm."""
import importlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import current_app, has_app_context

log = logging.getLogger(__name__)
QUEUE_NAME = "academy"
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def backend_name(app=None) -> str:
    config = (app or current_app).config
    return config.get("JOBS_BACKEND") or ("rq" if config.get("REDIS_URL") else "threads")


def submit(func, *args) -> None:
    """Run func(*args) in the background (after the caller's commit: it reads what was committed)."""
    name = backend_name()
    if name == "sync":
        func(*args)
        return
    if name == "rq":
        try:
            _rq_queue().enqueue(perform, _reference(func), *args, job_timeout=current_app.config["JOBS_TIMEOUT"])
            return
        except Exception as error:  # Redis unreachable: the work still runs, in this process
            log.warning("job queue unreachable (%s): running %s in-process", error.__class__.__name__, func.__name__)
    _thread_pool().submit(_in_context, current_app._get_current_object(), func, args)


def _reference(func) -> str:
    return f"{func.__module__}:{func.__qualname__}"


def _resolve(reference: str):
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


def perform(reference: str, *args):
    """What an RQ worker runs: the function in a fresh application context (of the worker's app, or a new one)."""
    if not has_app_context():  # pragma: no cover - a worker started without the flask command
        raise RuntimeError("start workers with `flask --app wsgi academy worker`")
    _in_context(current_app._get_current_object(), _resolve(reference), args)


def _in_context(app, func, args) -> None:
    with app.app_context():
        try:
            func(*args)
        except Exception:  # the work records its own failure; this is what escaped it
            log.exception("background work %s%r failed", func.__name__, args)
        finally:
            from academy.extensions import db

            db.session.remove()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=current_app.config["JOBS_THREADS"], thread_name_prefix="job")
        return _pool


def redis_connection(app=None):
    from redis import Redis

    config = (app or current_app).config
    return Redis.from_url(config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=None)


def _rq_queue():
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection())
