"""The kinds of long work. A domain declares each of its kinds here (from its own jobs.py, imported by
the app's assembly): what the user sees it called, the work itself, and the check of the page that
started it, which every view of the job and its file repeats."""
from dataclasses import dataclass
from typing import Callable

KINDS: dict[str, "JobKind"] = {}


class JobError(Exception):
    """A failure the user can understand: its text (translated) is shown on the job's page."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: object  # a lazy translated string
    run: Callable  # run(context: academy.jobs.runner.Run) -> None
    allowed: Callable  # allowed(user, params) -> bool: may this user still open what the job made?
    back: str | None = None  # the endpoint of the page that started it (a link back)


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> JobKind | None:
    return KINDS.get(name)
