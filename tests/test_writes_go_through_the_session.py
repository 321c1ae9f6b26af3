"""The summary tables and the personal page versions follow the ORM's flushes: a bulk INSERT, UPDATE or
DELETE of the rows they follow would leave them wrong without a trace. Such statements stand nowhere
in the application but where the derived data is rebuilt right after (the synthetic generator).
Courses are written in bulk only for their seats, which the public pages follow through the statement
event and the summary tables do not need."""
import ast
import re
from pathlib import Path

ACADEMY = Path(__file__).resolve().parent.parent / "academy"
FOLLOWED_MODELS = {"User", "WorkerProfile", "Enrolment", "CeStanding", "ExternalRecord", "EvidenceFile",
                   "Certificate", "AttendanceMark"}
FOLLOWED_TABLES = {"users", "worker_profiles", "enrolments", "ce_standings", "external_records", "evidence_files",
                   "certificates", "attendance_marks"}
REBUILDS_AFTERWARDS = {"synthetic.py"}
WRITE_SQL = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


def bulk_writes(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            target = node.args[0]
            target_name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if name in ("insert", "update", "delete") and target_name in FOLLOWED_MODELS:
                found.append(f"line {node.lineno}: {name}({target_name})")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for _verb, table in WRITE_SQL.findall(node.value):
                if table.lower() in FOLLOWED_TABLES:
                    found.append(f"line {node.lineno}: SQL writing {table}")
    return found


def test_no_bulk_writes_to_rows_the_derived_data_follows():
    offenders = {}
    for path in sorted(ACADEMY.rglob("*.py")):
        if path.name in REBUILDS_AFTERWARDS:
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
