"""The summary tables and the personal page versions follow the ORM's flushes: a bulk INSERT, UPDATE or
DELETE of the rows they follow would leave them wrong without a trace. Such statements stand nowhere
in the application but where the derived data is rebuilt right after (the synthetic generator) and
in a worker's own enrolment and withdrawal, which note every worker they change before and after
(tests/enrolment/test_selfservice.py compares them with the ORM path). Courses are written in bulk
only for their seats, which note the public pages, and the summary tables do not need."""
import ast
import re
from pathlib import Path

ACADEMY = Path(__file__).resolve().parent.parent / "academy"
FOLLOWED_MODELS = {"User", "WorkerProfile", "Enrolment", "CeStanding", "ExternalRecord", "EvidenceFile",
                   "Certificate", "AttendanceMark"}
FOLLOWED_TABLES = {"users", "worker_profiles", "enrolments", "ce_standings", "external_records", "evidence_files",
                   "certificates", "attendance_marks"}
REBUILDS_AFTERWARDS = {"synthetic.py"}
NOTES_WHAT_IT_WRITES = {"enrolment/selfservice.py"}  # tallies.note_workers, personalcache.note_workers
WRITE_SQL = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


def _model_named(node, aliases: dict) -> str:
    """The followed model a statement's target names: `Enrolment`, `Enrolment.__table__`, or a name
    assigned one of those."""
    if isinstance(node, ast.Attribute) and node.attr == "__table__":
        node = node.value
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return aliases.get(name, name)


def bulk_writes(source: str) -> list[str]:
    found, tree = [], ast.parse(source)
    aliases = {target.id: _model_named(node.value, {}) for node in ast.walk(tree) if isinstance(node, ast.Assign)
               for target in node.targets if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            targets = {_model_named(argument, aliases) for argument in node.args[:2]} & FOLLOWED_MODELS
            if name in ("insert", "update", "delete", "upsert") and targets:
                found.append(f"line {node.lineno}: {name}({', '.join(sorted(targets))})")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for _verb, table in WRITE_SQL.findall(node.value):
                if table.lower() in FOLLOWED_TABLES:
                    found.append(f"line {node.lineno}: SQL writing {table}")
    return found


def test_no_bulk_writes_to_rows_the_derived_data_follows():
    offenders = {}
    for path in sorted(ACADEMY.rglob("*.py")):
        if path.name in REBUILDS_AFTERWARDS or str(path.relative_to(ACADEMY)) in NOTES_WHAT_IT_WRITES:
            continue
        found = bulk_writes(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ACADEMY))] = found
    assert offenders == {}


def test_the_guard_sees_what_it_guards_against():
    source = '''
db.session.execute(update(Enrolment).values(status="withdrawn"))
connection.execute(text("UPDATE enrolments SET status = 'withdrawn'"))
connection.execute(insert(Course), rows)  # seats and titles: followed through do_orm_execute instead
'''
    assert sorted(bulk_writes(source)) == ["line 2: update(Enrolment)", "line 3: SQL writing enrolments"]
    core = '''
table = Enrolment.__table__
connection.execute(update(table).values(status="withdrawn"))
connection.execute(upsert(dialect_name, WorkerProfile.__table__), rows)
'''
    assert sorted(bulk_writes(core)) == ["line 3: update(Enrolment)", "line 4: upsert(WorkerProfile)"]
    # the one place allowed to write them so is seen writing them
    assert bulk_writes((ACADEMY / "enrolment" / "selfservice.py").read_text(encoding="utf-8"))
