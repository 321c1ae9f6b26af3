"""Summary tables kept by increments: shared by every family of them (the reports', the registry's).

A family is a dict {name: (table, key columns, value columns)}. A dependent of academy.core.derived reads
what a transaction's workers contribute before the rows change and again at commit, and writes the
difference here; `rebuild` writes a family afresh from its raw aggregate (after a bulk load, or to repair).
"""
from dataclasses import dataclass, field

from sqlalchemy import delete, inspect, select, text
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table

from academy.core.database import upsert

_upserts: dict = {}


def add_into(total: dict, contribution: dict) -> None:
    """Sum a contribution {name: {key: [values]}} into `total` (same shape)."""
    for name, rows in contribution.items():
        into = total.setdefault(name, {})
        for key, values in rows.items():
            into[key] = [a + b for a, b in zip(into.get(key, [0] * len(values)), values)]


def _upsert_statement(dialect_name: str, table, keys, values):
    """INSERT ... ON CONFLICT DO UPDATE adding the increments; built once per table and dialect."""
    cache_key = (dialect_name, table.name)
    if cache_key not in _upserts:
        statement = upsert(dialect_name, table)
        _upserts[cache_key] = statement.on_conflict_do_update(
            index_elements=list(keys), set_={column: table.c[column] + statement.excluded[column] for column in values})
    return _upserts[cache_key]


def apply_difference(connection, tables: dict, before: dict, after: dict) -> bool:
    """Write after - before as increments, in key order (concurrent writers then lock rows in one order:
    no deadlocks); True when any count changed."""
    changed = False
    for name, (table, keys, values) in tables.items():
        old, new = before.get(name, {}), after.get(name, {})
        if old == new:
            continue
        zero = [0] * len(values)
        rows = []
        for key in sorted(old.keys() | new.keys()):
            delta = [n - o for n, o in zip(new.get(key, zero), old.get(key, zero))]
            if any(delta):
                rows.append(dict(zip(keys, key)) | dict(zip(values, delta)))
        if rows:
            connection.execute(_upsert_statement(connection.dialect.name, table, keys, values), rows)
            changed = True
    return changed


def stored(connection, tables: dict, convert=lambda column, value: value) -> dict:
    """The tables as they are, rows of zeros left out (`convert` brings a stored value to the raw form)."""
    result = {}
    for name, (table, keys, values) in tables.items():
        result[name] = {}
        for row in connection.execute(select(table)):
            numbers = [row._mapping[value] for value in values]
            if any(numbers):
                result[name][tuple(row._mapping[key] for key in keys)] = [
                    convert(value, number) for value, number in zip(values, numbers)]
    return result


def without_zeros(tallies: dict) -> dict:
    return {name: {key: values for key, values in rows.items() if any(values)} for name, rows in tallies.items()}


def lock_tables(connection, tables: dict) -> None:
    """Hold back every increment until a rebuild commits. On PostgreSQL a write that commits while the
    raw rows are read would otherwise add its increment to rows the rebuild then replaces: the tables are
    locked first, so such a write waits and adds its increment to the rebuilt rows (what it changed is
    not in them: it had not committed when they were read). SQLite writes one at a time."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(table.name for table, _keys, _values in tables.values())
        connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))  # nosec B608: our own table names


def rebuild(connection, tables: dict, raw) -> dict:
    """Recompute the tables from raw(connection) under the lock above; returns row counts. Only the
    columns the database has are written: a migration may run this before a later one adds a column,
    which that migration then fills by running it again."""
    lock_tables(connection, tables)
    fresh = without_zeros(raw(connection))
    counts = {}
    for name, (table, keys, values) in tables.items():
        present = {column["name"] for column in inspect(connection).get_columns(table.name)}
        written = [column for column in (*keys, *values) if column in present]
        target = sql_table(table.name, *(sql_column(column, table.c[column].type) for column in written))  # no defaults
        connection.execute(delete(table))
        rows = [{column: value for column, value in (dict(zip(keys, key)) | dict(zip(values, numbers))).items()
                 if column in present} for key, numbers in sorted(fresh[name].items())]
        for start in range(0, len(rows), 5000):
            connection.execute(target.insert(), rows[start:start + 5000])
        counts[name] = len(rows)
    return counts



@dataclass(frozen=True)
class Family:
    """A family of summary tables: its tables, the raw aggregate that defines them, and how a stored
    value compares with a raw one. Declared once at start-up; rebuilding, checking and repairing go
    through every declared family."""

    name: str
    tables: dict = field(hash=False)
    raw: object = field(hash=False)  # (connection) -> {table name: {key: [values]}}
    convert: object = field(default=lambda column, value: value, hash=False)


_families: dict[str, Family] = {}


def declare(*families: Family) -> None:
    for family in families:
        _families[family.name] = family


def declared() -> list[Family]:
    return [_families[name] for name in sorted(_families)]


def stored_of(connection, family: Family) -> dict:
    return stored(connection, family.tables, family.convert)


def raw_of(connection, family: Family) -> dict:
    return without_zeros(family.raw(connection))


def rebuild_all(connection) -> dict:
    """Every declared family rebuilt from its raw aggregate: {family: {table: rows}}."""
    return {family.name: rebuild(connection, family.tables, family.raw) for family in declared()}
