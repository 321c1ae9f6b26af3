"""A kind of work of the tests' own: counts its runs, reports progress, writes a file, or fails."""
import pytest

from academy.jobs.kinds import KINDS, JobError, JobKind, register

RUNS = []


def probe_work(run):
    RUNS.append(run.job.id)
    mode = run.params.get("mode", "ok")
    if mode == "refuse":
        raise JobError("The course has no certificates yet.")
    if mode == "crash":
        raise ZeroDivisionError("boom")
    rows = int(run.params.get("rows", 3))
    run.progress(0, rows, force=True)
    with run.open_result("probe.csv", ".csv") as handle:
        for index in range(rows):
            handle.write(f"row {index}\n".encode())
            run.progress(index + 1)


@pytest.fixture
def probe_kind():
    RUNS.clear()
    register(JobKind("probe", "Probe work", probe_work, lambda user, params: user.role.value != "instructor"))
    yield RUNS
    KINDS.pop("probe", None)
