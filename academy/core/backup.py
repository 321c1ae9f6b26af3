"""Backups: SQLite's online backup API, or pg_dump / pg_restore for PostgreSQL."""
import shutil
import sqlite3
# pg_dump and pg_restore run with an argument list, never through a shell.
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy.engine import make_url


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(engine, target: Path) -> Path:
    """Write a consistent copy of the database to `target` while the application keeps running."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        with engine.connect() as connection:
            source = connection.connection.driver_connection
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
            finally:
                destination.close()
        return target
    if url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)])
        return target
    raise RuntimeError(f"backups are not supported for {url.get_backend_name()}")


def restore(engine, source: Path) -> None:
    """Replace the database's content with a backup made by `backup`."""
    if not source.exists():
        raise RuntimeError(f"no backup at {source}")
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        origin = sqlite3.connect(source)
        target = sqlite3.connect(url.database)
        try:
            origin.backup(target)
        finally:
            origin.close()
            target.close()
        return
    if url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(url)}", str(source)])
        return
    raise RuntimeError(f"restore is not supported for {url.get_backend_name()}")


def _run(arguments: list[str]) -> None:
    if shutil.which(arguments[0]) is None:
        raise RuntimeError(f"{arguments[0]} is not installed (Debian package postgresql-client)")
    result = subprocess.run(arguments, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        raise RuntimeError(f"{arguments[0]} failed: {result.stderr.strip()[:500]}")
