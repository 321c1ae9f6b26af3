"""Count the SQL statements a block of code runs: pages must issue a fixed number."""
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.statements.append(statement)


_counting: dict = {}  # engine -> the counters open on it, for reads made past SQLAlchemy's events


@contextmanager
def count_queries(engine: Engine):
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    _counting.setdefault(engine, []).append(counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)
        _counting[engine].remove(counter)


def count_driver_statement(engine: Engine, statement: str) -> None:
    """A statement run on a driver connection directly (core.database.read_outside_session) counts too."""
    for counter in _counting.get(engine, ()):
        counter.statements.append(statement)
