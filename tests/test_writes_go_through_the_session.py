"""The summary tables and the personal page versions follow the session's flushes: a bulk INSERT, UPDATE
or DELETE of the rows they follow would leave them wrong without a trace. Such statements stand nowhere
in the application but where the derived data is rebuilt right after (the synthetic generator, in
bench/) and in the one enrolment write path, which notes every row it changes before changing it
(academy.core.derived.note; tests/enrolment/test_facts.py compares it with the flush). A bulk UPDATE
or DELETE through the session on a model the summary tables follow is refused at run time."""
import ast
import re
from pathlib import Path

ACADEMY = Path(__file__).resolve().parent.parent / "academy"
NOTES_WHAT_IT_WRITES = {"enrolment/operations.py"}  # academy.core.derived.note before every statement
WRITE_SQL = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


def _model_named(node, aliases: dict) -> str:
    """The followed model a statement's target names: `Enrolment`, `Enrolment.__table__`, or a name
    assigned one of those."""
    if isinstance(node, ast.Attribute) and node.attr == "__table__":
        node = node.value
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return aliases.get(name, name)


def _followed():
    """The models (and their tables) whose rows a worker's pages or the summary tables follow, as the
    models declare it."""
    from academy.core.feeds import feeds_of
    from academy.extensions import db

    models = [mapper.class_ for mapper in db.Model.registry.mappers
              if (feeds := feeds_of(mapper.class_)) and (feeds.owner or feeds.owner_through or feeds.summaries)]
    return {model.__name__ for model in models}, {model.__tablename__ for model in models}


def bulk_writes(source: str) -> list[str]:
    followed_models, followed_tables = _followed()
    found, tree = [], ast.parse(source)
    aliases = {target.id: _model_named(node.value, {}) for node in ast.walk(tree) if isinstance(node, ast.Assign)
               for target in node.targets if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            targets = {_model_named(argument, aliases) for argument in node.args[:2]} & followed_models
            if name in ("insert", "update", "delete", "upsert") and targets:
                found.append(f"line {node.lineno}: {name}({', '.join(sorted(targets))})")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for _verb, table in WRITE_SQL.findall(node.value):
                if table.lower() in followed_tables:
                    found.append(f"line {node.lineno}: SQL writing {table}")
    return found


def test_no_bulk_writes_to_rows_the_derived_data_follows(app):
    offenders = {}
    for path in sorted(ACADEMY.rglob("*.py")):
        if str(path.relative_to(ACADEMY)) in NOTES_WHAT_IT_WRITES:
            continue
        found = bulk_writes(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ACADEMY))] = found
    assert offenders == {}


def test_the_guard_sees_what_it_guards_against(app):
    source = '''
db.session.execute(update(Enrolment).values(status="withdrawn"))
connection.execute(text("UPDATE enrolments SET status = 'withdrawn'"))
connection.execute(insert(Programme), rows)  # shown on public pages only: no row of a worker
'''
    assert sorted(bulk_writes(source)) == ["line 2: update(Enrolment)", "line 3: SQL writing enrolments"]
    core = '''
table = Enrolment.__table__
connection.execute(update(table).values(status="withdrawn"))
connection.execute(upsert(dialect_name, WorkerProfile.__table__), rows)
'''
    assert sorted(bulk_writes(core)) == ["line 3: update(Enrolment)", "line 4: upsert(WorkerProfile)"]
    # the one place allowed to write them so is seen writing them
    assert bulk_writes((ACADEMY / "enrolment" / "operations.py").read_text(encoding="utf-8"))


def test_a_bulk_update_of_rows_the_summary_tables_follow_is_refused(make):
    import pytest
    from sqlalchemy import update

    from academy.enrolment.models import Enrolment
    from academy.extensions import db

    make.create_worker()
    with pytest.raises(RuntimeError, match="summary tables follow"):
        db.session.execute(update(Enrolment).values(credited_hours=1))
    db.session.rollback()
